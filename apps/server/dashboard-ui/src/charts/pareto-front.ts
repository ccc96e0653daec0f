/** Studies with several objectives (the study's main view then): every completed trial by its first
 *  two objectives (SVG scatter), the Pareto-optimal ones (the service's ListOptimalTrials set: feasible
 *  and not dominated) highlighted, and the front's hypervolume after each completed trial. */
import { clear, h, svg } from '../dom';
import { fmtNumber } from '../format';
import type { StudyDetail } from '../types';

const W = 520;
const H = 300;
const PAD = { left: 64, right: 16, top: 12, bottom: 40 };

export function renderParetoFront(host: HTMLElement, detail: StudyDetail): void {
  clear(host);
  const [mx, my] = detail.study.metrics.filter((m) => m.role === 'OBJECTIVE');
  if (!mx || !my) return;
  const points = detail.trials
    .filter((t) => t.state === 'SUCCEEDED' && t.finalMetrics && Number.isFinite(t.finalMetrics[mx.name]) && Number.isFinite(t.finalMetrics[my.name]))
    .map((t) => ({ id: t.id, x: t.finalMetrics![mx.name], y: t.finalMetrics![my.name], optimal: detail.study.paretoTrialIds.includes(t.id) }));
  if (points.length === 0) {
    host.append(h('p', { class: 'muted' }, 'No completed trial yet.'));
    return;
  }
  const range = (vs: number[]) => {
    const lo = Math.min(...vs);
    const hi = Math.max(...vs);
    return hi > lo ? [lo, hi] : [lo - 1, hi + 1];
  };
  const [x0, x1] = range(points.map((p) => p.x));
  const [y0, y1] = range(points.map((p) => p.y));
  const px = (v: number) => PAD.left + ((v - x0) / (x1 - x0)) * (W - PAD.left - PAD.right);
  const py = (v: number) => PAD.top + (1 - (v - y0) / (y1 - y0)) * (H - PAD.top - PAD.bottom);
  const root = svg('svg', { width: W, height: H, viewBox: `0 0 ${W} ${H}`, class: 'pareto', role: 'img', 'aria-label': `${mx.name} against ${my.name}` });
  root.append(svg('rect', { x: PAD.left, y: PAD.top, width: W - PAD.left - PAD.right, height: H - PAD.top - PAD.bottom, fill: 'none', stroke: '#d0d4db' }));
  const front = points.filter((p) => p.optimal).sort((a, b) => a.x - b.x);
  if (front.length > 1) root.append(svg('polyline', { points: front.map((p) => `${px(p.x).toFixed(1)},${py(p.y).toFixed(1)}`).join(' '), fill: 'none', stroke: '#d62728', 'stroke-width': 1.5, 'stroke-dasharray': '4 3' }));
  for (const p of [...points].sort((a, b) => Number(a.optimal) - Number(b.optimal))) {
    const dot = svg('circle', { cx: px(p.x).toFixed(1), cy: py(p.y).toFixed(1), r: p.optimal ? 5 : 3.5, fill: p.optimal ? '#d62728' : '#9db7e0', class: p.optimal ? 'optimal' : 'dominated' });
    dot.append(svg('title', {}, `trial ${p.id}: ${mx.name}=${fmtNumber(p.x)}, ${my.name}=${fmtNumber(p.y)}${p.optimal ? ' (Pareto-optimal)' : ''}`));
    root.append(dot);
  }
  const arrow = (goal: string) => (goal === 'MAXIMIZE' ? '↑' : '↓');
  root.append(svg('text', { x: (PAD.left + W - PAD.right) / 2, y: H - 6, 'text-anchor': 'middle', class: 'axis-label' }, `${mx.name} ${arrow(mx.goal)}`));
  root.append(svg('text', { x: 14, y: (PAD.top + H - PAD.bottom) / 2, 'text-anchor': 'middle', class: 'axis-label', transform: `rotate(-90 14 ${(PAD.top + H - PAD.bottom) / 2})` }, `${my.name} ${arrow(my.goal)}`));
  for (const [v, x, y, anchor] of [[x0, px(x0), H - PAD.bottom + 14, 'start'], [x1, px(x1), H - PAD.bottom + 14, 'end'], [y0, PAD.left - 4, py(y0), 'end'], [y1, PAD.left - 4, py(y1) + 8, 'end']] as Array<[number, number, number, string]>) {
    root.append(svg('text', { x, y, 'text-anchor': anchor, class: 'tick' }, fmtNumber(v)));
  }
  host.append(root, h('p', { class: 'muted small' }, `${front.length} of ${points.length} completed trials are Pareto-optimal.`));
  host.append(hypervolumeChart(detail.hypervolumeHistory));
}

/** The feasible front's hypervolume after each completed trial (a staircase: it never falls). */
function hypervolumeChart(history: StudyDetail['hypervolumeHistory']): Element {
  const w = 520;
  const hh = 140;
  const pad = { left: 64, right: 16, top: 10, bottom: 30 };
  const chart = svg('svg', { width: w, height: hh, viewBox: `0 0 ${w} ${hh}`, class: 'hypervolume', role: 'img', 'aria-label': 'hypervolume after each completed trial' });
  if (history.length === 0) return chart;
  const top = Math.max(...history.map((p) => p.hypervolume)) || 1;
  const px = (i: number) => pad.left + (history.length > 1 ? i / (history.length - 1) : 0.5) * (w - pad.left - pad.right);
  const py = (v: number) => pad.top + (1 - v / top) * (hh - pad.top - pad.bottom);
  chart.append(svg('rect', { x: pad.left, y: pad.top, width: w - pad.left - pad.right, height: hh - pad.top - pad.bottom, fill: 'none', stroke: '#d0d4db' }));
  const steps = history.map((p, i) => `${i === 0 ? 'M' : 'H'}${px(i).toFixed(1)}${i === 0 ? `,${py(p.hypervolume).toFixed(1)}` : ` V${py(p.hypervolume).toFixed(1)}`}`).join(' ');
  chart.append(svg('path', { d: steps, fill: 'none', stroke: '#1f77b4', 'stroke-width': 1.5 }));
  const last = history[history.length - 1];
  chart.append(svg('text', { x: pad.left - 4, y: py(top) + 8, 'text-anchor': 'end', class: 'tick' }, fmtNumber(top)));
  chart.append(svg('text', { x: pad.left - 4, y: py(0), 'text-anchor': 'end', class: 'tick' }, '0'));
  chart.append(svg('text', { x: (pad.left + w - pad.right) / 2, y: hh - 6, 'text-anchor': 'middle', class: 'axis-label' }, `hypervolume after each completed trial (now ${fmtNumber(last.hypervolume)}, trial ${last.trialId})`));
  return chart;
}

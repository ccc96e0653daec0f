/** Slice plots (as in optuna-dashboard): for each parameter, the objective of every completed trial
 *  against that parameter's value, as small SVG scatter plots; log-scaled parameters on a log axis,
 *  categories evenly spaced. Darker points are later trials. */
import { clear, h, svg } from '../dom';
import { fmtNumber } from '../format';
import type { DashboardTrial, StudyDetail } from '../types';

const W = 250;
const H = 170;
const PAD = { left: 56, right: 10, top: 10, bottom: 34 };

export function renderSlices(host: HTMLElement, detail: StudyDetail): void {
  clear(host);
  const trials = detail.trials.filter((t) => t.state === 'SUCCEEDED' && t.final && t.value !== null);
  if (trials.length === 0) {
    host.append(h('p', { class: 'muted' }, 'No completed trial yet.'));
    return;
  }
  const ys = trials.map((t) => t.value as number);
  const yLo = Math.min(...ys);
  const yHi = Math.max(...ys);
  const y = (v: number) => PAD.top + (1 - (yHi > yLo ? (v - yLo) / (yHi - yLo) : 0.5)) * (H - PAD.top - PAD.bottom);
  const maxId = Math.max(...trials.map((t) => t.id));
  const grid = h('div', { class: 'slices' });
  for (const p of detail.parameters) {
    const position = xPosition(p, trials);
    const plot = svg('svg', { width: W, height: H, viewBox: `0 0 ${W} ${H}`, class: 'slice', role: 'img', 'aria-label': `${detail.study.objective.name} against ${p.name}` });
    plot.append(svg('rect', { x: PAD.left, y: PAD.top, width: W - PAD.left - PAD.right, height: H - PAD.top - PAD.bottom, fill: 'none', stroke: '#d0d4db' }));
    for (const t of trials) {
      const px = position.x(t);
      if (px === null) continue;
      const dot = svg('circle', { cx: (PAD.left + px * (W - PAD.left - PAD.right)).toFixed(1), cy: y(t.value as number).toFixed(1), r: 3.2, fill: `hsl(220, 70%, ${Math.round(75 - (45 * t.id) / maxId)}%)` });
      dot.append(svg('title', {}, `trial ${t.id}: ${p.name}=${String(t.parameters[p.name])}, ${fmtNumber(t.value)}`));
      plot.append(dot);
    }
    for (const [frac, label] of position.ticks) {
      plot.append(svg('text', { x: PAD.left + frac * (W - PAD.left - PAD.right), y: H - PAD.bottom + 12, 'text-anchor': 'middle', class: 'tick' }, label));
    }
    plot.append(svg('text', { x: PAD.left - 4, y: PAD.top + 8, 'text-anchor': 'end', class: 'tick' }, fmtNumber(yHi)));
    plot.append(svg('text', { x: PAD.left - 4, y: H - PAD.bottom, 'text-anchor': 'end', class: 'tick' }, fmtNumber(yLo)));
    plot.append(svg('text', { x: (PAD.left + W - PAD.right) / 2, y: H - 4, 'text-anchor': 'middle', class: 'axis-label' }, p.name));
    grid.append(plot);
  }
  host.append(grid);
}

function xPosition(p: StudyDetail['parameters'][number], trials: DashboardTrial[]): { x(t: DashboardTrial): number | null; ticks: Array<[number, string]> } {
  if (p.type === 'CATEGORICAL') {
    const cats = p.categories ?? [];
    const at = (i: number) => (i + 0.5) / Math.max(1, cats.length);
    return { x: (t) => (cats.indexOf(String(t.parameters[p.name])) < 0 ? null : at(cats.indexOf(String(t.parameters[p.name])))), ticks: cats.map((c, i): [number, string] => [at(i), c]) };
  }
  const values = trials.map((t) => t.parameters[p.name]).filter((v): v is number => typeof v === 'number');
  const lo = p.min ?? (p.values ? p.values[0] : Math.min(...values));
  const hi = p.max ?? (p.values ? p.values[p.values.length - 1] : Math.max(...values));
  const log = p.scale === 'LOG' && lo > 0;
  const f = (v: number) => (log ? Math.log(v) : v);
  const span = f(hi) - f(lo) || 1;
  const frac = (v: number) => Math.min(1, Math.max(0, (f(v) - f(lo)) / span));
  return {
    x: (t) => (typeof t.parameters[p.name] === 'number' ? frac(t.parameters[p.name] as number) : null),
    ticks: [
      [0, fmtNumber(lo)],
      [1, fmtNumber(hi)],
    ],
  };
}

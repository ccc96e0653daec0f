/** Parallel coordinates of the parameters and the objective (hand-drawn SVG): one polyline a completed
 *  trial, coloured from worst (light) to best (dark) objective. Numeric axes use the parameter's
 *  range (log-scaled when the parameter is), categorical axes space their categories evenly. */
import { clear, svg } from '../dom';
import { fmtNumber } from '../format';
import type { DashboardTrial, StudyDetail } from '../types';

type Axis = { label: string; position(t: DashboardTrial): number | null; ticks: Array<[number, string]> };

const HEIGHT = 300;
const PAD = { top: 24, bottom: 48, left: 64, right: 64 };

function numericAxis(label: string, values: number[], lo: number | undefined, hi: number | undefined, log: boolean, get: (t: DashboardTrial) => number | null): Axis {
  const min = lo ?? Math.min(...values);
  const max = hi ?? Math.max(...values);
  const f = (v: number) => (log && v > 0 ? Math.log(v) : v);
  const a = f(min);
  const span = f(max) - a || 1;
  const pos = (v: number) => Math.min(1, Math.max(0, (f(v) - a) / span));
  return {
    label,
    position: (t) => {
      const v = get(t);
      return v === null || !Number.isFinite(v) ? null : pos(v);
    },
    ticks: [
      [0, fmtNumber(min)],
      [1, fmtNumber(max)],
    ],
  };
}

export function buildAxes(detail: StudyDetail, trials: DashboardTrial[]): Axis[] {
  const axes: Axis[] = detail.parameters.map((p) => {
    if (p.type === 'CATEGORICAL') {
      const cats = p.categories ?? [];
      const step = cats.length > 1 ? 1 / (cats.length - 1) : 0;
      return {
        label: p.name,
        position: (t: DashboardTrial) => {
          const i = cats.indexOf(String(t.parameters[p.name]));
          return i < 0 ? null : cats.length > 1 ? i * step : 0.5;
        },
        ticks: cats.map((c, i): [number, string] => [cats.length > 1 ? i * step : 0.5, c]),
      };
    }
    const get = (t: DashboardTrial) => (typeof t.parameters[p.name] === 'number' ? (t.parameters[p.name] as number) : null);
    const values = trials.map(get).filter((v): v is number => v !== null);
    const lo = p.min ?? (p.values ? Math.min(...p.values) : undefined);
    const hi = p.max ?? (p.values ? Math.max(...p.values) : undefined);
    return numericAxis(p.name, values.length ? values : [0, 1], lo, hi, p.scale === 'LOG', get);
  });
  const objectives = trials.map((t) => t.value as number);
  axes.push(numericAxis(detail.study.objective.name, objectives.length ? objectives : [0, 1], undefined, undefined, false, (t) => t.value));
  return axes;
}

export function renderParallelCoordinates(host: HTMLElement, detail: StudyDetail): void {
  clear(host);
  const trials = detail.trials.filter((t) => t.state === 'SUCCEEDED' && t.final && t.value !== null);
  if (trials.length === 0) {
    host.append('No completed trial yet.');
    return;
  }
  const axes = buildAxes(detail, trials);
  const width = Math.max(360, host.clientWidth || 640);
  const innerW = width - PAD.left - PAD.right;
  const innerH = HEIGHT - PAD.top - PAD.bottom;
  const x = (i: number) => PAD.left + (axes.length > 1 ? (i * innerW) / (axes.length - 1) : innerW / 2);
  const y = (p: number) => PAD.top + (1 - p) * innerH;
  const root = svg('svg', { width, height: HEIGHT, viewBox: `0 0 ${width} ${HEIGHT}`, class: 'parcoords', role: 'img', 'aria-label': 'parallel coordinates of parameters and objective' });
  const values = trials.map((t) => t.value as number);
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const maximize = detail.study.objective.goal === 'MAXIMIZE';
  // Worse trials first, so the best lines are drawn on top.
  const ordered = [...trials].sort((a, b) => (maximize ? (a.value as number) - (b.value as number) : (b.value as number) - (a.value as number)));
  for (const t of ordered) {
    const q = hi > lo ? ((t.value as number) - lo) / (hi - lo) : 1;
    const goodness = maximize ? q : 1 - q;
    const points: string[] = [];
    axes.forEach((axis, i) => {
      const p = axis.position(t);
      if (p !== null) points.push(`${x(i).toFixed(1)},${y(p).toFixed(1)}`);
    });
    const line = svg('polyline', { points: points.join(' '), fill: 'none', stroke: `hsl(220, 70%, ${Math.round(85 - goodness * 55)}%)`, 'stroke-width': 1.5, 'stroke-opacity': 0.85 });
    line.append(svg('title', {}, `trial ${t.id}: ${fmtNumber(t.value)}`));
    root.append(line);
  }
  axes.forEach((axis, i) => {
    root.append(svg('line', { x1: x(i), x2: x(i), y1: y(0), y2: y(1), stroke: '#444', 'stroke-width': 1 }));
    // Labels alternate between two rows so that neighbours with long names do not overlap.
    const label = svg('text', { x: x(i), y: HEIGHT - (i % 2 === 0 ? 24 : 8), 'text-anchor': 'middle', class: 'axis-label' }, axis.label.length > 22 ? `${axis.label.slice(0, 21)}…` : axis.label);
    label.append(svg('title', {}, axis.label));
    root.append(label);
    for (const [p, label] of axis.ticks) {
      root.append(svg('text', { x: x(i) + 4, y: y(p) + 4, class: 'tick' }, label));
    }
  });
  host.append(root);
}

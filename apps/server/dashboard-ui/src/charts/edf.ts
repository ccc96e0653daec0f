/** Empirical distribution of the objective over completed trials (optuna's plot_edf): the share of
 *  trials whose objective is at most x, as a step line. */
import { clear, h, svg } from '../dom';
import { fmtNumber } from '../format';
import { numericScale, valueScale } from '../scale';
import type { StudyDetail } from '../types';
import { completedTrials } from './parallel-coordinates';
import { drawAxes, Frame, px, py } from './svg-axes';

const W = 520;
const H = 260;
const FRAME: Frame = { left: 58, top: 10, width: W - 58 - 16, height: H - 10 - 44 };

/** [value, share of values ≤ value] at each distinct value, ascending. */
export function empiricalDistribution(values: number[]): Array<[number, number]> {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  const out: Array<[number, number]> = [];
  sorted.forEach((v, i) => {
    if (i + 1 < sorted.length && sorted[i + 1] === v) return;
    out.push([v, (i + 1) / sorted.length]);
  });
  return out;
}

export function renderEdf(host: HTMLElement, detail: StudyDetail): void {
  clear(host);
  const values = completedTrials(detail).map((t) => t.value as number);
  if (values.length === 0) {
    host.append(h('p', { class: 'muted' }, 'No completed trial yet.'));
    return;
  }
  const steps = empiricalDistribution(values);
  const xs = valueScale(values, 6);
  const ys = numericScale(0, 1, false, 5);
  const root = svg('svg', { width: W, height: H, viewBox: `0 0 ${W} ${H}`, class: 'edf', role: 'img', 'aria-label': `empirical distribution of ${detail.study.objective.name}` });
  root.append(drawAxes(FRAME, xs, ys, detail.study.objective.name, 'share of trials ≤ x'));
  let d = `M${px(FRAME, 0).toFixed(1)},${py(FRAME, 0).toFixed(1)}`;
  let prev = 0;
  for (const [v, share] of steps) {
    const X = px(FRAME, xs.position(v) ?? 0).toFixed(1);
    d += ` H${X} V${py(FRAME, share).toFixed(1)}`;
    prev = share;
  }
  d += ` H${px(FRAME, 1).toFixed(1)}`;
  root.append(svg('path', { d, fill: 'none', stroke: '#1f5fbf', 'stroke-width': 2, class: 'edf-line', 'data-final': prev }));
  const median = steps.find(([, s]) => s >= 0.5);
  host.append(root, h('p', { class: 'muted small' }, `${values.length} completed trials; median ${fmtNumber(median?.[0])}.`));
}

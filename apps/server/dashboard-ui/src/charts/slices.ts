/** Slice plots (as in optuna-dashboard): for each parameter, the objective of every completed trial
 *  against that parameter's value, as small SVG scatter plots with ticks on both axes; log-scaled
 *  parameters on a log axis, categories evenly spaced. Darker points are later trials. */
import { clear, h, svg } from '../dom';
import { fmtNumber } from '../format';
import { parameterScale, valueScale } from '../scale';
import type { StudyDetail } from '../types';
import { completedTrials } from './parallel-coordinates';
import { dotPaths, drawAxes, Frame, MANY_POINTS, px, py } from './svg-axes';

const W = 270;
const H = 190;
const FRAME: Frame = { left: 58, top: 8, width: W - 58 - 10, height: H - 8 - 40 };

export function renderSlices(host: HTMLElement, detail: StudyDetail): void {
  clear(host);
  const trials = completedTrials(detail);
  if (trials.length === 0) {
    host.append(h('p', { class: 'muted' }, 'No completed trial yet.'));
    return;
  }
  const yScale = valueScale(trials.map((t) => t.value as number), 4);
  const maxId = Math.max(...trials.map((t) => t.id));
  const grid = h('div', { class: 'slices' });
  for (const p of detail.parameters) {
    const xScale = parameterScale(p, trials);
    const plot = svg('svg', { width: W, height: H, viewBox: `0 0 ${W} ${H}`, class: 'slice', role: 'img', 'aria-label': `${detail.study.objective.name} against ${p.name}` });
    plot.append(drawAxes(FRAME, xScale, yScale, p.name, detail.study.objective.name));
    const many = trials.length > MANY_POINTS;
    const dots: Array<{ x: number; y: number; color: string }> = [];
    for (const t of trials) {
      const x = xScale.position(t.parameters[p.name]);
      const y = yScale.position(t.value);
      if (x === null || y === null) continue;
      // Lightness in steps of 5 %: few distinct colours when drawn as paths.
      const color = `hsl(220, 70%, ${5 * Math.round((75 - (45 * t.id) / maxId) / 5)}%)`;
      if (many) {
        dots.push({ x: px(FRAME, x), y: py(FRAME, y), color });
        continue;
      }
      const dot = svg('circle', { cx: px(FRAME, x).toFixed(1), cy: py(FRAME, y).toFixed(1), r: 3, fill: color });
      dot.append(svg('title', {}, `trial ${t.id}: ${p.name}=${String(t.parameters[p.name])}, ${fmtNumber(t.value)}`));
      plot.append(dot);
    }
    if (many) plot.append(dotPaths(dots, 1.8, 'dots'));
    grid.append(plot);
  }
  host.append(grid);
}

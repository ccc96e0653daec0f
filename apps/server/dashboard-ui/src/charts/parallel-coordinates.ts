/** Parallel coordinates of the parameters and the objective (SVG): one polyline a completed trial,
 *  coloured by its objective on a viridis scale (better is brighter, a colour bar beside the chart).
 *  Every axis has ticks (log axes in decades, categories by name). Dragging along an axis brushes a
 *  range: trials outside every brush are greyed and the trials table shows only the brushed ones;
 *  a click on the axis clears its brush. */
import { clear, svg } from '../dom';
import { fmtNumber } from '../format';
import { objectiveColor, parameterScale, Scale, valueScale } from '../scale';
import { OBJECTIVE_KEY, Range, TrialFilter } from '../trial-filter';
import type { DashboardTrial, StudyDetail } from '../types';
import { colorBar, labelWidth, thinTicks, truncate } from './svg-axes';

const HEIGHT = 330;
const PAD = { top: 16, bottom: 52, left: 56, right: 100 };

interface Axis {
  key: string;
  label: string;
  scale: Scale;
  value(t: DashboardTrial): number | string | undefined | null;
}

export function completedTrials(detail: StudyDetail): DashboardTrial[] {
  return detail.trials.filter((t) => t.state === 'SUCCEEDED' && t.final && t.value !== null);
}

export function buildAxes(detail: StudyDetail, trials: DashboardTrial[]): Axis[] {
  const axes: Axis[] = detail.parameters.map((p) => ({ key: p.name, label: p.name, scale: parameterScale(p, trials), value: (t) => t.parameters[p.name] }));
  axes.push({ key: OBJECTIVE_KEY, label: detail.study.objective.name, scale: valueScale(trials.map((t) => t.value as number)), value: (t) => t.value });
  return axes;
}

/** The filter range a brush from position a to b (in [0, 1]) selects on an axis. */
export function brushRange(scale: Scale, a: number, b: number): Range | undefined {
  const lo = Math.min(a, b);
  const hi = Math.max(a, b);
  if (scale.kind === 'categorical') {
    const values = (scale.categories ?? []).filter((c) => {
      const p = scale.position(c) as number;
      return p >= lo && p <= hi;
    });
    return values.length ? { kind: 'categories', values } : undefined;
  }
  return { kind: 'range', lo: scale.invert(lo) as number, hi: scale.invert(hi) as number };
}

/** The positions [lo, hi] a filter range covers on an axis (for drawing the brush). */
function brushExtent(scale: Scale, r: Range): [number, number] | undefined {
  if (r.kind === 'range') {
    const a = scale.position(r.lo) ?? 0;
    const b = scale.position(r.hi) ?? 1;
    return [Math.min(a, b), Math.max(a, b)];
  }
  const ps = r.values.map((v) => scale.position(v)).filter((p): p is number => p !== null);
  if (!ps.length) return undefined;
  const half = 0.5 / Math.max(1, scale.categories?.length ?? 1);
  return [Math.max(0, Math.min(...ps) - half), Math.min(1, Math.max(...ps) + half)];
}

export function renderParallelCoordinates(host: HTMLElement, detail: StudyDetail, filter: TrialFilter): void {
  clear(host);
  const trials = completedTrials(detail);
  if (trials.length === 0) {
    host.append('No completed trial yet.');
    return;
  }
  const axes = buildAxes(detail, trials);
  const width = Math.max(420, host.clientWidth || 640);
  const innerW = width - PAD.left - PAD.right;
  const innerH = HEIGHT - PAD.top - PAD.bottom;
  const gap = axes.length > 1 ? innerW / (axes.length - 1) : innerW;
  const x = (i: number) => PAD.left + (axes.length > 1 ? i * gap : innerW / 2);
  const y = (p: number) => PAD.top + (1 - p) * innerH;
  const root = svg('svg', { width, height: HEIGHT, viewBox: `0 0 ${width} ${HEIGHT}`, class: 'parcoords', role: 'img', 'aria-label': 'parallel coordinates of parameters and objective' });
  const values = trials.map((t) => t.value as number);
  const objective = axes[axes.length - 1].scale;
  const lo = objective.invert(0) as number;
  const hi = objective.invert(1) as number;
  const maximize = detail.study.objective.goal === 'MAXIMIZE';
  const color = objectiveColor(Math.min(...values), Math.max(...values), maximize);
  // Greyed (outside the brushes) first, then worse before better, so the best selected lines are on top.
  const selected = (t: DashboardTrial) => filter.inRanges(t);
  const ordered = [...trials].sort((a, b) => Number(selected(a)) - Number(selected(b)) || (maximize ? (a.value as number) - (b.value as number) : (b.value as number) - (a.value as number)));
  const lines = svg('g', { class: 'lines' });
  // Thousands of lines: thinner and translucent, so their density shows.
  const many = trials.length > 300;
  for (const t of ordered) {
    const points: string[] = [];
    axes.forEach((axis, i) => {
      const p = axis.scale.position(axis.value(t));
      if (p !== null) points.push(`${x(i).toFixed(1)},${y(p).toFixed(1)}`);
    });
    const on = selected(t);
    const line = svg('polyline', { points: points.join(' '), class: on ? 'trial' : 'trial dim', 'data-trial': t.id, fill: 'none', stroke: on ? color(t.value as number) : '#d5d9e0', 'stroke-width': on && !many ? 1.5 : 1, 'stroke-opacity': on ? (many ? 0.45 : 0.9) : 0.6 });
    line.append(svg('title', {}, `trial ${t.id}: ${fmtNumber(t.value)}`));
    lines.append(line);
  }
  root.append(lines);
  // Labels: at most the gap between axes wide; alternate rows when even that is tight.
  const maxChars = Math.max(4, Math.floor((gap - 8) / 7));
  const twoRows = axes.some((a) => labelWidth(a.label, 12) > gap - 8);
  axes.forEach((axis, i) => {
    const X = x(i);
    root.append(svg('line', { x1: X, x2: X, y1: y(0), y2: y(1), stroke: '#444', 'stroke-width': 1 }));
    for (const [p, label] of thinTicks(axis.scale.ticks, innerH, false)) {
      root.append(svg('line', { x1: X - 3, x2: X, y1: y(p), y2: y(p), stroke: '#444' }));
      root.append(svg('text', { x: X - 5, y: y(p) + 3.5, 'text-anchor': 'end', class: 'tick' }, truncate(label, 9)));
    }
    const row = twoRows && i % 2 === 1 ? 1 : 0;
    const text = twoRows ? truncate(axis.label, Math.max(maxChars * 2 - 2, 6)) : truncate(axis.label, maxChars);
    const label = svg('text', { x: X, y: HEIGHT - PAD.bottom + 20 + row * 16, 'text-anchor': 'middle', class: 'axis-label' }, text);
    label.append(svg('title', {}, axis.label));
    root.append(label);
    const range = filter.ranges.get(axis.key);
    const extent = range && brushExtent(axis.scale, range);
    if (extent) root.append(svg('rect', { x: X - 7, y: y(extent[1]), width: 14, height: Math.max(2, y(extent[0]) - y(extent[1])), class: 'brush', 'data-axis': axis.key }));
    root.append(brushTarget(root, axis, X, y, innerH, filter));
  });
  root.append(colorBar(width - 74, PAD.top + 10, innerH - 10, lo, hi, color, detail.study.objective.name, objective.ticks));
  host.append(root);
}

/** A transparent strip along an axis: drag to brush a range, click to clear it. */
function brushTarget(root: SVGSVGElement, axis: Axis, X: number, y: (p: number) => number, innerH: number, filter: TrialFilter): SVGRectElement {
  const top = y(1);
  const target = svg('rect', { x: X - 12, y: top, width: 24, height: innerH, fill: 'transparent', class: 'brush-target', 'data-axis': axis.key });
  target.style.cursor = 'ns-resize';
  target.addEventListener('pointerdown', (e: PointerEvent) => {
    e.preventDefault();
    const box = root.getBoundingClientRect();
    const scaleY = root.viewBox.baseVal.height / box.height;
    const toP = (clientY: number) => Math.min(1, Math.max(0, 1 - ((clientY - box.top) * scaleY - top) / innerH));
    const start = toP(e.clientY);
    const live = svg('rect', { x: X - 7, y: y(start), width: 14, height: 0, class: 'brush' });
    root.append(live);
    let end = start;
    const move = (m: PointerEvent) => {
      end = toP(m.clientY);
      live.setAttribute('y', String(y(Math.max(start, end))));
      live.setAttribute('height', String(Math.abs(y(start) - y(end))));
    };
    const up = () => {
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', up);
      live.remove();
      // A click (under 4 px of travel) clears the axis's brush.
      filter.setRange(axis.key, Math.abs(end - start) * innerH < 4 ? undefined : brushRange(axis.scale, start, end));
    };
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', up);
  });
  return target;
}

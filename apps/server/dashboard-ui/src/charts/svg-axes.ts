/** Axes for the SVG charts: a plot frame, tick marks with labels and light grid lines from a Scale,
 *  axis titles, and a colour bar. Tick labels that would overlap their neighbour are dropped. */
import { svg } from '../dom';
import type { Scale, Tick } from '../scale';

export interface Frame {
  left: number;
  top: number;
  width: number;
  height: number;
}

export const px = (f: Frame, p: number): number => f.left + p * f.width;
export const py = (f: Frame, p: number): number => f.top + (1 - p) * f.height;

/** Roughly how wide a label is drawn at 10 px (enough to keep neighbours apart). */
export function labelWidth(text: string, fontPx = 10): number {
  return text.length * fontPx * 0.6;
}

/** Ticks whose labels fit along `length` pixels without touching (horizontal labels: by width; vertical
 *  axes: by line height). */
export function thinTicks(ticks: Tick[], length: number, horizontal: boolean): Tick[] {
  const out: Tick[] = [];
  let lastEnd = -Infinity;
  for (const t of [...ticks].sort((a, b) => a[0] - b[0])) {
    const centre = t[0] * length;
    const half = horizontal ? labelWidth(t[1]) / 2 + 3 : 7;
    if (centre - half < lastEnd) continue;
    out.push(t);
    lastEnd = centre + half;
  }
  return out;
}

export function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Frame outline, grid, ticks and titles; returns the group to append. */
export function drawAxes(f: Frame, x: Scale | null, y: Scale | null, xTitle: string, yTitle: string): SVGGElement {
  const g = svg('g', { class: 'axes' });
  g.append(svg('rect', { x: f.left, y: f.top, width: f.width, height: f.height, fill: 'none', stroke: '#d0d4db' }));
  if (x) {
    for (const [p, label] of thinTicks(x.ticks, f.width, true)) {
      const X = px(f, p);
      g.append(svg('line', { x1: X, x2: X, y1: f.top, y2: f.top + f.height, class: 'grid' }));
      g.append(svg('line', { x1: X, x2: X, y1: f.top + f.height, y2: f.top + f.height + 4, stroke: '#667085' }));
      g.append(svg('text', { x: X, y: f.top + f.height + 14, 'text-anchor': 'middle', class: 'tick' }, truncate(label, 14)));
    }
  }
  if (y) {
    for (const [p, label] of thinTicks(y.ticks, f.height, false)) {
      const Y = py(f, p);
      g.append(svg('line', { x1: f.left, x2: f.left + f.width, y1: Y, y2: Y, class: 'grid' }));
      g.append(svg('line', { x1: f.left - 4, x2: f.left, y1: Y, y2: Y, stroke: '#667085' }));
      g.append(svg('text', { x: f.left - 6, y: Y + 3.5, 'text-anchor': 'end', class: 'tick' }, truncate(label, 10)));
    }
  }
  if (xTitle) g.append(svg('text', { x: f.left + f.width / 2, y: f.top + f.height + 30, 'text-anchor': 'middle', class: 'axis-label' }, truncate(xTitle, 40)));
  if (yTitle) {
    const cy = f.top + f.height / 2;
    g.append(svg('text', { x: 12, y: cy, 'text-anchor': 'middle', class: 'axis-label', transform: `rotate(-90 12 ${cy})` }, truncate(yTitle, 30)));
  }
  return g;
}

/** A vertical colour bar at (x, top) of the given height for values lo..hi drawn by `color`, with ticks. */
export function colorBar(x: number, top: number, height: number, lo: number, hi: number, color: (v: number) => string, title: string, ticks: Tick[]): SVGGElement {
  const g = svg('g', { class: 'colorbar' });
  const id = `cb-${Math.random().toString(36).slice(2, 8)}`;
  const grad = svg('linearGradient', { id, x1: 0, x2: 0, y1: 1, y2: 0 });
  for (let i = 0; i <= 8; i++) grad.append(svg('stop', { offset: i / 8, 'stop-color': color(lo + ((hi - lo) * i) / 8) }));
  g.append(svg('defs', {}, grad));
  g.append(svg('rect', { x, y: top, width: 10, height, fill: `url(#${id})`, stroke: '#d0d4db' }));
  for (const [p, label] of thinTicks(ticks, height, false)) {
    const Y = top + (1 - p) * height;
    g.append(svg('line', { x1: x + 10, x2: x + 13, y1: Y, y2: Y, stroke: '#667085' }));
    g.append(svg('text', { x: x + 15, y: Y + 3.5, class: 'tick' }, label));
  }
  g.append(svg('text', { x, y: top - 6, class: 'tick' }, truncate(title, 12)));
  return g;
}

/** Above this many points a scatter is drawn as a few paths (one a colour) instead of one circle with
 *  a tooltip per point: thousands of SVG elements cost seconds of layout. */
export const MANY_POINTS = 300;

/** Dots of radius r at (x, y) in pixels, grouped by colour into one path each. */
export function dotPaths(points: Array<{ x: number; y: number; color: string }>, r: number, className: string): SVGGElement {
  const byColor = new Map<string, string[]>();
  for (const p of points) {
    const d = `M${(p.x - r).toFixed(1)},${p.y.toFixed(1)}a${r},${r} 0 1,0 ${2 * r},0a${r},${r} 0 1,0 ${-2 * r},0`;
    const list = byColor.get(p.color);
    if (list) list.push(d);
    else byColor.set(p.color, [d]);
  }
  const g = svg('g', { class: className, 'data-points': points.length });
  for (const [color, ds] of byColor) g.append(svg('path', { d: ds.join(''), fill: color }));
  return g;
}

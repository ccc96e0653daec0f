/** Two parameters against each other (chosen in two selects; the two most important by default):
 *  a contour view, the objective interpolated over the plane (inverse-distance weighting of the
 *  nearest completed trials, drawn as an image under the trials' points) with a colour bar, and a rank
 *  view, every trial's point coloured by the rank of its objective (optuna's plot_rank). */
import { clear, h, svg } from '../dom';
import { fmtNumber } from '../format';
import { niceTicks, numericScale, objectiveColor, parameterScale, Scale, viridis } from '../scale';
import type { DashboardTrial, StudyDetail } from '../types';
import { completedTrials } from './parallel-coordinates';
import { colorBar, dotPaths, drawAxes, Frame, MANY_POINTS, px, py } from './svg-axes';

const W = 430;
const H = 300;
const FRAME: Frame = { left: 62, top: 24, width: W - 62 - 86, height: H - 24 - 44 };
/** Cells per side of the interpolated image, and the neighbours each cell averages. */
const GRID = 40;
const NEIGHBOURS = 6;

export class PairwisePlots {
  private xName = '';
  private yName = '';
  private detail?: StudyDetail;
  private readonly selects = h('span', { class: 'pair-selects' });
  private readonly plots = h('div', { class: 'pair-plots' });

  constructor(private readonly host: HTMLElement) {
    host.append(this.selects, this.plots);
  }

  update(detail: StudyDetail): void {
    this.detail = detail;
    const names = detail.parameters.map((p) => p.name);
    if (!names.includes(this.xName) || !names.includes(this.yName) || this.xName === this.yName) {
      const ranked = [...detail.importance.map((p) => p.name).filter((n) => names.includes(n)), ...names];
      const unique = [...new Set(ranked)];
      [this.xName, this.yName] = [unique[0] ?? '', unique[1] ?? ''];
    }
    this.renderSelects(names);
    this.render();
  }

  private renderSelects(names: string[]): void {
    clear(this.selects);
    if (names.length < 2) return;
    const select = (id: string, current: string, set: (v: string) => void) => {
      const s = h('select', { id, 'aria-label': id === 'pair-x' ? 'x parameter' : 'y parameter' }, ...names.map((n) => h('option', { value: n, selected: n === current }, n)));
      s.addEventListener('change', () => {
        set(s.value);
        this.render();
      });
      return s;
    };
    this.selects.append(
      'x ',
      select('pair-x', this.xName, (v) => (this.xName = v)),
      '  y ',
      select('pair-y', this.yName, (v) => (this.yName = v)),
    );
  }

  private render(): void {
    clear(this.plots);
    const detail = this.detail;
    if (!detail) return;
    if (detail.parameters.length < 2) {
      this.plots.append(h('p', { class: 'muted' }, 'Needs two parameters.'));
      return;
    }
    const trials = completedTrials(detail);
    if (trials.length < 3) {
      this.plots.append(h('p', { class: 'muted' }, 'Needs at least 3 completed trials.'));
      return;
    }
    const px_ = detail.parameters.find((p) => p.name === this.xName)!;
    const py_ = detail.parameters.find((p) => p.name === this.yName)!;
    const xs = parameterScale(px_, trials);
    const ys = parameterScale(py_, trials);
    this.plots.append(contour(detail, trials, xs, ys, px_.name, py_.name), rank(detail, trials, xs, ys, px_.name, py_.name));
  }
}

type Point = { t: DashboardTrial; x: number; y: number; v: number };

function pointsOf(trials: DashboardTrial[], xs: Scale, ys: Scale, xName: string, yName: string): Point[] {
  const out: Point[] = [];
  for (const t of trials) {
    const x = xs.position(t.parameters[xName]);
    const y = ys.position(t.parameters[yName]);
    if (x !== null && y !== null) out.push({ t, x, y, v: t.value as number });
  }
  return out;
}

/** The objective at each of GRID × GRID cell centres: inverse squared distance weights over the
 *  NEIGHBOURS nearest points (exact at a point). Row 0 is the top. */
export function interpolateGrid(points: Array<{ x: number; y: number; v: number }>, grid = GRID, k = NEIGHBOURS): Float64Array {
  const out = new Float64Array(grid * grid);
  const m = Math.min(k, points.length);
  const dist = new Float64Array(m);
  const val = new Float64Array(m);
  for (let r = 0; r < grid; r++) {
    const cy = 1 - (r + 0.5) / grid;
    for (let c = 0; c < grid; c++) {
      const cx = (c + 0.5) / grid;
      // The m nearest so far, with the index of the farthest of them.
      let filled = 0;
      let worst = 0;
      for (const p of points) {
        const d = (p.x - cx) ** 2 + (p.y - cy) ** 2;
        if (filled < m) {
          dist[filled] = d;
          val[filled++] = p.v;
          if (filled === m) for (let i = 1; i < m; i++) if (dist[i] > dist[worst]) worst = i;
        } else if (d < dist[worst]) {
          dist[worst] = d;
          val[worst] = p.v;
          for (let i = 0; i < m; i++) if (dist[i] > dist[worst]) worst = i;
        }
      }
      let num = 0;
      let den = 0;
      let exact: number | undefined;
      for (let i = 0; i < m; i++) {
        if (dist[i] < 1e-12) exact = val[i];
        num += val[i] / dist[i];
        den += 1 / dist[i];
      }
      out[r * grid + c] = exact ?? num / den;
    }
  }
  return out;
}

/** Iso-lines of a grid × grid field (row 0 at the top) at `level`, by marching squares with linear
 *  interpolation along cell edges, as segments in [0, 1]² (y up, like the scales' positions). Cell
 *  centres are the samples; a saddle cell is split by its centre value. */
export function isoSegments(field: ArrayLike<number>, grid: number, level: number): Array<[number, number, number, number]> {
  const out: Array<[number, number, number, number]> = [];
  const at = (r: number, c: number) => field[r * grid + c];
  const X = (c: number) => (c + 0.5) / grid;
  const Y = (r: number) => 1 - (r + 0.5) / grid;
  const t = (a: number, b: number) => (a === b ? 0.5 : (level - a) / (b - a));
  for (let r = 0; r + 1 < grid; r++) {
    for (let c = 0; c + 1 < grid; c++) {
      // Corners: top-left, top-right, bottom-right, bottom-left (r grows downwards).
      const tl = at(r, c);
      const tr = at(r, c + 1);
      const br = at(r + 1, c + 1);
      const bl = at(r + 1, c);
      const code = (tl >= level ? 8 : 0) | (tr >= level ? 4 : 0) | (br >= level ? 2 : 0) | (bl >= level ? 1 : 0);
      if (code === 0 || code === 15) continue;
      // Crossing points on each edge.
      const top: [number, number] = [X(c) + t(tl, tr) / grid, Y(r)];
      const right: [number, number] = [X(c + 1), Y(r) - t(tr, br) / grid];
      const bottom: [number, number] = [X(c) + t(bl, br) / grid, Y(r + 1)];
      const left: [number, number] = [X(c), Y(r) - t(tl, bl) / grid];
      const seg = (a: [number, number], b: [number, number]) => out.push([a[0], a[1], b[0], b[1]]);
      const centreHigh = (tl + tr + br + bl) / 4 >= level;
      switch (code) {
        case 1: case 14: seg(left, bottom); break;
        case 2: case 13: seg(bottom, right); break;
        case 3: case 12: seg(left, right); break;
        case 4: case 11: seg(top, right); break;
        case 6: case 9: seg(top, bottom); break;
        case 7: case 8: seg(left, top); break;
        case 5:
          if (centreHigh) { seg(left, top); seg(bottom, right); } else { seg(left, bottom); seg(top, right); }
          break;
        case 10:
          if (centreHigh) { seg(left, bottom); seg(top, right); } else { seg(left, top); seg(bottom, right); }
          break;
      }
    }
  }
  return out;
}

function contour(detail: StudyDetail, trials: DashboardTrial[], xs: Scale, ys: Scale, xName: string, yName: string): SVGSVGElement {
  const points = pointsOf(trials, xs, ys, xName, yName);
  const values = points.map((p) => p.v);
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const color = objectiveColor(lo, hi, detail.study.objective.goal === 'MAXIMIZE');
  const root = svg('svg', { width: W, height: H, viewBox: `0 0 ${W} ${H}`, class: 'contour', role: 'img', 'aria-label': `${detail.study.objective.name} over ${xName} and ${yName}` });
  root.append(svg('text', { x: FRAME.left, y: 14, class: 'axis-label' }, 'Contour (interpolated)'));
  // Axes first: the surface covers their grid lines, which would read as iso-lines.
  root.append(drawAxes(FRAME, xs, ys, xName, yName));
  const canvas = document.createElement('canvas');
  canvas.width = GRID;
  canvas.height = GRID;
  const ctx = canvas.getContext('2d');
  if (ctx && points.length > 0) {
    const grid = interpolateGrid(points);
    for (let i = 0; i < grid.length; i++) {
      ctx.fillStyle = color(grid[i]);
      ctx.fillRect(i % GRID, Math.floor(i / GRID), 1, 1);
    }
    root.append(svg('image', { href: canvas.toDataURL(), x: FRAME.left, y: FRAME.top, width: FRAME.width, height: FRAME.height, preserveAspectRatio: 'none', class: 'contour-image' }));
    // Iso-lines at the colour bar's ticks.
    for (const level of niceTicks(lo, hi, 5)) {
      if (level <= lo || level >= hi) continue;
      const d = isoSegments(grid, GRID, level)
        .map(([x1, y1, x2, y2]) => `M${px(FRAME, x1).toFixed(1)},${py(FRAME, y1).toFixed(1)}L${px(FRAME, x2).toFixed(1)},${py(FRAME, y2).toFixed(1)}`)
        .join('');
      if (d) root.append(svg('path', { d, fill: 'none', stroke: '#fff', 'stroke-opacity': 0.75, 'stroke-width': 0.9, class: 'iso-line', 'data-level': level }));
    }
  }
  // Many trials: small dark marks in one path, so the surface stays visible (and the page fast).
  if (points.length > MANY_POINTS) root.append(dotPaths(points.map((p) => ({ x: px(FRAME, p.x), y: py(FRAME, p.y), color: '#1d2330' })), 1.1, 'dots'));
  else
    for (const p of points) {
      const dot = svg('circle', { cx: px(FRAME, p.x).toFixed(1), cy: py(FRAME, p.y).toFixed(1), r: 2.5, fill: '#fff', stroke: '#1d2330', 'stroke-width': 0.8 });
      dot.append(svg('title', {}, `trial ${p.t.id}: ${fmtNumber(p.v)}`));
      root.append(dot);
    }
  root.append(colorBar(W - 70, FRAME.top + 6, FRAME.height - 6, lo, hi, color, detail.study.objective.name, numericScale(lo, hi, false, 4).ticks));
  return root;
}

function rank(detail: StudyDetail, trials: DashboardTrial[], xs: Scale, ys: Scale, xName: string, yName: string): SVGSVGElement {
  const points = pointsOf(trials, xs, ys, xName, yName);
  const maximize = detail.study.objective.goal === 'MAXIMIZE';
  // Rank 1 is the best; colour by rank / n, best brightest.
  const sorted = [...points].sort((a, b) => (maximize ? b.v - a.v : a.v - b.v));
  const rankOf = new Map(sorted.map((p, i) => [p.t.id, i + 1]));
  const n = sorted.length;
  const root = svg('svg', { width: W, height: H, viewBox: `0 0 ${W} ${H}`, class: 'rank', role: 'img', 'aria-label': `rank of ${detail.study.objective.name} over ${xName} and ${yName}` });
  root.append(svg('text', { x: FRAME.left, y: 14, class: 'axis-label' }, 'Rank'));
  root.append(drawAxes(FRAME, xs, ys, xName, yName));
  const frac = (r: number) => (n > 1 ? 1 - (r - 1) / (n - 1) : 1);
  // Worst first so the best are on top (many trials: 32 colour steps, one path each, in that order).
  if (n > MANY_POINTS) {
    root.append(dotPaths([...sorted].reverse().map((p) => ({ x: px(FRAME, p.x), y: py(FRAME, p.y), color: viridis(Math.round(frac(rankOf.get(p.t.id) as number) * 31) / 31) })), 2.2, 'dots rank-dots'));
  } else
    for (const p of [...sorted].reverse()) {
      const r = rankOf.get(p.t.id) as number;
      const dot = svg('circle', { cx: px(FRAME, p.x).toFixed(1), cy: py(FRAME, p.y).toFixed(1), r: 4, fill: viridis(frac(r)), stroke: '#1d2330', 'stroke-width': 0.4, class: 'rank-point' });
      dot.append(svg('title', {}, `trial ${p.t.id}: rank ${r} of ${n} (${fmtNumber(p.v)})`));
      root.append(dot);
    }
  const ticks = numericScale(1, Math.max(2, n), false, 4).ticks.map(([p, label]): [number, string] => [1 - p, label]);
  root.append(colorBar(W - 70, FRAME.top + 6, FRAME.height - 6, 0, 1, viridis, 'rank', ticks));
  return root;
}

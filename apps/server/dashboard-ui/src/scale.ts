/** Scales for the hand-drawn (SVG and canvas) charts: a parameter or metric mapped to [0, 1] with
 *  readable ticks (1, 2, 5 × 10^k on linear axes, powers of ten and their 2 and 5 multiples on log
 *  axes, evenly spaced categories), and the colour scale for objective values. */
import { fmtNumber } from './format';
import type { DashboardTrial, StudyDetail } from './types';

export type Tick = [position: number, label: string];

export interface Scale {
  /** Position in [0, 1] of a value; null when the value is missing or not on this scale. */
  position(v: number | string | undefined | null): number | null;
  /** The value at a position (numeric scales only; categories: undefined). */
  invert(p: number): number | undefined;
  ticks: Tick[];
  kind: 'linear' | 'log' | 'categorical';
  categories?: string[];
}

/** About `count` round numbers covering [lo, hi] (the d3 / Heckbert rule: steps of 1, 2 or 5 × 10^k). */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [];
  if (hi < lo) [lo, hi] = [hi, lo];
  if (hi === lo) return [lo];
  const raw = (hi - lo) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const error = raw / power;
  const step = power * (error >= 7.07 ? 10 : error >= 3.16 ? 5 : error >= 1.41 ? 2 : 1);
  const out: number[] = [];
  for (let i = Math.ceil(lo / step); i * step <= hi + step * 1e-9; i++) out.push(Number((i * step).toPrecision(12)));
  return out;
}

/** Ticks for a log axis over [lo, hi] (lo > 0): powers of ten, with 2× and 5× when there are few decades. */
export function logTicks(lo: number, hi: number): number[] {
  const a = Math.floor(Math.log10(lo));
  const b = Math.ceil(Math.log10(hi));
  const multiples = b - a <= 2 ? [1, 2, 5] : b - a <= 4 ? [1, 3] : [1];
  const out: number[] = [];
  for (let e = a; e <= b; e++) for (const m of multiples) {
    const v = Number((m * 10 ** e).toPrecision(12));
    if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) out.push(v);
  }
  if (out.length < 2) return niceTicks(lo, hi, 4);
  // Too many for the room: every other one.
  return out.length > 8 ? out.filter((_, i) => i % 2 === 0) : out;
}

export function numericScale(lo: number, hi: number, log: boolean, count = 5): Scale {
  if (!(hi > lo)) {
    const pad = Math.abs(lo) > 0 ? Math.abs(lo) * 0.05 : 1;
    [lo, hi] = [lo - pad, hi + pad];
  }
  const useLog = log && lo > 0;
  const f = (v: number) => (useLog ? Math.log(v) : v);
  const a = f(lo);
  const span = f(hi) - a;
  const position = (v: number | string | undefined | null): number | null => {
    if (typeof v !== 'number' || !Number.isFinite(v) || (useLog && v <= 0)) return null;
    return Math.min(1, Math.max(0, (f(v) - a) / span));
  };
  const ticks = (useLog ? logTicks(lo, hi) : niceTicks(lo, hi, count)).map((v): Tick => [position(v) as number, fmtNumber(v)]);
  return {
    kind: useLog ? 'log' : 'linear',
    position,
    invert: (p) => (useLog ? Math.exp(a + p * span) : a + p * span),
    ticks,
  };
}

/** Categories evenly spaced, each in the middle of its own band. */
export function categoricalScale(categories: string[]): Scale {
  const at = (i: number) => (i + 0.5) / Math.max(1, categories.length);
  return {
    kind: 'categorical',
    categories,
    position: (v) => {
      const i = categories.indexOf(String(v));
      return i < 0 ? null : at(i);
    },
    invert: () => undefined,
    ticks: categories.map((c, i): Tick => [at(i), c]),
  };
}

type ParameterInfo = StudyDetail['parameters'][number];

/** A parameter's scale over its declared range (its values' range when it has none). */
export function parameterScale(p: ParameterInfo, trials: DashboardTrial[]): Scale {
  if (p.type === 'CATEGORICAL') return categoricalScale(p.categories ?? []);
  const values = trials.map((t) => t.parameters[p.name]).filter((v): v is number => typeof v === 'number');
  const lo = p.min ?? (p.values && p.values.length ? Math.min(...p.values) : minOf(values));
  const hi = p.max ?? (p.values && p.values.length ? Math.max(...p.values) : maxOf(values));
  return numericScale(lo, hi, p.scale === 'LOG', 5);
}

/** The objective's scale over the values shown. */
export function valueScale(values: number[], count = 5): Scale {
  return numericScale(minOf(values), maxOf(values), false, count);
}

export function minOf(values: number[]): number {
  let m = Infinity;
  for (const v of values) if (v < m) m = v;
  return Number.isFinite(m) ? m : 0;
}

export function maxOf(values: number[]): number {
  let m = -Infinity;
  for (const v of values) if (v > m) m = v;
  return Number.isFinite(m) ? m : 1;
}

/** Viridis (matplotlib's perceptually uniform, colour-blind-safe map), 9 stops interpolated linearly. */
const VIRIDIS: Array<[number, number, number]> = [
  [68, 1, 84],
  [71, 44, 122],
  [59, 81, 139],
  [44, 113, 142],
  [33, 144, 141],
  [39, 173, 129],
  [92, 200, 99],
  [170, 220, 50],
  [253, 231, 37],
];

/** The colour of t in [0, 1]: dark purple (0) to yellow (1). */
export function viridis(t: number): string {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(x));
  const f = x - i;
  const c = VIRIDIS[i].map((v, k) => Math.round(v + f * (VIRIDIS[i + 1][k] - v)));
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}

/** Colour of an objective value: better is brighter (yellow), whichever the goal. */
export function objectiveColor(lo: number, hi: number, maximize: boolean): (v: number) => string {
  return (v) => {
    const q = hi > lo ? (v - lo) / (hi - lo) : 1;
    return viridis(maximize ? q : 1 - q);
  };
}

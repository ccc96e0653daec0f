/** Parameter importance for the dashboard: each parameter's first-order share of the objective's
 *  variance, i.e. the main-effect term of a functional ANOVA (Hutter, Hoos, Leyton-Brown 2014), estimated
 *  directly from the completed trials by grouping them on that parameter (categories as they are,
 *  numbers in equal-count bins) and taking the bias-corrected correlation ratio, epsilon-squared
 *  (Kelley 1935):  ε² = (SS_between − (k − 1)·MS_within) / SS_total,  MS_within = SS_within / (n − k).
 *  Unlike η² = SS_between / SS_total, ε² is near 0 for a parameter that does not matter even when each
 *  group holds only a few trials.
 *
 *  Pairwise interactions (parameterInteractions) are the second-order terms of the same decomposition,
 *  from a two-way ANOVA of each pair on coarser bins (about n^¼ a side, so that cells hold trials):
 *  SS_interaction = SS_cells − SS_a − SS_b, bias-corrected like ε² with its degrees of freedom
 *  (cells − k_a − k_b + 1) and the within-cell mean square. With independently sampled parameters
 *  (random or quasi-random search) the terms are orthogonal, as in fANOVA; under a model-based search
 *  the sampled points correlate and the split between a main effect and an interaction is approximate.
 *  Everything here is deterministic (no forest, no seed). */
import type { Assignment, ParameterValue } from '@hpo/space';

export interface ParameterImportance {
  name: string;
  /** ε², clipped to [0, 1]. */
  importance: number;
  /** importance / Σ importance (0 when every importance is 0). */
  share: number;
  groups: number;
}

export interface ParameterInteraction {
  names: [string, string];
  /** ε² of the pair's interaction term, clipped to [0, 1]. */
  importance: number;
  /** Cells of the two-way table that hold trials. */
  cells: number;
}

/** Fewer completed trials than this give no importance (three groups of one cannot separate anything). */
export const MIN_TRIALS_FOR_IMPORTANCE = 5;
/** Numeric parameters are split into about √n equal-count bins, at most this many: finer bins leave
 *  too few trials per bin for the within-group variance to mean much. */
const MAX_BINS = 10;

export function parameterImportance(names: string[], trials: Array<{ parameters: Assignment; value: number }>): ParameterImportance[] {
  const usable = trials.filter((t) => Number.isFinite(t.value));
  const n = usable.length;
  if (n < MIN_TRIALS_FOR_IMPORTANCE) return [];
  const values = usable.map((t) => t.value);
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const ssTotal = values.reduce((a, v) => a + (v - mean) ** 2, 0);
  const raw = names.map((name) => {
    const groups = groupIndices(usable.map((t) => t.parameters[name]), Math.min(MAX_BINS, Math.max(2, Math.round(Math.sqrt(n)))));
    return { name, importance: ssTotal > 0 ? epsilonSquared(values, groups, mean, ssTotal) : 0, groups: groups.length };
  });
  const total = raw.reduce((a, r) => a + r.importance, 0);
  return raw
    .map((r) => ({ ...r, share: total > 0 ? r.importance / total : 0 }))
    .sort((a, b) => b.importance - a.importance || a.name.localeCompare(b.name));
}

/** ε² of `values` split into `groups` (lists of indices). */
export function epsilonSquared(values: number[], groups: number[][], mean: number, ssTotal: number): number {
  const n = values.length;
  const k = groups.length;
  if (k < 2 || n <= k) return 0;
  let ssBetween = 0;
  for (const g of groups) {
    const m = g.reduce((a, i) => a + values[i], 0) / g.length;
    ssBetween += g.length * (m - mean) ** 2;
  }
  const msWithin = (ssTotal - ssBetween) / (n - k);
  return Math.min(1, Math.max(0, (ssBetween - (k - 1) * msWithin) / ssTotal));
}

/** Groups trial indices: strings (categories) and absent values (an inactive conditional parameter)
 *  by value; numbers into `bins` equal-count bins by rank, never splitting equal values. */
export function groupIndices(column: Array<ParameterValue | undefined>, bins: number): number[][] {
  const byKey = new Map<string, number[]>();
  const numeric: number[] = [];
  column.forEach((v, i) => {
    if (typeof v === 'number') numeric.push(i);
    else {
      const key = v === undefined ? '\u0000inactive' : `s:${v}`;
      byKey.set(key, [...(byKey.get(key) ?? []), i]);
    }
  });
  const groups = [...byKey.values()];
  if (numeric.length === 0) return groups;
  numeric.sort((a, b) => (column[a] as number) - (column[b] as number));
  const distinct = new Set(numeric.map((i) => column[i])).size;
  const k = Math.min(bins, distinct);
  let current: number[] = [];
  numeric.forEach((idx, rank) => {
    const target = Math.floor((rank * k) / numeric.length);
    const sameAsPrevious = rank > 0 && column[numeric[rank - 1]] === column[idx];
    if (current.length > 0 && !sameAsPrevious && target > groups.length - byKey.size) {
      groups.push(current);
      current = [];
    }
    current.push(idx);
  });
  if (current.length > 0) groups.push(current);
  return groups;
}

/** Fewer completed trials than this give no interactions (a 2 × 2 table needs a few trials a cell). */
export const MIN_TRIALS_FOR_INTERACTIONS = 12;
/** Bins a side of the two-way tables: at most this many. */
const MAX_PAIR_BINS = 5;
/** Pairs are computed among at most this many parameters (the most important first). */
const MAX_PAIR_PARAMETERS = 30;

/** The interaction term of every pair of `names` (among the MAX_PAIR_PARAMETERS first), largest first,
 *  those above 0 only; `pairBins` overrides the bins a side. */
export function parameterInteractions(names: string[], trials: Array<{ parameters: Assignment; value: number }>, pairBins?: number): ParameterInteraction[] {
  const usable = trials.filter((t) => Number.isFinite(t.value));
  const n = usable.length;
  if (n < MIN_TRIALS_FOR_INTERACTIONS) return [];
  const values = usable.map((t) => t.value);
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const ssTotal = values.reduce((a, v) => a + (v - mean) ** 2, 0);
  if (!(ssTotal > 0)) return [];
  const bins = pairBins ?? Math.min(MAX_PAIR_BINS, Math.max(2, Math.round(n ** 0.25)));
  const considered = names.slice(0, MAX_PAIR_PARAMETERS);
  // Each parameter's coarse group of every trial, and the sum of squares between those groups.
  const groupOf = considered.map((name) => {
    const groups = groupIndices(usable.map((t) => t.parameters[name]), bins);
    const of = new Int32Array(n);
    groups.forEach((g, k) => g.forEach((i) => (of[i] = k)));
    return { of, k: groups.length, ss: sumOfSquaresBetween(values, groups, mean) };
  });
  const out: ParameterInteraction[] = [];
  for (let a = 0; a < considered.length; a++) {
    for (let b = a + 1; b < considered.length; b++) {
      const A = groupOf[a];
      const B = groupOf[b];
      const cells = new Map<number, number[]>();
      for (let i = 0; i < n; i++) {
        const key = A.of[i] * B.k + B.of[i];
        const cell = cells.get(key);
        if (cell) cell.push(i);
        else cells.set(key, [i]);
      }
      const ssCells = sumOfSquaresBetween(values, [...cells.values()], mean);
      const df = cells.size - A.k - B.k + 1;
      if (df <= 0 || n <= cells.size) continue;
      const ssInteraction = ssCells - A.ss - B.ss;
      const msWithin = (ssTotal - ssCells) / (n - cells.size);
      const importance = Math.min(1, Math.max(0, (ssInteraction - df * msWithin) / ssTotal));
      if (importance > 0) out.push({ names: [considered[a], considered[b]], importance, cells: cells.size });
    }
  }
  return out.sort((x, y) => y.importance - x.importance || x.names.join().localeCompare(y.names.join()));
}

function sumOfSquaresBetween(values: number[], groups: number[][], mean: number): number {
  let ss = 0;
  for (const g of groups) {
    let m = 0;
    for (const i of g) m += values[i];
    m /= g.length;
    ss += g.length * (m - mean) ** 2;
  }
  return ss;
}

/** Parameter importance for the dashboard: each parameter's first-order share of the objective's
 *  variance, i.e. the main-effect term of a functional ANOVA (Hutter, Hoos, Leyton-Brown 2014), estimated
 *  directly from the completed trials by grouping them on that parameter (categories as they are,
 *  numbers in equal-count bins) and taking the bias-corrected correlation ratio, epsilon-squared
 *  (Kelley 1935):  ε² = (SS_between − (k − 1)·MS_within) / SS_total,  MS_within = SS_within / (n − k).
 *  Unlike η² = SS_between / SS_total, ε² is near 0 for a parameter that does not matter even when each
 *  group holds only a few trials. It sees main effects only (interactions are not attributed), like
 *  optuna-dashboard's default fANOVA view of individual parameters. */
import type { Assignment, ParameterValue } from '@hpo/space';

export interface ParameterImportance {
  name: string;
  /** ε², clipped to [0, 1]. */
  importance: number;
  /** importance / Σ importance (0 when every importance is 0). */
  share: number;
  groups: number;
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

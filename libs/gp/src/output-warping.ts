/** Output warping before standardisation (OSS Vizier's GP bandit does the same, output_warpers.py): a
 *  GP with stationary Gaussian noise is a poor model of metrics whose bad values are far worse than their
 *  good ones (a diverged run, a worst-region probe, an LLM's misleading warm start). One such value
 *  inflates the standard deviation the GP standardises by, so the good region, where the search now
 *  works, looks flat and EI there vanishes. The warps are monotone, so the incumbent and every ordering
 *  are kept; the acquisition works in warped units throughout.
 *
 *  Convention: larger is better (the policy negates MINIMIZE metrics first). */
import { median } from '@hpo/space';
import { normalQuantile } from '@hpo/numeric';

/** NONE: standardisation only. HALF_RANK: halfRankWarp. HALF_RANK_LOG: half-rank then log warping
 *  (Vizier's default pipeline). HALF_RANK_COMPRESS (GP_BANDIT's default): each bad value is only ever
 *  raised to its half-rank position, never lowered, so outliers are pulled in while a bad half that is
 *  already compact (Ackley's plateau) keeps its metric information. Measured side by side in
 *  bench/results/gp-output-warping/gp-quality.md. */
export const OUTPUT_WARPINGS = ['NONE', 'HALF_RANK', 'HALF_RANK_LOG', 'HALF_RANK_COMPRESS'] as const;
export type OutputWarping = (typeof OUTPUT_WARPINGS)[number];

/** The warping a name (e.g. a command-line value) stands for; throws naming the known ones. */
export function parseOutputWarping(name: string): OutputWarping {
  const warping = OUTPUT_WARPINGS.find((w) => w === name);
  if (!warping) throw new Error(`unknown output warping '${name}' (known: ${OUTPUT_WARPINGS.join(', ')})`);
  return warping;
}

export function warpOutputs(y: ArrayLike<number>, warping: OutputWarping): Float64Array {
  if (warping === 'NONE') return Float64Array.from(y);
  const halfRank = halfRankWarp(y);
  if (warping === 'HALF_RANK_LOG') return logWarp(halfRank);
  // max of two increasing maps of y is increasing: the order, and so the incumbent, is kept.
  if (warping === 'HALF_RANK_COMPRESS') return halfRank.map((v, i) => Math.max(v, y[i]));
  return halfRank;
}

/** Half-rank warping: values at or above the median are kept; each value below it is replaced by the
 *  normal quantile of its rank among the bad half, scaled by the good half's spread about the median.
 *  So the bad half looks like the lower tail of a normal whose upper half is the data's good half, and
 *  however bad the worst value, it lands about Φ⁻¹(1/(4m)) good-half deviations below the median (m bad
 *  distinct values). Ties share a rank. */
export function halfRankWarp(y: ArrayLike<number>): Float64Array {
  const out = Float64Array.from(y);
  const unique = [...new Set(Array.from(y))].sort((a, b) => a - b);
  if (unique.length < 3) return out;
  const middle = median(y);
  // Distinct values strictly below the median; the median itself, when observed, counts as half a rank.
  const below = unique.findIndex((v) => v >= middle);
  const denominator = below + (unique[below] === middle ? 0.5 : 0);
  const spread = goodHalfSpread(unique, middle);
  if (below === 0 || !(spread > 0)) return out;
  const rank = new Map(unique.map((v, i) => [v, i + 1]));
  for (let i = 0; i < out.length; i++) {
    if (out[i] >= middle) continue;
    const quantile = (0.5 * (rank.get(out[i])! - 0.5)) / denominator;
    out[i] = middle + spread * normalQuantile(quantile);
  }
  return out;
}

/** Log warping (Vizier's LogWarperComponent, offset 1.5): maps [min, max] onto [−0.5, 0.5] by
 *  0.5 − log1p((max − y)/(max − min) · (c − 1))/log c, convex in y: its slope at the best value is c
 *  times its slope at the worst, so differences among the best values are stretched relative to those
 *  among the worst. */
export function logWarp(y: ArrayLike<number>, offset = 1.5): Float64Array {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < y.length; i++) {
    min = Math.min(min, y[i]);
    max = Math.max(max, y[i]);
  }
  const out = Float64Array.from(y);
  const range = max - min;
  if (!(range > 0) || !Number.isFinite(range)) return out;
  for (let i = 0; i < out.length; i++) out[i] = 0.5 - Math.log1p(((max - y[i]) / range) * (offset - 1)) / Math.log(offset);
  return out;
}

/** Root mean square distance of the distinct values at or above the median from it; when they all equal
 *  it, the same over all distinct values. */
function goodHalfSpread(unique: number[], median: number): number {
  const rms = (vs: number[]): number => Math.sqrt(vs.reduce((s, v) => s + (v - median) ** 2, 0) / vs.length);
  const good = rms(unique.filter((v) => v >= median));
  return good > 0 ? good : rms(unique);
}

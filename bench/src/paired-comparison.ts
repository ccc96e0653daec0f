/** Paired comparison of two methods run on the same seeds (same initial design, same random streams):
 *  the per-seed difference of log10 simple regret, its median with a seed-bootstrap 90 % interval, and a
 *  verdict against a relative bar. Paired log differences are robust to regret's heavy tails and cancel
 *  the seed-to-seed spread that dominates unpaired medians. Shared by the LLM and output-warping benches. */
import { median } from '@hpo/space';
import { Rng } from '@hpo/space';

/** Regrets below this count as "found the optimum" on the log scale. */
export const REGRET_FLOOR = 1e-6;
/** The 10 % bar on log10 regret: log10(1.1). */
export const BAR = Math.log10(1.1);

export const log10Regret = (r: number): number => Math.log10(Math.max(r, REGRET_FLOOR));

/** Seed-resampling (paired) bootstrap 90 % interval of a statistic of the paired runs. */
export function bootstrap90(n: number, statistic: (indices: number[]) => number, seed: number): [number, number] {
  const rng = new Rng(seed);
  const values: number[] = [];
  for (let b = 0; b < 4000; b++) values.push(statistic(Array.from({ length: n }, () => rng.integer(n))));
  values.sort((a, b) => a - b);
  return [values[Math.floor(0.05 * values.length)], values[Math.floor(0.95 * values.length)]];
}

export interface PairedResult {
  medianDelta: number;
  deltaCi: [number, number];
  /** Ratio of the two methods' median regrets, with its interval. */
  ratio: number;
  ratioCi: [number, number];
  /** Seeds where the method is more than 10 % better / worse than the reference. */
  better: number;
  worse: number;
  n: number;
  verdict: string;
}

/** `regret[i]` and `reference[i]` are seed i's simple regret at the checkpoint. The bar (at most 10 %
 *  worse) is shown when Δ's upper bound ≤ log10 1.1, failed when its lower bound > log10 1.1, unresolved
 *  otherwise (and "better" when the upper bound < −log10 1.1). */
export function pairedComparison(regret: readonly number[], reference: readonly number[], seed: number): PairedResult {
  const n = Math.min(regret.length, reference.length);
  const delta = Array.from({ length: n }, (_, i) => log10Regret(regret[i]) - log10Regret(reference[i]));
  const medianDelta = median(delta);
  const deltaCi = bootstrap90(n, (ix) => median(ix.map((i) => delta[i])), seed);
  const ratioOf = (ix: number[]) =>
    Math.max(median(ix.map((i) => regret[i])), REGRET_FLOOR) / Math.max(median(ix.map((i) => reference[i])), REGRET_FLOOR);
  const ratio = ratioOf(Array.from({ length: n }, (_, i) => i));
  const ratioCi = bootstrap90(n, ratioOf, seed + 1);
  const better = delta.filter((d) => d < -BAR).length;
  const worse = delta.filter((d) => d > BAR).length;
  // A bootstrap over a handful of seeds is no interval at all.
  const verdict = n < 20 ? 'too few seeds (< 20)' :
    deltaCi[1] < -BAR ? 'better by > 10 % (shown)' : deltaCi[1] <= BAR ? 'not worse by > 10 % (shown)' : deltaCi[0] > BAR ? 'worse by > 10 % (shown)' : 'unresolved';
  return { medianDelta, deltaCi, ratio, ratioCi, better, worse, n, verdict };
}

/** One markdown table row's cells after the labels: median Δ [90 %] | ratio [90 %] | better / worse | verdict. */
export function pairedCells(p: PairedResult): string {
  return `${p.medianDelta.toFixed(3)} [${p.deltaCi[0].toFixed(3)}, ${p.deltaCi[1].toFixed(3)}] | ` +
    `${p.ratio.toFixed(2)} [${p.ratioCi[0].toFixed(2)}, ${p.ratioCi[1].toFixed(2)}] | ${p.better} / ${p.worse} of ${p.n} | ${p.verdict}`;
}

/** Maximises an acquisition function over the unit cube, then onto the feasible encodings:
 *  1. a pool of scrambled-Halton points plus Gaussian perturbations of the best observed points (BoTorch's
 *     "sample around best": the optimum is usually near the incumbent, and a global quasi-random pool of a
 *     few thousand points is sparse in 10+ dimensions), plus any external candidates;
 *  2. screening: the mean is O(n d) a point and the variance O(n²), and EI/UCB/PI all grow with σ, so the
 *     value at an upper bound of σ (from the nearest training point, also O(n d)) bounds the true value;
 *     variances are computed best-bound-first and screening stops once no remaining bound can enter the
 *     top starts (branch and bound: the same result, cheaper);
 *  3. projected L-BFGS refinement of the best starts with the analytic gradient, plus one extra start at
 *     each external candidate: a proposal near a good region (an LLM's) is then carried to the
 *     acquisition's local maximum next to it instead of competing as a raw point against refined ones
 *     (which it never won in bench/results/llm.md); the acquisition still decides among all finalists;
 *  4. projection of every finalist onto the feasible set (the encoder's project: integers rounded,
 *     one-hot groups made one-hot) and re-scoring there, since rounding changes the value.
 *  With a trust region (trust-region.ts) the pool, the perturbations and the L-BFGS box all lie inside it;
 *  external candidates are still scored and refined in the whole cube. */
import { minimizeLbfgsb } from '@hpo/gp';
import type { GaussianProcess } from '@hpo/gp';
import { addPriorLogDensityGradient, priorLogDensity, scrambledHalton, type EncodedPrior } from '@hpo/space';
import type { Rng } from '@hpo/space';
import { evaluateAcquisition, type AcquisitionSpec } from './acquisition-functions';
import type { Box } from './trust-region';

export interface ScoredCandidate {
  /** A feasible point of the encoding (after projection). */
  x: Float64Array;
  /** Acquisition value at x. */
  value: number;
  /** 'external' and 'external-refined' (L-BFGS started at an external candidate) candidates keep their
   *  index into the input list. */
  source: 'refined' | 'pool' | 'external' | 'external-refined';
  externalIndex?: number;
}

export interface AcquisitionOptimizationOptions {
  gp: GaussianProcess;
  spec: AcquisitionSpec;
  rng: Rng;
  /** The encoder's projection onto feasible points (identity when omitted). */
  project?: (x: Float64Array) => Float64Array;
  /** Quasi-random pool size (default 1024). */
  poolSize?: number;
  /** Perturbed copies of the best observed points (default 256). */
  localSize?: number;
  /** L-BFGS starts (default 4) and their iteration cap (default 40). */
  refineStarts?: number;
  refineIterations?: number;
  /** Encoded external proposals (e.g. the LLM's), scored with the rest and used as extra L-BFGS starts. */
  external?: Float64Array[];
  /** Refine from each external proposal too (default true). */
  refineExternal?: boolean;
  /** How many ranked feasible candidates to return (default 16). */
  keep?: number;
  /** πBO (Hvarfner et al. 2022, eq. 6): the acquisition times π(x)^weight, i.e. + weight · log π(x) on
   *  a log-scale acquisition (LOG_EI, PI), with weight = β / n decaying as observations arrive. */
  prior?: WeightedPrior;
  /** Search only inside this box of the unit cube (a trust region); the whole cube when omitted. */
  trustRegion?: Box;
}

export interface WeightedPrior {
  prior: EncodedPrior;
  weight: number;
}

export function optimizeAcquisition(options: AcquisitionOptimizationOptions): ScoredCandidate[] {
  const { gp, spec, rng } = options;
  const d = gp.d;
  const project = options.project ?? ((x: Float64Array) => x);
  const refineStarts = options.refineStarts ?? 4;
  const keep = options.keep ?? 16;

  const box = options.trustRegion ?? unitCube(d);
  const pool = buildPool(gp, rng, options.poolSize ?? 1024, options.localSize ?? 256, box);
  const poolCount = pool.length / d;
  const prior = options.prior;
  const priorTerm = (x: ArrayLike<number>): number => (prior ? prior.weight * priorLogDensity(prior.prior, x) : 0);
  const screened = screenPool(gp, spec, pool, poolCount, Math.max(refineStarts, keep), priorTerm);

  const finalists: ScoredCandidate[] = [];
  const score = (x: Float64Array): number => {
    const p = gp.predict(x, 1);
    return evaluateAcquisition(spec, p.mean[0], p.variance[0]).value + priorTerm(x);
  };
  for (let s = 0; s < screened.length; s++) {
    const start = pool.slice(screened[s].index * d, screened[s].index * d + d);
    if (s < refineStarts) {
      const refined = refine(gp, spec, start, options.refineIterations ?? 40, prior, box);
      const projected = project(refined);
      finalists.push({ x: projected, value: score(projected), source: 'refined' });
    }
    const projected = project(start);
    finalists.push({ x: projected, value: score(projected), source: 'pool' });
  }
  const refineExternal = options.refineExternal ?? true;
  (options.external ?? []).forEach((x, externalIndex) => {
    const projected = project(Float64Array.from(x));
    finalists.push({ x: projected, value: score(projected), source: 'external', externalIndex });
    if (refineExternal) {
      const refined = project(refine(gp, spec, clampToUnitCube(x), options.refineIterations ?? 40, prior, unitCube(d)));
      finalists.push({ x: refined, value: score(refined), source: 'external-refined', externalIndex });
    }
  });
  return rankDistinct(finalists, keep + (options.external?.length ?? 0) * (refineExternal ? 2 : 1));
}

function unitCube(d: number): Box {
  return { lower: new Float64Array(d), upper: new Float64Array(d).fill(1) };
}

function buildPool(gp: GaussianProcess, rng: Rng, poolSize: number, localSize: number, box: Box): Float64Array {
  const d = gp.d;
  const { lower, upper } = box;
  const pool = new Float64Array((poolSize + localSize) * d);
  const halton = scrambledHalton(d, 0, poolSize, rng.nextUint32());
  halton.forEach((p, i) => {
    for (let k = 0; k < d; k++) pool[i * d + k] = lower[k] + p[k] * (upper[k] - lower[k]);
  });
  if (box.center) perturbCenter(pool, poolSize, d, box.center, rng);
  // Perturb the best few observed points (in standardised y) with a mix of scales: a local search around
  // the incumbents that the global pool cannot do in high dimension.
  const n = gp.n;
  if (n > 0 && localSize > 0) {
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => gp.y[b] - gp.y[a]);
    const centres = order.slice(0, Math.min(5, n));
    const scales = [0.01, 0.05, 0.15];
    for (let j = 0; j < localSize; j++) {
      const c = centres[j % centres.length];
      const sd = scales[Math.floor(j / centres.length) % scales.length];
      // In higher dimension perturb a random subset of coordinates (BoTorch perturbs ~20 of them).
      const probability = Math.min(1, 20 / d);
      for (let k = 0; k < d; k++) {
        const base = gp.x[c * d + k];
        const v = rng.uniform() < probability ? base + sd * rng.normal() : base;
        pool[(poolSize + j) * d + k] = Math.min(upper[k], Math.max(lower[k], v));
      }
    }
  }
  return pool;
}

/** TuRBO's candidates (Eriksson et al. 2019, §3; their code's perturbation mask): each pool point keeps
 *  the centre's value except on a random subset of coordinates, each taken with probability min(1, 20/d)
 *  (at least one), where it keeps its box-filling value. In 50 dimensions a point that moves every
 *  coordinate at once is almost never better than the incumbent; moving ~20 of them is. */
function perturbCenter(pool: Float64Array, count: number, d: number, center: Float64Array, rng: Rng): void {
  const probability = Math.min(1, 20 / d);
  if (probability >= 1) return;
  for (let i = 0; i < count; i++) {
    const forced = rng.integer(d);
    for (let k = 0; k < d; k++) if (k !== forced && rng.uniform() >= probability) pool[i * d + k] = center[k];
  }
}

/** The indices of the `top` best pool points by exact acquisition value, computing variances only where
 *  the σ = σ_f bound says they could matter. */
function screenPool(
  gp: GaussianProcess, spec: AcquisitionSpec, pool: Float64Array, count: number, top: number, priorTerm: (x: ArrayLike<number>) => number,
): { index: number; value: number }[] {
  const d = gp.d;
  // The cross-covariances of the bound pass are kept, so an exact variance costs only its O(n²) solve.
  const cross = new Float64Array(count * gp.n);
  const { mean, varianceBound } = gp.predictMeanAndVarianceBound(pool, count, cross);
  const bounds = new Float64Array(count);
  // The prior term is exact and added to both the bound and the value, so the bound stays a bound.
  const priors = Float64Array.from({ length: count }, (_, i) => priorTerm(pool.subarray(i * d, i * d + d)));
  for (let i = 0; i < count; i++) bounds[i] = evaluateAcquisition(spec, mean[i], varianceBound[i]).value + priors[i];
  const order = Array.from({ length: count }, (_, i) => i).sort((a, b) => bounds[b] - bounds[a]);
  const best: { index: number; value: number }[] = [];
  for (const index of order) {
    if (best.length >= top && bounds[index] <= best[best.length - 1].value) break;
    const value = evaluateAcquisition(spec, mean[index], gp.varianceFromCrossCovariance(cross, index * gp.n)).value + priors[index];
    if (!Number.isFinite(value)) continue;
    if (best.length < top || value > best[best.length - 1].value) {
      best.push({ index, value });
      best.sort((a, b) => b.value - a.value);
      if (best.length > top) best.pop();
    }
  }
  return best;
}

/** L-BFGS-B needs a start inside its box; an encoder can hand back values a hair outside [0, 1]. */
function clampToUnitCube(x: Float64Array): Float64Array {
  return Float64Array.from(x, (v) => Math.min(1, Math.max(0, v)));
}

/** Projected L-BFGS on −acquisition inside the box (the unit cube or the trust region), chaining ∂a/∂μ ∇μ + ∂a/∂σ ∇σ, ∇σ = ∇σ² / (2σ). */
function refine(
  gp: GaussianProcess, spec: AcquisitionSpec, start: Float64Array, maxIterations: number, prior: WeightedPrior | undefined, box: Box,
): Float64Array {
  const d = gp.d;
  const { lower, upper } = box;
  const result = minimizeLbfgsb({
    lower, upper,
    evaluate: (x, gradient) => {
      const p = gp.predictWithGradient(x);
      const std = Math.sqrt(p.variance);
      const a = evaluateAcquisition(spec, p.mean, p.variance);
      for (let c = 0; c < d; c++) gradient[c] = -(a.dMean * p.meanGradient[c] + (a.dStd * p.varianceGradient[c]) / (2 * std));
      if (!prior) return -a.value;
      addPriorLogDensityGradient(prior.prior, x, -prior.weight, gradient);
      return -(a.value + prior.weight * priorLogDensity(prior.prior, x));
    },
  }, start, { maxIterations, gradientTolerance: 1e-7, relativeTolerance: 1e-9 });
  return result.x;
}

/** Sorted by value, best first, with exact duplicates (common after rounding) removed. An external
 *  candidate within rounding (1e-12 relative) of an own candidate ranks first: it is the same point, and
 *  the proposal deserves the credit. */
function rankDistinct(candidates: ScoredCandidate[], keep: number): ScoredCandidate[] {
  const seen = new Set<string>();
  const out: ScoredCandidate[] = [];
  const sortKey = (c: ScoredCandidate) => c.value + (c.source === 'external' ? 1e-12 * Math.max(1, Math.abs(c.value)) : 0);
  const sorted = candidates.filter((c) => Number.isFinite(c.value)).sort((a, b) => sortKey(b) - sortKey(a));
  for (const c of sorted) {
    const key = Array.from(c.x).join(',');
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(c);
    if (out.length >= keep) break;
  }
  return out;
}

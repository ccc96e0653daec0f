/** Acquisition over several GPs: several objectives (a Pareto front) and/or outcome constraints.
 *
 *  - Objectives: the random hypervolume scalarization (hypervolume-scalarization.ts) of each objective's
 *    UCB, μ_i + √β σ_i, minus the best scalarized observation — OSS Vizier's multi-metric GP bandit. One
 *    objective: log-EI against the best feasible observation (Ament et al. 2023).
 *  - Constraints: the probability of feasibility, ∏_j Φ((μ_j − t_j) / σ_j) for independent GPs on each
 *    constraint (Gardner, Kusner, Xu, Weinberger & Cunningham 2014, "Bayesian Optimization with
 *    Inequality Constraints", eq. 5): log-EI + log PoF for one objective; for several, the scalarized
 *    improvement times PoF where it is positive. With no feasible observation yet, PoF alone (find the
 *    feasible region first, as Gardner et al. do).
 *  Every GP is in its own standardised units, larger-is-better (objectives) or feasible-above-threshold
 *  (constraints, thresholds standardised the same way).
 *
 *  The maximisation is a scored pool (scrambled Halton plus perturbations of the best points, like
 *  optimize-acquisition.ts) followed by two rounds of local perturbation around the best candidates:
 *  the scalarized min() has no useful gradient where objectives tie, and several GPs make each score
 *  cost several O(n²) variances, so a derivative-free local search is the honest choice here. */
import type { GaussianProcess } from '@hpo/gp';
import { priorLogDensity, scrambledHalton, type Rng } from '@hpo/space';
import type { WeightedPrior } from './optimize-acquisition';
import { logExpectedImprovement } from './acquisition-functions';
import { chebyshevScalarization } from './hypervolume-scalarization';
import { logNormalCdf } from '@hpo/numeric';

export interface ConstraintModel {
  gp: GaussianProcess;
  /** Feasible when the (standardised, oriented) value is at least this. */
  threshold: number;
}

export interface MultiMetricModels {
  /** One GP per objective, standardised, larger is better. */
  objectives: GaussianProcess[];
  constraints: ConstraintModel[];
  /** Per objective, standardised: the hypervolume reference point (several objectives). */
  reference: Float64Array;
  /** Rows of the training data (shared by every GP) that are feasible: observed constraint values all on
   *  the feasible side (every row when there are no constraints). */
  feasibleRows: number[];
  /** UCB's β for the objectives. */
  beta: number;
  /** πBO: the acquisition weighted by the user's prior on the optimum, π(x)^weight. */
  prior?: WeightedPrior;
}

export interface MultiMetricScore {
  value: number;
  /** Probability of feasibility (1 without constraints). */
  feasibility: number;
}

/** The acquisition for one draw of scalarization weights (ignored with one objective), as a function of
 *  x: the incumbent (best feasible value, or best scalarized observation) is found once per draw, not
 *  once per candidate. */
export function multiMetricAcquisition(models: MultiMetricModels, weights: Float64Array): (x: Float64Array) => MultiMetricScore {
  const acquisition = unweightedAcquisition(models, weights);
  const { prior } = models;
  if (!prior) return acquisition;
  // πBO (Hvarfner et al. 2022, eq. 6): α(x) π(x)^w. The log-scale scores (log-EI + log PoF, log PoF)
  // add w log π(x); a positive scalarized improvement is multiplied by π(x)^w and a negative one divided,
  // so among candidates that all fall short the prior still prefers its region.
  return (x) => {
    const score = acquisition(x);
    const logPrior = prior.weight * priorLogDensity(prior.prior, x);
    const logScale = models.feasibleRows.length === 0 || models.objectives.length === 1;
    const value = logScale ? score.value + logPrior : score.value > 0 ? score.value * Math.exp(logPrior) : score.value * Math.exp(-logPrior);
    return { ...score, value };
  };
}

function unweightedAcquisition(models: MultiMetricModels, weights: Float64Array): (x: Float64Array) => MultiMetricScore {
  const logFeasibilityAt = (x: Float64Array): number => {
    let logFeasibility = 0;
    for (const c of models.constraints) {
      const p = c.gp.predict(x, 1);
      logFeasibility += logNormalCdf((p.mean[0] - c.threshold) / Math.sqrt(Math.max(p.variance[0], 1e-18)));
    }
    return logFeasibility;
  };
  if (models.feasibleRows.length === 0) {
    return (x) => {
      const logFeasibility = logFeasibilityAt(x);
      return { value: logFeasibility, feasibility: Math.exp(logFeasibility) };
    };
  }
  if (models.objectives.length === 1) {
    const gp = models.objectives[0];
    let best = Number.NEGATIVE_INFINITY;
    for (const r of models.feasibleRows) best = Math.max(best, gp.y[r]);
    return (x) => {
      const logFeasibility = logFeasibilityAt(x);
      const p = gp.predict(x, 1);
      return { value: logExpectedImprovement(p.mean[0], Math.sqrt(Math.max(p.variance[0], 1e-18)), best).value + logFeasibility, feasibility: Math.exp(logFeasibility) };
    };
  }
  const incumbent = bestScalarized(models, weights);
  return (x) => {
    const feasibility = Math.exp(logFeasibilityAt(x));
    const ucb = models.objectives.map((gp) => {
      const p = gp.predict(x, 1);
      return p.mean[0] + Math.sqrt(models.beta * Math.max(p.variance[0], 0));
    });
    const improvement = chebyshevScalarization(ucb, models.reference, weights) - incumbent;
    return { value: improvement > 0 ? improvement * feasibility : improvement, feasibility };
  };
}

/** max over feasible observations of t_λ(y). */
function bestScalarized(models: MultiMetricModels, weights: Float64Array): number {
  let best = Number.NEGATIVE_INFINITY;
  const y = new Float64Array(models.objectives.length);
  for (const r of models.feasibleRows) {
    models.objectives.forEach((gp, i) => (y[i] = gp.y[r]));
    best = Math.max(best, chebyshevScalarization(y, models.reference, weights));
  }
  return best;
}

export interface MultiMetricSearchOptions {
  models: MultiMetricModels;
  weights: Float64Array;
  d: number;
  rng: Rng;
  /** Encoded points to search around (the current Pareto set or best feasible points). */
  centres: Float64Array[];
  /** The encoder's projection onto feasible encodings. */
  project?: (x: Float64Array) => Float64Array;
  /** Rejects a candidate (already a trial, too close to a pending one); the next best is taken. */
  accept?: (x: Float64Array) => boolean;
  poolSize?: number;
  localSize?: number;
}

export interface MultiMetricCandidate extends MultiMetricScore {
  x: Float64Array;
}

/** The best accepted candidate, or undefined when every candidate was rejected. */
export function maximizeMultiMetricAcquisition(options: MultiMetricSearchOptions): MultiMetricCandidate | undefined {
  const { d, rng, models, weights } = options;
  const project = options.project ?? ((x: Float64Array) => x);
  const accept = options.accept ?? (() => true);
  const acquisition = multiMetricAcquisition(models, weights);
  const score = (x: Float64Array): MultiMetricCandidate => ({ x, ...acquisition(x) });
  const pool: Float64Array[] = scrambledHalton(d, 0, options.poolSize ?? 512, rng.nextUint32());
  pool.push(...perturb(options.centres, options.localSize ?? 256, [0.01, 0.05, 0.15], d, rng));
  let ranked = rank(pool.map((x) => score(project(clamp(x)))));
  // Two rounds of local search around the leaders, at shrinking scales.
  for (const scale of [0.05, 0.01]) {
    const leaders = ranked.slice(0, 4).map((c) => c.x);
    ranked = rank([...ranked.slice(0, 32), ...perturb(leaders, 64, [scale], d, rng).map((x) => score(project(clamp(x))))]);
  }
  return ranked.find((c) => Number.isFinite(c.value) && accept(c.x));
}

function perturb(centres: Float64Array[], count: number, scales: number[], d: number, rng: Rng): Float64Array[] {
  if (centres.length === 0) return [];
  const out: Float64Array[] = [];
  // In higher dimension perturb a random subset of coordinates (BoTorch perturbs ~20 of them).
  const probability = Math.min(1, 20 / d);
  for (let j = 0; j < count; j++) {
    const c = centres[j % centres.length];
    const sd = scales[Math.floor(j / centres.length) % scales.length];
    out.push(Float64Array.from(c, (v) => (rng.uniform() < probability ? v + sd * rng.normal() : v)));
  }
  return out;
}

function clamp(x: Float64Array): Float64Array {
  return Float64Array.from(x, (v) => Math.min(1, Math.max(0, v)));
}

/** Best first, exact duplicates (common after projection) removed. */
function rank(candidates: MultiMetricCandidate[]): MultiMetricCandidate[] {
  const seen = new Set<string>();
  return candidates
    .filter((c) => !Number.isNaN(c.value))
    .sort((a, b) => b.value - a.value)
    .filter((c) => {
      const key = Array.from(c.x).join(',');
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}

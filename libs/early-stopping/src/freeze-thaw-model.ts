/** The freeze-thaw model as the decisions use it: trials' curves in the metric's own units go in,
 *  predicted final values (at max_step) with intervals come out, for every trial and for any new
 *  configuration. Internally values are minimise-oriented (negated for MAXIMIZE) and standardised
 *  (mean 0, variance 1 over all reports), so the hyperparameter boxes mean the same on every metric. */
import { ConfigurationKernel, isotropicMatern52Kernel } from './configuration-kernel';
import { fitFreezeThawHyperparameters } from './fit-freeze-thaw';
import { FreezeThawHyperparameters, FreezeThawPosterior, GaussianPrediction, LearningCurve, freezeThawPosterior, predictCurve, predictNewCurve } from './freeze-thaw-posterior';
import { thinLearningCurve } from './learning-curve-thinning';
import { normalQuantile } from '@hpo/numeric';

export type { Goal } from '@hpo/space';
import type { Goal } from '@hpo/space';

export interface TrialLearningCurve {
  trialId: number;
  /** The configuration, encoded (e.g. the space's unit-cube encoding). */
  x: ArrayLike<number>;
  /** Reported steps, increasing, and the objective's value at each, in the metric's own units. */
  steps: readonly number[];
  values: readonly number[];
}

export interface FreezeThawModelOptions {
  goal: Goal;
  /** The last step of every trial: final values are predicted there. */
  maxStep: number;
  kernel?: ConfigurationKernel;
  /** Curves longer than this are thinned (see thinLearningCurve); default 16. */
  maxPointsPerCurve?: number;
  warmStart?: FreezeThawHyperparameters;
  /** Use these hyperparameters as they are (no likelihood optimisation; the posterior only): the cheap
   *  update when a few reports arrived since the last fit. */
  fixedHyperparameters?: FreezeThawHyperparameters;
  maxEvaluations?: number;
  /** Central probability of the reported intervals; default 0.95. */
  intervalProbability?: number;
  /** The hyperparameters are fitted on at most this many curves (default 40): the best half by latest
   *  value and the most recent others. The posterior then uses every curve. A few dozen curves pin down
   *  seven hyperparameters; fitting on hundreds would cost N³ per likelihood evaluation for nothing. */
  maxCurvesForFit?: number;
}

export interface FinalValuePrediction {
  /** Undefined for a configuration without a trial. */
  trialId?: number;
  /** The last reported step (0 for a new configuration). */
  lastStep: number;
  /** Model units: minimise-oriented and standardised. */
  mean: number;
  sd: number;
  /** The metric's own units: predicted final value and its interval (lower ≤ upper). */
  value: number;
  lower: number;
  upper: number;
  /** The latest report is worse than every trial's first report (by a tenth of the observed range). */
  diverging?: boolean;
}

export interface FreezeThawModel {
  readonly goal: Goal;
  readonly maxStep: number;
  readonly hyperparameters: FreezeThawHyperparameters;
  readonly posterior: FreezeThawPosterior;
  /** One per input curve, in input order. */
  readonly predictions: readonly FinalValuePrediction[];
  predictNew(x: ArrayLike<number>): FinalValuePrediction;
  /** Converts between the metric's units and model units. */
  toModel(metricValue: number): number;
  toMetric(modelValue: number): number;
}

/** z with P(|Z| ≤ z) = probability. */
function centralQuantile(probability: number): number {
  if (!(probability > 0 && probability < 1)) throw new Error(`intervalProbability must be in (0, 1) (got ${probability})`);
  return normalQuantile(0.5 + probability / 2);
}

function validateCurves(curves: readonly TrialLearningCurve[]): void {
  curves.forEach((c, k) => {
    if (c.steps.length === 0) throw new Error(`curves[${k}] (trial ${c.trialId}): needs at least one reported step`);
    if (c.steps.length !== c.values.length) throw new Error(`curves[${k}] (trial ${c.trialId}): steps and values must have the same length`);
    for (let i = 0; i < c.steps.length; i++) {
      if (!Number.isFinite(c.values[i])) throw new Error(`curves[${k}].values[${i}] (trial ${c.trialId}): must be finite (got ${c.values[i]})`);
      if (!Number.isFinite(c.steps[i]) || c.steps[i] < 0) throw new Error(`curves[${k}].steps[${i}] (trial ${c.trialId}): must be a finite step >= 0`);
      if (i > 0 && !(c.steps[i] > c.steps[i - 1])) throw new Error(`curves[${k}].steps[${i}] (trial ${c.trialId}): steps must increase`);
    }
  });
}

function curvesForFit(curves: LearningCurve[], limit: number): LearningCurve[] {
  if (curves.length <= limit) return curves;
  const latest = (c: LearningCurve): number => c.values[c.values.length - 1];
  const byValue = curves.map((c, i) => i).sort((a, b) => latest(curves[a]) - latest(curves[b]) || a - b);
  const chosen = new Set(byValue.slice(0, Math.floor(limit / 2)));
  for (let i = curves.length - 1; i >= 0 && chosen.size < limit; i--) chosen.add(i);
  return [...chosen].sort((a, b) => a - b).map((i) => curves[i]);
}

/** Values (minimise-oriented) farther than 20 robust deviations (1.4826 MAD) from the median are pulled
 *  in to that distance: a report of 1e308 (an overflowed loss) would otherwise make every sum infinite.
 *  Twenty MADs never touch an ordinary learning curve (its spread is a few MADs). */
function clipOutliers(curves: number[][]): number[][] {
  const all = curves.flat().sort((a, b) => a - b);
  const mid = all[Math.floor(all.length / 2)];
  const deviations = all.map((v) => Math.abs(v - mid)).sort((a, b) => a - b);
  const mad = 1.4826 * deviations[Math.floor(deviations.length / 2)];
  const spread = Math.max(mad, 1e-9 * Math.abs(mid), 1e-300);
  const lo = mid - 20 * spread;
  const hi = mid + 20 * spread;
  return curves.map((values) => values.map((v) => Math.min(hi, Math.max(lo, v))));
}

/** Mean and standard deviation, computed on values divided by their largest magnitude so that no sum
 *  overflows (values near 1e308 stay finite after clipping, their squares would not). */
function meanAndScale(curves: number[][]): { center: number; scale: number } {
  let big = 0;
  for (const values of curves) for (const v of values) big = Math.max(big, Math.abs(v));
  const unit = big > 0 ? big : 1;
  let count = 0;
  let sum = 0;
  for (const values of curves) for (const v of values) (count++, (sum += v / unit));
  const meanUnit = sum / count;
  let sq = 0;
  for (const values of curves) for (const v of values) sq += (v / unit - meanUnit) ** 2;
  const sdUnit = Math.sqrt(sq / count);
  return { center: meanUnit * unit, scale: sdUnit > 1e-12 ? sdUnit * unit : Math.max(1e-12 * unit, 1e-300) };
}

export function fitFreezeThawModel(curves: readonly TrialLearningCurve[], options: FreezeThawModelOptions): FreezeThawModel {
  if (curves.length === 0) throw new Error('fitFreezeThawModel: curves must not be empty');
  if (!(options.maxStep > 0)) throw new Error(`fitFreezeThawModel: maxStep must be > 0 (got ${options.maxStep})`);
  validateCurves(curves);
  const sign = options.goal === 'MAXIMIZE' ? -1 : 1;
  const clipped = clipOutliers(curves.map((c) => c.values.map((v) => sign * v)));
  // Reports worse than every trial's first report (a diverging run) are clipped to just beyond that
  // level: "worse than untrained" is all the ranking needs, and a loss heading for 1e6 would otherwise
  // dominate the standardisation and the curve kernel's amplitude for every other trial.
  let worstFirst = Number.NEGATIVE_INFINITY;
  let bestSeen = Number.POSITIVE_INFINITY;
  for (const values of clipped) {
    worstFirst = Math.max(worstFirst, values[0]);
    for (const v of values) bestSeen = Math.min(bestSeen, v);
  }
  const cap = worstFirst + 0.1 * Math.max(worstFirst - bestSeen, 1e-12 * Math.abs(worstFirst), 1e-300);
  const oriented = clipped.map((values) => values.map((v) => Math.min(v, cap)));
  const { center, scale } = meanAndScale(oriented);
  const toModel = (metricValue: number): number => (sign * metricValue - center) / scale;
  const toMetric = (modelValue: number): number => sign * (center + scale * modelValue);

  const maxPoints = options.maxPointsPerCurve ?? 16;
  const modelCurves: LearningCurve[] = curves.map((c, i) => {
    const thin = thinLearningCurve(c.steps, oriented[i].map((v) => (v - center) / scale), maxPoints);
    return { x: c.x, steps: thin.steps, values: thin.values, weights: thin.weights };
  });
  const kernel = options.kernel ?? isotropicMatern52Kernel;
  const fitCurves = curvesForFit(modelCurves, options.maxCurvesForFit ?? 40);
  const fit = options.fixedHyperparameters
    ? { hyperparameters: options.fixedHyperparameters }
    : fitFreezeThawHyperparameters(fitCurves, { kernel, stepScale: options.maxStep, warmStart: options.warmStart, maxEvaluations: options.maxEvaluations });
  // A covariance that is not positive definite even with jitter: retry with 100x and 10⁴x the noise
  // (a smoother fit) before giving up; callers fall back to a simpler rule on the error.
  let hyperparameters = fit.hyperparameters;
  let posterior = freezeThawPosterior(modelCurves, hyperparameters, kernel);
  for (let k = 0; !posterior && k < 2; k++) {
    hyperparameters = { ...hyperparameters, noiseVariance: Math.min(1, hyperparameters.noiseVariance * 100) };
    posterior = freezeThawPosterior(modelCurves, hyperparameters, kernel);
  }
  if (!posterior) throw new Error('fitFreezeThawModel: the fitted covariance is not positive definite');
  const z = centralQuantile(options.intervalProbability ?? 0.95);
  const describe = (g: GaussianPrediction, lastStep: number, trialId?: number, diverging?: boolean): FinalValuePrediction => {
    const sd = Math.sqrt(g.variance);
    const a = toMetric(g.mean - z * sd);
    const b = toMetric(g.mean + z * sd);
    return { trialId, lastStep, mean: g.mean, sd, value: toMetric(g.mean), lower: Math.min(a, b), upper: Math.max(a, b), diverging };
  };
  const predictions = curves.map((c, i) =>
    describe(predictCurve(posterior, i, options.maxStep), c.steps[c.steps.length - 1], c.trialId, clipped[i][clipped[i].length - 1] > cap));
  return {
    goal: options.goal,
    maxStep: options.maxStep,
    hyperparameters,
    posterior,
    predictions,
    predictNew: (x) => describe(predictNewCurve(posterior, x, options.maxStep), 0),
    toModel,
    toMetric,
  };
}

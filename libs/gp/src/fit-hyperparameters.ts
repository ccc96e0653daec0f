/** Type-II maximum a posteriori hyperparameters: maximise log p(y | X, θ) + log p(θ) by multi-start
 *  projected L-BFGS inside the bounds, optionally warm-started from a previous fit (which, a few
 *  observations later, is usually within a few iterations of the new optimum). */
import { Rng } from '@hpo/space';
import type { KernelName } from './kernels';
import {
  hyperparameterBounds, hyperparameterPrior, logPrior, packHyperparameters, priorDraw, priorMode, unpackHyperparameters,
  type GpHyperparameters, type HyperparameterPriorName,
} from './hyperparameters';
import { minimizeLbfgsb } from './lbfgsb';
import { logMarginalLikelihood, type LikelihoodResult, type TrainingData } from './marginal-likelihood';

export interface FitOptions {
  kernel?: KernelName;
  /** The hyperparameter prior (default DIMENSION_SCALED; see hyperparameters.ts). */
  prior?: HyperparameterPriorName;
  /** The previous fit: always one of the starts. */
  warmStart?: GpHyperparameters;
  /** Random starts drawn from the prior and screened by their value (default 8). */
  candidateStarts?: number;
  /** How many of the best starts are optimised (default 2; with a warm start, the warm start plus
   *  this many). 0 with a warm start: refine the warm start only (the cheap refit). */
  restarts?: number;
  maxIterations?: number;
  seed?: number;
}

export interface FitResult {
  hyperparameters: GpHyperparameters;
  /** log p(y | X, θ) + log p(θ) at the optimum. */
  logPosterior: number;
  /** The factorisation at the optimum, reused for prediction so it is not computed twice. */
  likelihood: LikelihoodResult;
  evaluations: number;
}

export function fitHyperparameters(data: TrainingData, options: FitOptions = {}): FitResult {
  const kernel = options.kernel ?? 'MATERN52';
  const d = data.d;
  const prior = hyperparameterPrior(d, options.prior);
  const bounds = hyperparameterBounds(d, prior.minLengthscale);
  const rng = new Rng(options.seed ?? 0);
  let evaluations = 0;
  let best: { theta: Float64Array; value: number; likelihood: LikelihoodResult } | undefined;

  // Negative log posterior; remembers the best point seen with its factorisation.
  const objective = (theta: Float64Array, gradient: Float64Array | undefined): number => {
    evaluations++;
    const lml = logMarginalLikelihood(kernel, data, theta, gradient !== undefined);
    const g = lml.gradient ?? new Float64Array(theta.length);
    const value = lml.value + logPrior(theta, prior, g);
    if (gradient) for (let i = 0; i < theta.length; i++) gradient[i] = -g[i];
    if (Number.isFinite(value) && (!best || value > best.value)) best = { theta: Float64Array.from(theta), value, likelihood: lml };
    return Number.isFinite(value) ? -value : Number.POSITIVE_INFINITY;
  };

  const clampToBounds = (t: Float64Array): Float64Array => {
    for (let i = 0; i < t.length; i++) t[i] = Math.min(bounds.upper[i], Math.max(bounds.lower[i], t[i]));
    return t;
  };
  const starts: Float64Array[] = [];
  // The prior's mode (BoTorch's single start), then random draws from the prior.
  const mode = priorMode(prior);
  starts.push(clampToBounds(Float64Array.from(mode)));
  const candidateStarts = options.candidateStarts ?? 8;
  for (let s = 0; s < candidateStarts; s++) starts.push(clampToBounds(priorDraw(prior, () => rng.normal())));
  const restarts = options.restarts ?? 2;
  const maxIterations = options.maxIterations ?? 60;
  const problem = { lower: bounds.lower, upper: bounds.upper, evaluate: (t: Float64Array, g: Float64Array) => objective(t, g) };
  const chosen: Float64Array[] = [];
  if (options.warmStart && options.warmStart.logLengthscales.length === d) {
    chosen.push(clampToBounds(packHyperparameters(options.warmStart)));
  }
  if (restarts > 0 || chosen.length === 0) {
    const screened = starts.map((t) => ({ t, v: objective(t, undefined) })).sort((a, b) => a.v - b.v);
    for (const s of screened.slice(0, Math.max(restarts, 1))) chosen.push(s.t);
  }
  for (const start of chosen) minimizeLbfgsb(problem, start, { maxIterations, gradientTolerance: 1e-4, relativeTolerance: 1e-7 });

  if (!best) {
    // Every evaluation was non-finite (impossible for finite data, whose factorisation never fails);
    // fall back to the prior mode.
    const theta = starts[0];
    const likelihood = logMarginalLikelihood(kernel, data, theta, false);
    return { hyperparameters: unpackHyperparameters(kernel, theta), logPosterior: likelihood.value, likelihood, evaluations };
  }
  const found = best as { theta: Float64Array; value: number; likelihood: LikelihoodResult };
  return { hyperparameters: unpackHyperparameters(kernel, found.theta), logPosterior: found.value, likelihood: found.likelihood, evaluations };
}

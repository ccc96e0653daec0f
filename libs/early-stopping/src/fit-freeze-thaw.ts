/** Type-II maximum likelihood for the freeze-thaw hyperparameters (Swersky et al. 2014, §3: α, β, the
 *  amplitudes, noise and mean "by maximising the marginal likelihood"). Parameters are searched in log
 *  space inside boxes that keep the model sane on standardised data, by Nelder–Mead from a default
 *  start and, when given, the previous fit (a warm start, as GP_BANDIT does). */
import { ConfigurationKernel } from './configuration-kernel';
import { FreezeThawHyperparameters, LearningCurve, freezeThawLogMarginalLikelihood } from './freeze-thaw-posterior';
import { nelderMead } from './nelder-mead';

export interface FitFreezeThawOptions {
  kernel: ConfigurationKernel;
  /** The step scale of the curves (max_step): β's box is relative to it. */
  stepScale: number;
  warmStart?: FreezeThawHyperparameters;
  /** Likelihood evaluations over all starts (default 600). */
  maxEvaluations?: number;
}

export interface FitFreezeThawResult {
  hyperparameters: FreezeThawHyperparameters;
  logMarginalLikelihood: number;
  evaluations: number;
}

/** θ = [log α, log β, log σ_c², log σ_n², log σ_a², m, kernel log-params…]. */
function toHyperparameters(theta: readonly number[]): FreezeThawHyperparameters {
  return {
    alpha: Math.exp(theta[0]),
    beta: Math.exp(theta[1]),
    curveVariance: Math.exp(theta[2]),
    noiseVariance: Math.exp(theta[3]),
    asymptoteVariance: Math.exp(theta[4]),
    asymptoteMean: theta[5],
    kernelParameters: theta.slice(6),
  };
}

function toTheta(h: FreezeThawHyperparameters): number[] {
  return [Math.log(h.alpha), Math.log(h.beta), Math.log(h.curveVariance), Math.log(h.noiseVariance), Math.log(h.asymptoteVariance), h.asymptoteMean, ...h.kernelParameters];
}

export function fitFreezeThawHyperparameters(curves: readonly LearningCurve[], options: FitFreezeThawOptions): FitFreezeThawResult {
  if (!(options.stepScale > 0)) throw new Error(`fitFreezeThawHyperparameters: stepScale must be > 0 (got ${options.stepScale})`);
  const kernel = options.kernel;
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  let lastMean = 0;
  for (const c of curves) {
    for (const v of c.values) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    lastMean += c.values[c.values.length - 1] / curves.length;
  }
  const s = options.stepScale;
  // Boxes for standardised data: α from nearly flat mixtures to sharp ones; β (the decay time scale)
  // from a hundredth of a step to ten training lengths; amplitudes 1e-4…1e2 of the data's variance;
  // noise down to 1e-8 (almost noiseless metrics such as training loss on full batches).
  const lower = [Math.log(0.05), Math.log(0.01), Math.log(1e-4), Math.log(1e-8), Math.log(1e-4), lo - 3, ...kernel.lower];
  const upper = [Math.log(20), Math.log(10 * s), Math.log(1e2), Math.log(1), Math.log(1e2), hi + 3, ...kernel.upper];
  const step = [1, 1, 1.5, 2, 1.5, 0.5, ...kernel.lower.map(() => 1)];
  const defaultStart = [Math.log(1), Math.log(Math.max(0.1 * s, 0.05)), 0, Math.log(1e-2), 0, lastMean, ...kernel.initial];
  // With a warm start, the previous optimum and one fresh start (so a fit that drifted into a poor
  // basin can leave it); without, two fresh starts: a slow-decay and a fast-decay curve family.
  const starts: number[][] = [];
  if (options.warmStart) starts.push(toTheta(options.warmStart).map((v, i) => Math.min(upper[i], Math.max(lower[i], v))));
  starts.push(defaultStart);
  if (!options.warmStart) starts.push([Math.log(3), Math.log(Math.max(0.02 * s, 0.05)), Math.log(3), Math.log(1e-3), Math.log(0.3), lastMean, ...kernel.initial]);

  const objective = (theta: number[]): number => {
    const lml = freezeThawLogMarginalLikelihood(curves, toHyperparameters(theta), kernel);
    return lml === null ? Number.POSITIVE_INFINITY : -lml;
  };
  const budget = options.maxEvaluations ?? 600;
  let best = { x: starts[0], value: Number.POSITIVE_INFINITY };
  let evaluations = 0;
  for (const start of starts) {
    const r = nelderMead(objective, start, { lower, upper, step, maxEvaluations: Math.floor(budget / starts.length) });
    evaluations += r.evaluations;
    if (r.value < best.value) best = r;
  }
  if (!Number.isFinite(best.value)) {
    throw new Error('fitFreezeThawHyperparameters: no hyperparameters gave a positive-definite covariance (are the curves finite?)');
  }
  return { hyperparameters: toHyperparameters(best.x), logMarginalLikelihood: -best.value, evaluations };
}

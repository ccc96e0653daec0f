/** GP hyperparameters, packed for the optimiser as θ = [log ℓ_1 … log ℓ_d, log σ_f², log σ_n², m]:
 *  length scales and variances in log space (positive, scale-free steps), the constant mean as is.
 *  Priors and bounds are in units of the unit-cube inputs and standardised outputs. */
import type { KernelName } from './kernels';

export interface GpHyperparameters {
  kernel: KernelName;
  /** Natural-log ARD length scales, one per input dimension. */
  logLengthscales: number[];
  /** Natural log of the signal variance σ_f². */
  logSignalVariance: number;
  /** Natural log of the Gaussian noise variance σ_n² (≥ the lower bound below). */
  logNoiseVariance: number;
  /** Constant prior mean (standardised output units). */
  mean: number;
}

/** Noise floor σ_n² ≥ 1e-6 in standardised units: enough for deterministic objectives to be
 *  interpolated to ~0.1 % of their spread, and it keeps K + σ_n² I well conditioned (BoTorch's floor is
 *  1e-4 in float32-era GPyTorch; double precision lets us go lower). */
export const MIN_NOISE_VARIANCE = 1e-6;

/** Box bounds on θ. Length scales from 0.005 (a feature 1/200 of the range wide) to 200 (the dimension is
 *  irrelevant); σ_f² within two decades of the standardised variance; σ_n² up to 1 (all noise). */
export function hyperparameterBounds(dimension: number): { lower: Float64Array; upper: Float64Array } {
  const lower = new Float64Array(dimension + 3);
  const upper = new Float64Array(dimension + 3);
  lower.fill(Math.log(0.005), 0, dimension);
  upper.fill(Math.log(200), 0, dimension);
  lower[dimension] = Math.log(0.01);
  upper[dimension] = Math.log(100);
  lower[dimension + 1] = Math.log(MIN_NOISE_VARIANCE);
  upper[dimension + 1] = Math.log(1);
  lower[dimension + 2] = -5;
  upper[dimension + 2] = 5;
  return { lower, upper };
}

/** Priors on the hyperparameters, as densities of the positive quantities themselves (ℓ, σ_n², σ_f²:
 *  log-normal) like GPyTorch/BoTorch evaluate them, so the MAP includes the −log v Jacobian term and a
 *  log-normal(μ, s²) prior's mode is e^{μ − s²}, not e^{μ}. The mean gets a normal prior.
 *  - Length scales: ℓ ~ LogNormal(√2 + ½ log d, 3), the dimension-scaled prior of Hvarfner, Hellsten &
 *    Nardi 2024 ("Vanilla Bayesian optimization performs great in high dimensions", ICML; BoTorch's
 *    default since 0.12): mode ≈ 0.29 √d in the unit cube, longer in higher dimension.
 *  - Noise: σ_n² ~ LogNormal(−4, 1), BoTorch's default noise prior.
 *  - Signal variance: σ_f² ~ LogNormal(0, 1) around the standardised variance.
 *  - Mean: m ~ N(0, 1) around the standardised mean. */
export interface HyperparameterPrior {
  /** Location and variance of the normal (for θ_i = log v_i: of log v_i). */
  mean: Float64Array;
  variance: Float64Array;
  /** 1 where θ_i is the log of a log-normal quantity (adds the Jacobian term), 0 for the plain mean. */
  logNormal: Uint8Array;
}

export function hyperparameterPrior(dimension: number): HyperparameterPrior {
  const mean = new Float64Array(dimension + 3);
  const variance = new Float64Array(dimension + 3);
  const logNormal = new Uint8Array(dimension + 3).fill(1);
  mean.fill(Math.SQRT2 + 0.5 * Math.log(dimension), 0, dimension);
  variance.fill(3, 0, dimension);
  mean[dimension] = 0;
  variance[dimension] = 1;
  mean[dimension + 1] = -4;
  variance[dimension + 1] = 1;
  mean[dimension + 2] = 0;
  variance[dimension + 2] = 1;
  logNormal[dimension + 2] = 0;
  return { mean, variance, logNormal };
}

/** The prior's mode in θ: μ − s² for log-normal entries, μ for the mean. */
export function priorMode(prior: HyperparameterPrior): Float64Array {
  return prior.mean.map((m, i) => (prior.logNormal[i] ? m - prior.variance[i] : m));
}

/** log p(θ) up to a constant, with its gradient added into `gradient`: for a log-normal quantity
 *  v = e^θ, log p = −θ − (θ − μ)²/(2s²); for the mean, −(θ − μ)²/(2s²). */
export function logPrior(theta: ArrayLike<number>, prior: HyperparameterPrior, gradient?: Float64Array): number {
  let value = 0;
  for (let i = 0; i < theta.length; i++) {
    const r = theta[i] - prior.mean[i];
    const jacobian = prior.logNormal[i] ? 1 : 0;
    value -= (0.5 * r * r) / prior.variance[i] + jacobian * theta[i];
    if (gradient) gradient[i] -= r / prior.variance[i] + jacobian;
  }
  return value;
}

export function packHyperparameters(h: GpHyperparameters): Float64Array {
  const d = h.logLengthscales.length;
  const theta = new Float64Array(d + 3);
  theta.set(h.logLengthscales);
  theta[d] = h.logSignalVariance;
  theta[d + 1] = h.logNoiseVariance;
  theta[d + 2] = h.mean;
  return theta;
}

export function unpackHyperparameters(kernel: KernelName, theta: ArrayLike<number>): GpHyperparameters {
  const d = theta.length - 3;
  return {
    kernel,
    logLengthscales: Array.from({ length: d }, (_, i) => theta[i]),
    logSignalVariance: theta[d],
    logNoiseVariance: theta[d + 1],
    mean: theta[d + 2],
  };
}

/** 1/ℓ_i², the form the kernels use. */
export function inverseSquaredLengthscales(logLengthscales: ArrayLike<number>, dimension: number): Float64Array {
  const out = new Float64Array(dimension);
  for (let i = 0; i < dimension; i++) out[i] = Math.exp(-2 * logLengthscales[i]);
  return out;
}

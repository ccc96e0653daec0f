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

/** Box bounds on θ. Length scales from `minLengthscale` (default 0.005: a feature 1/200 of the range wide)
 *  to 200 (the dimension is irrelevant); σ_f² within two decades of the standardised variance; σ_n² up to
 *  1 (all noise). */
export function hyperparameterBounds(dimension: number, minLengthscale = 0.005): { lower: Float64Array; upper: Float64Array } {
  const lower = new Float64Array(dimension + 3);
  const upper = new Float64Array(dimension + 3);
  lower.fill(Math.log(minLengthscale), 0, dimension);
  upper.fill(Math.log(200), 0, dimension);
  lower[dimension] = Math.log(0.01);
  upper[dimension] = Math.log(100);
  lower[dimension + 1] = Math.log(MIN_NOISE_VARIANCE);
  upper[dimension + 1] = Math.log(1);
  lower[dimension + 2] = -5;
  upper[dimension + 2] = 5;
  return { lower, upper };
}

/** One hyperparameter's prior, written as log p(v) of the positive quantity v = e^θ itself (ℓ, σ_f², σ_n²),
 *  the way GPyTorch/BoTorch and Optuna add priors to the marginal likelihood (no change of variables to θ:
 *  a LOG_NORMAL(μ, s²) term's maximum in θ is at μ − s², its density's mode, not its median e^μ):
 *  - NORMAL(μ, s²) on θ itself: −(θ − μ)²/(2s²) (the constant mean; Vizier's log-scale regularisers);
 *  - LOG_NORMAL(μ, s²) on v: −log v − (log v − μ)²/(2s²);
 *  - GAMMA(k, r) on v: (k − 1) log v − r v;
 *  - INVERSE_SQUARE(w) on a length scale ℓ: −w (ℓ² + 1/ℓ²), Optuna GPSampler's prior on 1/ℓ² (mode ℓ = 1,
 *    steep below ℓ ≈ 0.3: ℓ = 0.07 costs ~20 nats more than ℓ = 0.5). */
export type PriorTerm =
  | { family: 'NORMAL'; mean: number; variance: number }
  | { family: 'LOG_NORMAL'; mean: number; variance: number }
  | { family: 'GAMMA'; shape: number; rate: number }
  | { family: 'INVERSE_SQUARE'; weight: number };

/** Named hyperparameter priors (the prior ablation in bench/src/gp-quality.ts compares them):
 *  - DIMENSION_SCALED: ℓ ~ LogNormal(√2 + ½ log d, 3), the dimension-scaled prior of Hvarfner, Hellsten
 *    & Nardi 2024 ("Vanilla Bayesian optimization performs great in high dimensions", ICML; BoTorch's
 *    default since 0.12). Its median is e^√2 √d ≈ 4.1 √d but its mode, where MAP pulls, is
 *    e^(√2 − 3) √d ≈ 0.205 √d in the unit cube, and it is wide: ℓ = 0.07 costs only ~0.8 nats more than
 *    ℓ = 0.5 at d = 10. σ_n² ~ LogNormal(−4, 1) (BoTorch's; mode e^−5 ≈ 0.0067), σ_f² ~ LogNormal(0, 1).
 *  - OPTUNA: Optuna GPSampler's priors: ℓ INVERSE_SQUARE(0.1), σ_f² ~ Gamma(2, 1), σ_n² ~ Gamma(1.1, 30).
 *  - VIZIER: OSS Vizier's GP bandit: length scales bounded below at ℓ = 0.1 (ℓ² ≥ 0.01), with only weak
 *    log-scale regularisers 0.01 log²(ℓ²/0.5), 0.01 log²(σ_n²/0.0039), 0.01 log²(σ_f²/0.039).
 *  - DIMENSION_SCALED_FLOOR: DIMENSION_SCALED with Vizier's bound ℓ ≥ 0.1 (the bound alone).
 *  - DIMENSION_SCALED_WEAK_NOISE: DIMENSION_SCALED's length scales and signal variance with Vizier's weak
 *    noise regulariser instead of LogNormal(−4, 1), which costs ~8 nats to move σ_n² from its mode to 0.4
 *    (noise σ = 0.1 on a metric of spread 0.16), while short length scales that interpolate the noise cost
 *    under one: with 36 noisy points in 2-D the fit lands on ℓ ≈ 0.1–0.16 and σ_n² ≈ 0.007, the mode.
 *  Every prior puts m ~ N(0, 1) on the constant mean (standardised units). */
export const HYPERPARAMETER_PRIORS = ['DIMENSION_SCALED', 'OPTUNA', 'VIZIER', 'DIMENSION_SCALED_FLOOR', 'DIMENSION_SCALED_WEAK_NOISE'] as const;
export type HyperparameterPriorName = (typeof HYPERPARAMETER_PRIORS)[number];
export const DEFAULT_HYPERPARAMETER_PRIOR: HyperparameterPriorName = 'DIMENSION_SCALED';

export interface HyperparameterPrior {
  name: HyperparameterPriorName;
  /** One term per entry of θ = [log ℓ_1 … log ℓ_d, log σ_f², log σ_n², m]. */
  terms: PriorTerm[];
  /** The smallest length scale the fit may reach (a box bound, not a density). */
  minLengthscale: number;
}

/** The prior a name (e.g. a command-line value) stands for; throws naming the known ones. */
export function parseHyperparameterPrior(name: string): HyperparameterPriorName {
  const found = HYPERPARAMETER_PRIORS.find((p) => p === name);
  if (!found) throw new Error(`unknown hyperparameter prior '${name}' (known: ${HYPERPARAMETER_PRIORS.join(', ')})`);
  return found;
}

export function hyperparameterPrior(dimension: number, name: HyperparameterPriorName = DEFAULT_HYPERPARAMETER_PRIOR): HyperparameterPrior {
  const mean: PriorTerm = { family: 'NORMAL', mean: 0, variance: 1 };
  const repeat = (t: PriorTerm): PriorTerm[] => Array.from({ length: dimension }, () => t);
  // 0.01 (log v − log c)² with log v = kθ is a normal on θ with mean (log c)/k and variance 50/k².
  const vizierNoise: PriorTerm = { family: 'NORMAL', mean: Math.log(0.0039), variance: 50 };
  const dimensionScaled: PriorTerm[] = [
    ...repeat({ family: 'LOG_NORMAL', mean: Math.SQRT2 + 0.5 * Math.log(dimension), variance: 3 }),
    { family: 'LOG_NORMAL', mean: 0, variance: 1 },
    { family: 'LOG_NORMAL', mean: -4, variance: 1 },
    mean,
  ];
  switch (name) {
    case 'DIMENSION_SCALED':
      return { name, terms: dimensionScaled, minLengthscale: 0.005 };
    case 'DIMENSION_SCALED_FLOOR':
      return { name, terms: dimensionScaled, minLengthscale: 0.1 };
    case 'DIMENSION_SCALED_WEAK_NOISE':
      return { name, terms: [...dimensionScaled.slice(0, dimension + 1), vizierNoise, mean], minLengthscale: 0.005 };
    case 'OPTUNA':
      return {
        name,
        terms: [...repeat({ family: 'INVERSE_SQUARE', weight: 0.1 }), { family: 'GAMMA', shape: 2, rate: 1 }, { family: 'GAMMA', shape: 1.1, rate: 30 }, mean],
        minLengthscale: 0.005,
      };
    case 'VIZIER':
      return {
        name,
        terms: [
          ...repeat({ family: 'NORMAL', mean: 0.5 * Math.log(0.5), variance: 12.5 }),
          { family: 'NORMAL', mean: Math.log(0.039), variance: 50 },
          vizierNoise,
          mean,
        ],
        minLengthscale: 0.1,
      };
  }
}

/** The prior's mode in θ (where a fit with no data would land), per entry. */
export function priorMode(prior: HyperparameterPrior): Float64Array {
  return Float64Array.from(prior.terms, termMode);
}

/** A random θ for a fit start: log v drawn from the prior itself for NORMAL and LOG_NORMAL terms (whose
 *  log is normal), and from the Laplace approximation at the mode (the log-density's curvature) for the
 *  others. `normal` supplies standard normal draws. */
export function priorDraw(prior: HyperparameterPrior, normal: () => number): Float64Array {
  return Float64Array.from(prior.terms, (t) => {
    switch (t.family) {
      case 'NORMAL':
      case 'LOG_NORMAL':
        return t.mean + Math.sqrt(t.variance) * normal();
      case 'GAMMA': // −d²/dθ² of (k−1)θ − r e^θ is r e^θ = k − 1 at the mode
        return termMode(t) + normal() / Math.sqrt(Math.max(t.shape - 1, 0.1));
      case 'INVERSE_SQUARE': // −d²/dθ² of −w(e^{2θ} + e^{−2θ}) is 8w at θ = 0
        return normal() / Math.sqrt(8 * t.weight);
    }
  });
}

function termMode(t: PriorTerm): number {
  switch (t.family) {
    case 'NORMAL':
      return t.mean;
    case 'LOG_NORMAL':
      return t.mean - t.variance;
    case 'GAMMA':
      return Math.log(Math.max(t.shape - 1, 1e-3) / t.rate);
    case 'INVERSE_SQUARE':
      return 0;
  }
}

/** log p(θ) up to a constant, with its gradient with respect to θ added into `gradient`. */
export function logPrior(theta: ArrayLike<number>, prior: HyperparameterPrior, gradient?: Float64Array): number {
  let value = 0;
  for (let i = 0; i < theta.length; i++) {
    const t = prior.terms[i];
    const x = theta[i];
    let v: number;
    let g: number;
    switch (t.family) {
      case 'NORMAL': {
        const r = x - t.mean;
        v = (-0.5 * r * r) / t.variance;
        g = -r / t.variance;
        break;
      }
      case 'LOG_NORMAL': {
        const r = x - t.mean;
        v = (-0.5 * r * r) / t.variance - x;
        g = -r / t.variance - 1;
        break;
      }
      case 'GAMMA': {
        const e = Math.exp(x);
        v = (t.shape - 1) * x - t.rate * e;
        g = t.shape - 1 - t.rate * e;
        break;
      }
      case 'INVERSE_SQUARE': {
        const up = Math.exp(2 * x);
        const down = Math.exp(-2 * x);
        v = -t.weight * (up + down);
        g = -2 * t.weight * (up - down);
        break;
      }
    }
    value += v;
    if (gradient) gradient[i] += g;
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

/** The GP posterior on the unit cube: predictive mean and latent variance at query points and their
 *  gradients with respect to the query (Rasmussen & Williams 2006, eqs. 2.25–2.26):
 *    μ(q) = m + k(q)ᵀ α,   σ²(q) = σ_f² − k(q)ᵀ K_θ⁻¹ k(q),   α = K_θ⁻¹ (y − m),
 *  with K_θ = L Lᵀ factored once (by the fit) and reused for every query. Outputs are in standardised
 *  units (see `transform`). */
import {
  choleskyAppend, choleskyWithJitter, independentCholeskyFactor, solveLowerInPlace, solveUpperTransposedInPlace, type CholeskyFactor,
} from '@hpo/numeric';
import type { CholeskyCache } from './cholesky-cache';
import { fitHyperparameters, type FitOptions } from './fit-hyperparameters';
import { inverseSquaredLengthscales, type GpHyperparameters } from './hyperparameters';
import {
  crossCovariance, kernelDerivativeOfSquaredDistance, kernelMatrix, kernelOfSquaredDistance, scaledSquaredDistance,
} from './kernels';
import type { TrainingData } from './marginal-likelihood';
import { fitOutputTransform, standardize, type OutputTransform } from './standardize';

export interface Prediction {
  mean: Float64Array;
  /** Latent (noise-free) variance, floored at a tiny positive value. */
  variance: Float64Array;
}

export interface PredictionWithGradient {
  mean: number;
  variance: number;
  meanGradient: Float64Array;
  varianceGradient: Float64Array;
}

const SQRT5 = Math.sqrt(5);

/** Variances below this fraction of σ_f² are rounding noise (catastrophic cancellation in σ_f² − vᵀv). */
const VARIANCE_FLOOR = 1e-12;

export class GaussianProcess {
  readonly n: number;
  readonly d: number;
  private readonly invL2: Float64Array;
  private readonly signalVariance: number;

  constructor(
    readonly hyperparameters: GpHyperparameters,
    /** Training inputs n×d (row-major) and standardised outputs. */
    readonly x: Float64Array,
    readonly y: Float64Array,
    readonly transform: OutputTransform,
    readonly factor: CholeskyFactor,
    readonly alpha: Float64Array,
  ) {
    this.n = y.length;
    this.d = hyperparameters.logLengthscales.length;
    this.invL2 = inverseSquaredLengthscales(hyperparameters.logLengthscales, this.d);
    this.signalVariance = Math.exp(hyperparameters.logSignalVariance);
  }

  /** Builds the posterior for given hyperparameters (one Cholesky, or with `cache` an extension of a
   *  cached factor of a prefix of x: O(n²) a new row). `extraNoise` (standardised units², per
   *  observation) adds to the fitted noise where an observation is itself a prediction with known
   *  variance (freeze-thaw's predicted final of an unfinished trial); the cache is not used then. */
  static withHyperparameters(
    h: GpHyperparameters, x: Float64Array, y: Float64Array, transform: OutputTransform, cache?: CholeskyCache, extraNoise?: ArrayLike<number>,
  ): GaussianProcess {
    const n = y.length;
    const d = h.logLengthscales.length;
    if (cache && !extraNoise) {
      const factor = cache.factor(h, x, n, d);
      return new GaussianProcess(h, x, y, transform, factor, solveAlpha(factor, y, h.mean));
    }
    const k = kernelMatrix(h.kernel, x, n, inverseSquaredLengthscales(h.logLengthscales, d), Math.exp(h.logSignalVariance));
    const noise = Math.exp(h.logNoiseVariance);
    for (let i = 0; i < n; i++) k[i * n + i] += noise + (extraNoise?.[i] ?? 0);
    const factor = choleskyWithJitter(k, n) ?? independentCholeskyFactor(k, n);
    return new GaussianProcess(h, x, y, transform, factor, solveAlpha(factor, y, h.mean));
  }

  /** Predictive mean and latent variance at m query points (q is m×d row-major). */
  predict(q: Float64Array, m: number): Prediction {
    const { n, d } = this;
    const mean = new Float64Array(m);
    const variance = new Float64Array(m);
    const k = new Float64Array(n);
    const { lower } = this.factor;
    for (let p = 0; p < m; p++) {
      crossCovariance(this.hyperparameters.kernel, this.x, n, q, p * d, this.invL2, this.signalVariance, k);
      let mu = this.hyperparameters.mean;
      for (let i = 0; i < n; i++) mu += k[i] * this.alpha[i];
      // vᵀv with v = L⁻¹ k, by forward substitution accumulated on the fly.
      let vv = 0;
      for (let i = 0; i < n; i++) {
        const row = i * n;
        let s = k[i];
        for (let j = 0; j < i; j++) s -= lower[row + j] * k[j];
        const v = s / lower[row + i];
        k[i] = v;
        vv += v * v;
      }
      mean[p] = mu;
      variance[p] = Math.max(this.signalVariance - vv, VARIANCE_FLOOR * this.signalVariance);
    }
    return { mean, variance };
  }

  /** Predictive mean at m query points and an upper bound on each latent variance, both O(n d) a point
   *  (the exact variance costs O(n²)): conditioning on more data never increases the variance, so it is
   *  at most the variance given the single nearest training point, σ_f² − k_i² / (σ_f² + σ_n²).
   *  With `crossCovarianceOut` (m·n) the cross-covariances are kept there, row p for query p, so that
   *  varianceFromCrossCovariance can finish a query's exact variance without recomputing them. */
  predictMeanAndVarianceBound(q: Float64Array, m: number, crossCovarianceOut?: Float64Array): { mean: Float64Array; varianceBound: Float64Array } {
    const { n, d, invL2, signalVariance } = this;
    const mean = new Float64Array(m);
    const varianceBound = new Float64Array(m);
    const kernel = this.hyperparameters.kernel;
    const matern = kernel === 'MATERN52';
    const denominator = signalVariance + Math.exp(this.hyperparameters.logNoiseVariance);
    const x = this.x;
    for (let p = 0; p < m; p++) {
      let mu = this.hyperparameters.mean;
      let kMax = 0;
      const qo = p * d;
      for (let i = 0; i < n; i++) {
        // scaledSquaredDistance and kernelOfSquaredDistance inlined (the same expressions, the same bits).
        const io = i * d;
        let s = 0;
        for (let c = 0; c < d; c++) {
          const delta = x[io + c] - q[qo + c];
          s += delta * delta * invL2[c];
        }
        let k: number;
        if (matern) {
          const r = Math.sqrt(s);
          k = signalVariance * ((1 + SQRT5 * r + (5 / 3) * s) * Math.exp(-SQRT5 * r));
        } else {
          k = signalVariance * kernelOfSquaredDistance(kernel, s);
        }
        if (crossCovarianceOut) crossCovarianceOut[p * n + i] = k;
        mu += this.alpha[i] * k;
        if (k > kMax) kMax = k;
      }
      mean[p] = mu;
      varianceBound[p] = Math.max(signalVariance - (kMax * kMax) / denominator, VARIANCE_FLOOR * signalVariance);
    }
    return { mean, varianceBound };
  }

  /** The exact latent variance of a query from its cross-covariances k (n values from `offset`, as
   *  predictMeanAndVarianceBound keeps them): σ_f² − ‖L⁻¹ k‖², the same number predict gives. */
  varianceFromCrossCovariance(k: Float64Array, offset: number): number {
    const { n } = this;
    const { lower } = this.factor;
    const v = new Float64Array(n);
    let vv = 0;
    for (let i = 0; i < n; i++) {
      const row = i * n;
      let s = k[offset + i];
      for (let j = 0; j < i; j++) s -= lower[row + j] * v[j];
      const vi = s / lower[row + i];
      v[i] = vi;
      vv += vi * vi;
    }
    return Math.max(this.signalVariance - vv, VARIANCE_FLOOR * this.signalVariance);
  }

  /** The prior (maximum) latent variance σ_f²: an upper bound on every predictive variance. */
  get priorVariance(): number {
    return this.signalVariance;
  }

  /** Mean, latent variance and their gradients with respect to the query point:
   *    ∇μ = Σ_i α_i ∇k_i(q),   ∇σ² = −2 Σ_i (K_θ⁻¹ k)_i ∇k_i(q),
   *    ∇k_i(q)_c = σ_f² dk/ds · 2 (q_c − x_ic) / ℓ_c². */
  predictWithGradient(q: ArrayLike<number>): PredictionWithGradient {
    const { n, d, invL2 } = this;
    const kernel = this.hyperparameters.kernel;
    const k = new Float64Array(n);
    const dkds = new Float64Array(n);
    const matern = kernel === 'MATERN52';
    for (let i = 0; i < n; i++) {
      const s = scaledSquaredDistance(this.x, i * d, q, 0, invL2);
      if (matern) {
        // kernelOfSquaredDistance and its derivative with one exp (the same expressions, the same bits).
        const r = Math.sqrt(s);
        const e = Math.exp(-SQRT5 * r);
        k[i] = this.signalVariance * ((1 + SQRT5 * r + (5 / 3) * s) * e);
        dkds[i] = this.signalVariance * (-(5 / 6) * (1 + SQRT5 * r) * e);
      } else {
        k[i] = this.signalVariance * kernelOfSquaredDistance(kernel, s);
        dkds[i] = this.signalVariance * kernelDerivativeOfSquaredDistance(kernel, s);
      }
    }
    let mean = this.hyperparameters.mean;
    for (let i = 0; i < n; i++) mean += k[i] * this.alpha[i];
    const v = Float64Array.from(k);
    solveLowerInPlace(this.factor.lower, n, v);
    let vv = 0;
    for (let i = 0; i < n; i++) vv += v[i] * v[i];
    solveUpperTransposedInPlace(this.factor.lower, n, v); // now K_θ⁻¹ k
    const rawVariance = this.signalVariance - vv;
    const floor = VARIANCE_FLOOR * this.signalVariance;
    const meanGradient = new Float64Array(d);
    const varianceGradient = new Float64Array(d);
    for (let i = 0; i < n; i++) {
      const a = 2 * dkds[i] * this.alpha[i];
      const b = -4 * dkds[i] * v[i];
      const row = i * d;
      for (let c = 0; c < d; c++) {
        const delta = (q[c] - this.x[row + c]) * invL2[c];
        meanGradient[c] += a * delta;
        varianceGradient[c] += b * delta;
      }
    }
    // At the floor the variance is constant, so its gradient is zero.
    if (rawVariance <= floor) varianceGradient.fill(0);
    return { mean, variance: Math.max(rawVariance, floor), meanGradient, varianceGradient };
  }

  /** The posterior after also observing y (standardised) at point q: the kriging-believer / constant-liar
   *  fantasy for batches and pending trials. O(n²) by extending the Cholesky factor. */
  withObservation(q: ArrayLike<number>, yStandardized: number): GaussianProcess {
    const { n, d } = this;
    const k = crossCovariance(this.hyperparameters.kernel, this.x, n, q, 0, this.invL2, this.signalVariance);
    const factor = choleskyAppend(this.factor, k, this.signalVariance + Math.exp(this.hyperparameters.logNoiseVariance));
    const x = new Float64Array((n + 1) * d);
    x.set(this.x);
    for (let c = 0; c < d; c++) x[n * d + c] = q[c];
    const y = new Float64Array(n + 1);
    y.set(this.y);
    y[n] = yStandardized;
    return new GaussianProcess(this.hyperparameters, x, y, this.transform, factor, solveAlpha(factor, y, this.hyperparameters.mean));
  }
}

function solveAlpha(factor: CholeskyFactor, y: Float64Array, mean: number): Float64Array {
  const r = new Float64Array(y.length);
  for (let i = 0; i < y.length; i++) r[i] = y[i] - mean;
  solveLowerInPlace(factor.lower, factor.n, r);
  return solveUpperTransposedInPlace(factor.lower, factor.n, r);
}

export interface GpFitInput extends Omit<FitOptions, 'kernel'> {
  /** Inputs n×d row-major in the unit cube. */
  x: Float64Array;
  /** Raw outputs (any scale); standardised here. */
  y: ArrayLike<number>;
  d: number;
  kernel?: FitOptions['kernel'];
  /** Fixed hyperparameters: skip the fit entirely (one Cholesky). */
  hyperparameters?: GpHyperparameters;
}

/** Standardises y, fits the hyperparameters (unless given) and returns the posterior, reusing the fit's
 *  Cholesky factor. Throws only on malformed input (non-finite values, shape mismatch). */
export function fitGaussianProcess(input: GpFitInput): GaussianProcess {
  const n = input.y.length;
  const { d, x } = input;
  if (!Number.isInteger(d) || d < 1) throw new RangeError(`fitGaussianProcess: d must be a positive integer, got ${d}`);
  if (x.length !== n * d) throw new RangeError(`fitGaussianProcess: x has ${x.length} entries, expected n*d = ${n * d}`);
  for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i])) throw new RangeError(`fitGaussianProcess: x[${i}] is not finite`);
  for (let i = 0; i < n; i++) if (!Number.isFinite(input.y[i])) throw new RangeError(`fitGaussianProcess: y[${i}] is not finite`);
  const transform = fitOutputTransform(input.y);
  const y = standardize(input.y, transform);
  if (input.hyperparameters) return GaussianProcess.withHyperparameters(input.hyperparameters, x, y, transform);
  const data: TrainingData = { x, y, n, d };
  const fit = fitHyperparameters(data, { ...input, kernel: input.kernel });
  return new GaussianProcess(fit.hyperparameters, x, y, transform, fit.likelihood.factor, fit.likelihood.alpha);
}

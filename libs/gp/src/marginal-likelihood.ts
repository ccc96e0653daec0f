/** Log marginal likelihood of a GP with constant mean and Gaussian noise, and its analytic gradient with
 *  respect to θ = [log ℓ, log σ_f², log σ_n², m] (Rasmussen & Williams 2006, eqs. 2.30 and 5.9):
 *    log p(y | X, θ) = −½ (y − m)ᵀ K_θ⁻¹ (y − m) − ½ log |K_θ| − (n/2) log 2π,  K_θ = K + σ_n² I,
 *    ∂/∂θ_j = ½ tr((α αᵀ − K_θ⁻¹) ∂K_θ/∂θ_j),  α = K_θ⁻¹ (y − m),   ∂/∂m = Σ_i α_i. */
import { choleskyInverse, choleskySolve, choleskyWithJitter, independentCholeskyFactor, type CholeskyFactor } from '@hpo/numeric';
import { kernelDerivativeOfSquaredDistance, kernelMatrix, type KernelName } from './kernels';
import { inverseSquaredLengthscales } from './hyperparameters';

export interface TrainingData {
  /** Inputs, n×d row-major, in the unit cube. */
  x: Float64Array;
  /** Standardised outputs, length n. */
  y: Float64Array;
  n: number;
  d: number;
}

export interface LikelihoodResult {
  value: number;
  gradient?: Float64Array;
  factor: CholeskyFactor;
  alpha: Float64Array;
}

const LOG_2PI = Math.log(2 * Math.PI);

/** Value, and with `withGradient` the gradient, of log p(y | X, θ). */
export function logMarginalLikelihood(kernel: KernelName, data: TrainingData, theta: ArrayLike<number>, withGradient: boolean): LikelihoodResult {
  const { x, y, n, d } = data;
  const invL2 = inverseSquaredLengthscales(theta, d);
  const signalVariance = Math.exp(theta[d]);
  const noiseVariance = Math.exp(theta[d + 1]);
  const mean = theta[d + 2];
  const squared = withGradient ? new Float64Array(n * n) : undefined;
  const k = kernelMatrix(kernel, x, n, invL2, signalVariance, squared);
  for (let i = 0; i < n; i++) k[i * n + i] += noiseVariance;
  const factor = choleskyWithJitter(k, n) ?? independentCholeskyFactor(k, n);
  const centred = new Float64Array(n);
  for (let i = 0; i < n; i++) centred[i] = y[i] - mean;
  const alpha = choleskySolve(factor, centred);
  let quadratic = 0;
  let logDet = 0;
  for (let i = 0; i < n; i++) {
    quadratic += centred[i] * alpha[i];
    logDet += 2 * Math.log(factor.lower[i * n + i]);
  }
  const value = -0.5 * quadratic - 0.5 * logDet - 0.5 * n * LOG_2PI;
  if (!withGradient || !squared) return { value, factor, alpha };

  const inverse = choleskyInverse(factor);
  const gradient = new Float64Array(d + 3);
  let traceSignal = 0;
  let traceNoise = 0;
  // Off-diagonal pairs (i > j) count twice in the trace, which cancels the ½.
  for (let i = 0; i < n; i++) {
    const row = i * n;
    const w = alpha[i] * alpha[i] - inverse[row + i];
    traceNoise += w;
    traceSignal += w * signalVariance;
    for (let j = 0; j < i; j++) {
      const wij = alpha[i] * alpha[j] - inverse[row + j];
      const kij = k[row + j];
      traceSignal += 2 * wij * kij;
      const g = wij * signalVariance * kernelDerivativeOfSquaredDistance(kernel, squared[row + j]);
      // ∂K_ij/∂log ℓ_c = σ_f² dk/ds · (−2 Δ_c² / ℓ_c²); the pair (i,j),(j,i) doubles it and the ½ halves it.
      const io = i * d;
      const jo = j * d;
      for (let c = 0; c < d; c++) {
        const delta = x[io + c] - x[jo + c];
        gradient[c] -= 2 * g * delta * delta * invL2[c];
      }
    }
  }
  gradient[d] = 0.5 * traceSignal;
  gradient[d + 1] = 0.5 * traceNoise * noiseVariance;
  let sumAlpha = 0;
  for (let i = 0; i < n; i++) sumAlpha += alpha[i];
  gradient[d + 2] = sumAlpha;
  return { value, gradient, factor, alpha };
}

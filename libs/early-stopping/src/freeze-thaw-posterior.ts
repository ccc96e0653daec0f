/** The freeze-thaw joint posterior (Swersky, Snoek & Adams 2014, §3, eqs. 7–13).
 *
 *  Model: the asymptotes f = (f_1 … f_N) of N curves share a GP over configurations,
 *  f ~ N(m·1, K_x); curve n's observations are y_n = f_n·1 + g_n + ε_n with g_n ~ GP(0, σ_c² k(t,t'))
 *  (the exponential-decay kernel) and ε_n ~ N(0, σ_n² / w_i) (w_i = observations averaged into point i).
 *  Marginally y ~ N(O m, K_t + O K_x Oᵀ), O the block "ones" matrix and K_t = blockdiag(K_n).
 *  Everything the paper needs comes from per-curve solves with K_n plus one N×N solve:
 *    λ_n = 1ᵀ K_n⁻¹ 1,  γ_n = 1ᵀ K_n⁻¹ (y_n − m),  Λ = diag(λ)                      (eq. 9)
 *    p(f | y) = N(m + C γ, C),  C = (K_x⁻¹ + Λ)⁻¹                                  (eqs. 10–11)
 *  so the cost is Σ n_i³ for the curves (linear in the number of curves) plus N³, never (Σ n_i)³.
 *  C is formed through B = I + Λ^½ K_x Λ^½ (well conditioned, as in Rasmussen & Williams §3.4):
 *  C = K_x − K_x Λ^½ B⁻¹ Λ^½ K_x, which needs no inverse of K_x (often near-singular). */
import { ConfigurationKernel } from './configuration-kernel';
import { choleskyLogDet, choleskySolve, choleskyWithJitter, solveLower, type CholeskyFactor } from '@hpo/numeric';
import { exponentialDecayKernel } from './exponential-decay-kernel';

/** One learning curve in model units (minimise-oriented, standardised). */
export interface LearningCurve {
  /** The configuration, encoded (e.g. on the unit cube). */
  x: ArrayLike<number>;
  steps: readonly number[];
  values: readonly number[];
  /** Observations averaged into each point (its noise variance is σ_n² / weight); 1 when absent. */
  weights?: readonly number[];
}

export interface FreezeThawHyperparameters {
  /** Shape α and rate β of the Gamma prior over decay rates (the kernel's two parameters). */
  alpha: number;
  beta: number;
  /** Amplitude σ_c² of the curve kernel: how far a curve may sit above or below its asymptote early on. */
  curveVariance: number;
  /** Observation noise σ_n² of one report. */
  noiseVariance: number;
  /** Amplitude σ_a² and constant mean m of the asymptotes' GP over configurations. */
  asymptoteVariance: number;
  asymptoteMean: number;
  /** The configuration kernel's log-hyperparameters (ConfigurationKernel.parameterCount of them). */
  kernelParameters: number[];
}

interface CurveSolve {
  n: number;
  chol: CholeskyFactor;
  /** K_n⁻¹ 1 and K_n⁻¹ (y_n − m). */
  onesSolved: Float64Array;
  residualSolved: Float64Array;
}

export interface FreezeThawPosterior {
  readonly hyperparameters: FreezeThawHyperparameters;
  readonly kernel: ConfigurationKernel;
  readonly curves: readonly LearningCurve[];
  readonly logMarginalLikelihood: number;
  /** Posterior mean m + Cγ and covariance C (row-major N×N) of the asymptotes. */
  readonly asymptoteMean: Float64Array;
  readonly asymptoteCovariance: Float64Array;
  /** Internal factors reused by the predictions. */
  readonly solves: readonly CurveSolve[];
  readonly lambda: Float64Array;
  readonly gamma: Float64Array;
  readonly cholB: CholeskyFactor;
  /** K_x⁻¹ (μ − m) = γ − Λ^½ B⁻¹ Λ^½ K_x γ: a new configuration's asymptote mean is m + k*ᵀ of this.
   *  Formed once per posterior, so that scoring many candidates costs O(N) kernel values each, not the
   *  O(N²) that recomputing K_x γ per candidate cost (64 candidates per pause decision). */
  readonly asymptoteWeights: Float64Array;
}

/** Jitter up to 1e-4 of the mean diagonal; beyond that a covariance counts as not positive definite
 *  (@hpo/numeric's null), the hyperparameters as degenerate, and the fit moves on. */
const MAX_JITTER = { maxRelativeJitter: 1e-4 };

/** σ_c² k(t, t') between two steps. */
export function curveCovariance(t: number, tPrime: number, h: FreezeThawHyperparameters): number {
  return h.curveVariance * exponentialDecayKernel(t, tPrime, h.alpha, h.beta);
}

function solveCurve(curve: LearningCurve, h: FreezeThawHyperparameters): CurveSolve | null {
  const n = curve.steps.length;
  const k = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const v = curveCovariance(curve.steps[i], curve.steps[j], h);
      k[i * n + j] = v;
      k[j * n + i] = v;
    }
    k[i * n + i] += h.noiseVariance / (curve.weights?.[i] ?? 1);
  }
  const chol = choleskyWithJitter(k, n, MAX_JITTER);
  if (!chol) return null;
  const ones = new Float64Array(n).fill(1);
  const residual = Float64Array.from(curve.values, (v) => v - h.asymptoteMean);
  return { n, chol, onesSolved: choleskySolve(chol, ones), residualSolved: choleskySolve(chol, residual) };
}

function configurationCovariance(curves: readonly LearningCurve[], h: FreezeThawHyperparameters, kernel: ConfigurationKernel): Float64Array {
  const nCurves = curves.length;
  const kx = new Float64Array(nCurves * nCurves);
  for (let i = 0; i < nCurves; i++) {
    for (let j = 0; j <= i; j++) {
      const v = i === j ? h.asymptoteVariance : h.asymptoteVariance * kernel.correlation(curves[i].x, curves[j].x, h.kernelParameters);
      kx[i * nCurves + j] = v;
      kx[j * nCurves + i] = v;
    }
  }
  return kx;
}

interface Factors {
  solves: CurveSolve[];
  lambda: Float64Array;
  gamma: Float64Array;
  kx: Float64Array;
  sqrtLambda: Float64Array;
  cholB: CholeskyFactor;
  /** Σ (y_n − m)ᵀ K_n⁻¹ (y_n − m), Σ log|K_n| and the number of points. */
  residualQuad: number;
  logDetCurves: number;
  pointCount: number;
}

/** Per-curve solves, then B = I + Λ^½ K_x Λ^½ and its Cholesky factor; null for a degenerate θ. */
function factorise(curves: readonly LearningCurve[], h: FreezeThawHyperparameters, kernel: ConfigurationKernel): Factors | null {
  const nCurves = curves.length;
  if (nCurves === 0) throw new Error('freezeThawPosterior: curves must hold at least one curve with points');
  const solves: CurveSolve[] = [];
  const lambda = new Float64Array(nCurves);
  const gamma = new Float64Array(nCurves);
  let residualQuad = 0;
  let logDetCurves = 0;
  let pointCount = 0;
  for (let c = 0; c < nCurves; c++) {
    const curve = curves[c];
    if (curve.steps.length === 0 || curve.steps.length !== curve.values.length) {
      throw new Error(`freezeThawPosterior: curves[${c}] must have as many values as steps and at least one point`);
    }
    const s = solveCurve(curve, h);
    if (!s) return null;
    solves.push(s);
    for (let i = 0; i < s.n; i++) {
      lambda[c] += s.onesSolved[i];
      gamma[c] += s.residualSolved[i];
      residualQuad += (curve.values[i] - h.asymptoteMean) * s.residualSolved[i];
    }
    logDetCurves += choleskyLogDet(s.chol);
    pointCount += s.n;
  }
  const kx = configurationCovariance(curves, h, kernel);
  const sqrtLambda = lambda.map(Math.sqrt);
  const b = new Float64Array(nCurves * nCurves);
  for (let i = 0; i < nCurves; i++) {
    for (let j = 0; j < nCurves; j++) b[i * nCurves + j] = sqrtLambda[i] * kx[i * nCurves + j] * sqrtLambda[j];
    b[i * nCurves + i] += 1;
  }
  const cholB = choleskyWithJitter(b, nCurves, MAX_JITTER);
  if (!cholB) return null;
  return { solves, lambda, gamma, kx, sqrtLambda, cholB, residualQuad, logDetCurves, pointCount };
}

/** Woodbury and the determinant lemma on K_t + O K_x Oᵀ (the paper's eq. 13):
 *    quad = Σ r_nᵀ K_n⁻¹ r_n − γᵀ C γ,   log|·| = Σ log|K_n| + log|B|,
 *  with γᵀ C γ = γᵀ K_x γ − vᵀ B⁻¹ v, v = Λ^½ K_x γ: O(N²) once B is factorised. */
function logMarginalLikelihoodOf(f: Factors): number {
  const n = f.gamma.length;
  const kxGamma = new Float64Array(n);
  let gammaKxGamma = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += f.kx[i * n + j] * f.gamma[j];
    kxGamma[i] = s;
    gammaKxGamma += f.gamma[i] * s;
  }
  const z = solveLower(f.cholB, Float64Array.from(kxGamma, (v, i) => f.sqrtLambda[i] * v));
  let vBv = 0;
  for (let i = 0; i < n; i++) vBv += z[i] * z[i];
  const gammaCGamma = gammaKxGamma - vBv;
  return -0.5 * (f.residualQuad - gammaCGamma) - 0.5 * (f.logDetCurves + choleskyLogDet(f.cholB)) - 0.5 * f.pointCount * Math.log(2 * Math.PI);
}

/** log p(y | θ) alone (what the hyperparameter fit maximises), without forming C: O(Σ n_i³ + N³/6). */
export function freezeThawLogMarginalLikelihood(curves: readonly LearningCurve[], h: FreezeThawHyperparameters, kernel: ConfigurationKernel): number | null {
  const f = factorise(curves, h, kernel);
  return f ? logMarginalLikelihoodOf(f) : null;
}

/** The joint posterior over every curve's asymptote and the log marginal likelihood log p(y | θ);
 *  null when a covariance is not positive definite even with jitter (a degenerate θ). */
export function freezeThawPosterior(
  curves: readonly LearningCurve[],
  h: FreezeThawHyperparameters,
  kernel: ConfigurationKernel,
): FreezeThawPosterior | null {
  const f = factorise(curves, h, kernel);
  if (!f) return null;
  const nCurves = curves.length;
  const { kx, sqrtLambda, cholB, gamma } = f;
  // W = L_B⁻¹ Λ^½ K_x, so that C = K_x − Wᵀ W.
  const w = new Float64Array(nCurves * nCurves);
  for (let col = 0; col < nCurves; col++) {
    const rhs = new Float64Array(nCurves);
    for (let i = 0; i < nCurves; i++) rhs[i] = sqrtLambda[i] * kx[i * nCurves + col];
    const z = solveLower(cholB, rhs);
    for (let i = 0; i < nCurves; i++) w[i * nCurves + col] = z[i];
  }
  const cov = new Float64Array(nCurves * nCurves);
  for (let i = 0; i < nCurves; i++) {
    for (let j = 0; j <= i; j++) {
      let s = kx[i * nCurves + j];
      for (let k = 0; k < nCurves; k++) s -= w[k * nCurves + i] * w[k * nCurves + j];
      cov[i * nCurves + j] = s;
      cov[j * nCurves + i] = s;
    }
  }
  const mean = new Float64Array(nCurves);
  for (let i = 0; i < nCurves; i++) {
    let s = 0;
    for (let j = 0; j < nCurves; j++) s += cov[i * nCurves + j] * gamma[j];
    mean[i] = h.asymptoteMean + s;
  }
  const scaledKxGamma = new Float64Array(nCurves);
  for (let i = 0; i < nCurves; i++) {
    let s = 0;
    for (let j = 0; j < nCurves; j++) s += kx[i * nCurves + j] * gamma[j];
    scaledKxGamma[i] = sqrtLambda[i] * s;
  }
  const bSolved = choleskySolve(cholB, scaledKxGamma);
  const asymptoteWeights = Float64Array.from(gamma, (g, i) => g - sqrtLambda[i] * bSolved[i]);
  return {
    hyperparameters: h,
    kernel,
    curves,
    logMarginalLikelihood: logMarginalLikelihoodOf(f),
    asymptoteMean: mean,
    asymptoteCovariance: cov,
    solves: f.solves,
    lambda: f.lambda,
    gamma,
    cholB,
    asymptoteWeights,
  };
}

export interface GaussianPrediction {
  mean: number;
  variance: number;
}

/** The latent (noise-free) value of curve `index` at `step` given every curve (paper eq. 12):
 *    mean = m + k*ᵀ K_n⁻¹ (y_n − m) + Ω (μ_n − m),   Ω = 1 − k*ᵀ K_n⁻¹ 1,
 *    var  = σ_c² k(t*,t*) − k*ᵀ K_n⁻¹ k* + Ω² C_nn. */
export function predictCurve(p: FreezeThawPosterior, index: number, step: number): GaussianPrediction {
  const h = p.hyperparameters;
  const curve = p.curves[index];
  const s = p.solves[index];
  const kStar = Float64Array.from(curve.steps, (t) => curveCovariance(step, t, h));
  const kSolved = choleskySolve(s.chol, kStar);
  let omega = 1;
  let meanDeviation = 0;
  let explained = 0;
  for (let i = 0; i < s.n; i++) {
    omega -= kStar[i] * s.onesSolved[i];
    meanDeviation += kStar[i] * s.residualSolved[i];
    explained += kStar[i] * kSolved[i];
  }
  const nCurves = p.curves.length;
  const cnn = p.asymptoteCovariance[index * nCurves + index];
  return {
    mean: h.asymptoteMean + meanDeviation + omega * (p.asymptoteMean[index] - h.asymptoteMean),
    variance: Math.max(curveCovariance(step, step, h) - explained + omega * omega * cnn, 0),
  };
}

/** The asymptote of a configuration with no curve yet (GP prediction from the asymptotes' posterior):
 *    mean = m + k*ᵀ K_x⁻¹ C γ = m + k*ᵀ (γ − Λ^½ B⁻¹ Λ^½ K_x γ),   var = σ_a² − k*ᵀ Λ^½ B⁻¹ Λ^½ k*. */
export function predictAsymptote(p: FreezeThawPosterior, x: ArrayLike<number>): GaussianPrediction {
  const h = p.hyperparameters;
  const nCurves = p.curves.length;
  const kStar = Float64Array.from({ length: nCurves }, (_, i) => h.asymptoteVariance * p.kernel.correlation(x, p.curves[i].x, h.kernelParameters));
  // K_x⁻¹ C γ via μ − m = C γ, formed once per posterior (asymptoteWeights).
  const sqrtLambda = p.lambda.map(Math.sqrt);
  let mean = h.asymptoteMean;
  for (let i = 0; i < nCurves; i++) mean += kStar[i] * p.asymptoteWeights[i];
  const v = solveLower(p.cholB, Float64Array.from(kStar, (k, i) => sqrtLambda[i] * k));
  let reduction = 0;
  for (let i = 0; i < nCurves; i++) reduction += v[i] * v[i];
  return { mean, variance: Math.max(h.asymptoteVariance - reduction, 0) };
}

/** A new configuration's latent curve value at `step` before any report: its asymptote plus the
 *  curve GP's prior deviation at that step, σ_c² k(t, t). */
export function predictNewCurve(p: FreezeThawPosterior, x: ArrayLike<number>, step: number): GaussianPrediction {
  const a = predictAsymptote(p, x);
  return { mean: a.mean, variance: a.variance + curveCovariance(step, step, p.hyperparameters) };
}

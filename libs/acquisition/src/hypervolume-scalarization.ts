/** Random hypervolume scalarizations (Golovin & Zhang 2020, "Random Hypervolume Scalarizations for
 *  Provable Multi-Objective Black Box Optimization", ICML, eq. 3 and Lemma 5):
 *    s_λ(y) = min_i max(0, (y_i − r_i) / λ_i)^m,  λ uniform on the positive unit sphere,
 *  and HV(Y) = c_m · E_λ[ max_{y∈Y} s_λ(y) ] with c_m = π^(m/2) / (2^m Γ(m/2 + 1)). Maximising s_λ for
 *  a fresh λ per suggestion therefore spreads suggestions over the whole Pareto front, and the average
 *  progress of the scalarised problems is hypervolume progress. This is what OSS Vizier's multi-metric
 *  GP bandit optimises (with each objective's UCB in place of y). */
import type { Rng } from '@hpo/space';

/** The scalarization's ordering part, t_λ(y) = min_i (y_i − r_i) / λ_i: s_λ = max(0, t_λ)^m is a
 *  monotone function of it, and unlike s_λ it still ranks points below the reference. */
export function chebyshevScalarization(y: ArrayLike<number>, reference: ArrayLike<number>, weights: ArrayLike<number>): number {
  let t = Number.POSITIVE_INFINITY;
  for (let i = 0; i < weights.length; i++) t = Math.min(t, (y[i] - reference[i]) / weights[i]);
  return t;
}

/** s_λ(y) as in the paper. */
export function hypervolumeScalarization(y: ArrayLike<number>, reference: ArrayLike<number>, weights: ArrayLike<number>): number {
  const t = chebyshevScalarization(y, reference, weights);
  return t > 0 ? t ** weights.length : 0;
}

/** λ uniform on the positive part of the unit sphere: |N(0, I)| normalised. A floor keeps 1/λ_i finite. */
export function randomScalarizationWeights(m: number, rng: Rng): Float64Array {
  const w = new Float64Array(m);
  let norm = 0;
  for (let i = 0; i < m; i++) {
    w[i] = Math.abs(rng.normal()) + 1e-9;
    norm += w[i] * w[i];
  }
  norm = Math.sqrt(norm);
  for (let i = 0; i < m; i++) w[i] /= norm;
  return w;
}

/** c_m of Lemma 5: the volume of the unit m-ball's positive orthant (π/4 for m = 2, π/6 for m = 3). */
export function hypervolumeScalarizationConstant(m: number): number {
  return Math.PI ** (m / 2) / (2 ** m * gammaHalfInteger(m / 2 + 1));
}

/** Γ(x) for x a positive multiple of ½ (all c_m needs): Γ(1) = 1, Γ(½) = √π, Γ(x + 1) = x Γ(x). */
function gammaHalfInteger(x: number): number {
  let g = Number.isInteger(x) ? 1 : Math.sqrt(Math.PI);
  for (let k = Number.isInteger(x) ? 1 : 0.5; k < x; k++) g *= k;
  return g;
}

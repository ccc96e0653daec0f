/** The one standard normal of the project: φ, Φ and tail functions that stay accurate where naive
 *  formulas underflow or cancel: erfc/erfcx, log Φ, log1mexp, and log h(z) with h(z) = φ(z) + z Φ(z),
 *  the heart of (log-)EI. The quantile Φ⁻¹ is in normal-quantile.ts. */

const SQRT2 = Math.SQRT2;
const LOG_2PI_HALF = 0.5 * Math.log(2 * Math.PI);
const INV_SQRT_PI = 1 / Math.sqrt(Math.PI);

/** erfcx(x) = e^{x²} erfc(x) for x ≥ 0. Below 2: the positive series erf(x) = (2/√π) e^{−x²}
 *  Σ_k 2^k x^{2k+1} / (2k+1)!! (Abramowitz & Stegun 7.1.6; no cancellation), then 1 − erf loses at most
 *  ~2.5 digits (erfc(2) ≈ 4.7e-3). From 2: Laplace's continued fraction (A&S 7.1.14)
 *  erfc(x) = e^{−x²}/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))), evaluated bottom-up; 120 terms
 *  give full double precision at x = 2 and it only gets faster beyond. */
export function erfcxNonNegative(x: number): number {
  if (x < 2) {
    const x2 = x * x;
    let term = x;
    let sum = x;
    for (let k = 1; k < 80; k++) {
      term *= (2 * x2) / (2 * k + 1);
      sum += term;
      if (term < 1e-17 * sum) break;
    }
    const erf = 2 * INV_SQRT_PI * Math.exp(-x2) * sum;
    return Math.exp(x2) * (1 - erf);
  }
  let tail = x;
  for (let k = 120; k >= 1; k--) tail = x + (k / 2) / tail;
  return INV_SQRT_PI / tail;
}

/** erfc(x) for all real x. */
export function erfc(x: number): number {
  if (x >= 0) return x > 27 ? 0 : erfcxNonNegative(x) * Math.exp(-x * x);
  return 2 - erfc(-x);
}

/** Φ(z), the standard normal CDF. */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / SQRT2);
}

/** φ(z), the standard normal density. */
export function normalPdf(z: number): number {
  return Math.exp(-0.5 * z * z - LOG_2PI_HALF);
}

/** log Φ(z), accurate far into the lower tail: Φ(z) = ½ erfcx(−z/√2) e^{−z²/2} for z < 0. */
export function logNormalCdf(z: number): number {
  if (z < -1) return Math.log(0.5 * erfcxNonNegative(-z / SQRT2)) - 0.5 * z * z;
  return Math.log(normalCdf(z));
}

/** log(1 − e^x) for x < 0 (Mächler 2012, "Accurately computing log(1 − exp(−|a|))"). */
export function log1mexp(x: number): number {
  return x > -Math.LN2 ? Math.log(-Math.expm1(x)) : Math.log1p(-Math.exp(x));
}

/** Beyond this z the asymptote below is exact to double precision (Ament et al. use 1/√ε). */
const FAR_TAIL = -1 / Math.sqrt(Number.EPSILON);
const HALF_LOG_PI_OVER_2 = 0.5 * Math.log(Math.PI / 2);

/** log h(z), h(z) = φ(z) + z Φ(z), stably for all z (Ament, Daulton, Eriksson, Balandat & Bakshy 2023,
 *  "Unexpected improvements to expected improvement for Bayesian optimization", NeurIPS, eq. 9):
 *    z > −1:        log(φ(z) + z Φ(z)) directly;
 *    −1/√ε < z ≤ −1: −z²/2 − log √(2π) + log1mexp(log(erfcx(−z/√2) |z|) + log √(π/2));
 *    z ≤ −1/√ε:      −z²/2 − log √(2π) − 2 log |z|. */
export function logH(z: number): number {
  if (z > -1) return Math.log(normalPdf(z) + z * normalCdf(z));
  if (z > FAR_TAIL) {
    return -0.5 * z * z - LOG_2PI_HALF + log1mexp(Math.log(erfcxNonNegative(-z / SQRT2) * -z) + HALF_LOG_PI_OVER_2);
  }
  return -0.5 * z * z - LOG_2PI_HALF - 2 * Math.log(-z);
}

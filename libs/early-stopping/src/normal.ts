/** Standard-normal helpers for the decisions (probability and expected improvement, minimisation). */

/** erfc by W. J. Cody's rational Chebyshev approximation as given in Numerical Recipes (erfcc), relative
 *  error < 1.2e-7 everywhere: ample for thresholds and rankings. */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 +
    t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? r : 2 - r;
}

export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

export function normalPdf(z: number): number {
  return Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
}

/** P(Y < incumbent) for Y ~ N(mean, sd²) (minimisation). */
export function probabilityOfImprovement(mean: number, sd: number, incumbent: number): number {
  if (sd <= 0) return mean < incumbent ? 1 : 0;
  return normalCdf((incumbent - mean) / sd);
}

/** E[max(incumbent − Y, 0)] for Y ~ N(mean, sd²) (Jones et al. 1998, minimisation). */
export function expectedImprovement(mean: number, sd: number, incumbent: number): number {
  if (sd <= 0) return Math.max(incumbent - mean, 0);
  const z = (incumbent - mean) / sd;
  return sd * (z * normalCdf(z) + normalPdf(z));
}

/** The one closed-form expected improvement (and probability of improvement) under a Gaussian belief
 *  Y ~ N(μ, σ²), used by the acquisition functions (maximisation, with slopes for the optimiser), the
 *  freeze-thaw decisions (minimisation) and the LLM surrogate (either direction). */
import { logH, logNormalCdf, normalCdf, normalPdf } from './normal';

/** A value with its partial derivatives in the predictive mean μ and standard deviation σ. */
export interface ValueAndSlopes {
  value: number;
  dMean: number;
  dStd: number;
}

/** EI = E[max(Y − best, 0)] = σ h(z), z = (μ − best)/σ (Jones, Schonlau & Welch 1998, eq. 15);
 *  ∂/∂μ = Φ(z), ∂/∂σ = φ(z). Maximisation; σ > 0. */
export function expectedImprovement(mean: number, std: number, best: number): ValueAndSlopes {
  const z = (mean - best) / std;
  return { value: std * (normalPdf(z) + z * normalCdf(z)), dMean: normalCdf(z), dStd: normalPdf(z) };
}

/** log EI = log h(z) + log σ (Ament et al. 2023, eq. 9), finite where EI underflows to 0 (z ≪ −38), so
 *  the optimiser still sees a slope there. d log h/dz = Φ(z)/h(z) = exp(log Φ(z) − log h(z)). */
export function logExpectedImprovement(mean: number, std: number, best: number): ValueAndSlopes {
  const z = (mean - best) / std;
  const lh = logH(z);
  const ratio = Math.exp(logNormalCdf(z) - lh);
  return { value: lh + Math.log(std), dMean: ratio / std, dStd: (1 - z * ratio) / std };
}

/** E[max(best − Y, 0)] (minimisation): the EI of −Y over −best. A point mass (σ ≤ 0) gives max(best − μ, 0). */
export function expectedImprovementBelow(mean: number, std: number, best: number): number {
  if (std <= 0) return Math.max(best - mean, 0);
  return expectedImprovement(-mean, std, -best).value;
}

/** P(Y < best) (minimisation). A point mass (σ ≤ 0) gives 1 or 0. */
export function probabilityBelow(mean: number, std: number, best: number): number {
  if (std <= 0) return mean < best ? 1 : 0;
  return normalCdf((best - mean) / std);
}

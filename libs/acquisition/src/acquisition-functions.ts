/** Acquisition functions of the GP posterior at one point, in standardised units for maximisation, with
 *  their partial derivatives in the predictive mean μ and standard deviation σ (the chain rule then gives
 *  the gradient in x from the GP's ∇μ and ∇σ²). z = (μ − best) / σ throughout. */
import { expectedImprovement, logExpectedImprovement, logNormalCdf, type ValueAndSlopes } from '@hpo/numeric';

export type AcquisitionKind = 'LOG_EI' | 'EI' | 'UCB' | 'PI';

/** An acquisition value with ∂/∂μ and ∂/∂σ. EI and log-EI are @hpo/numeric's (the one closed form). */
export type AcquisitionValue = ValueAndSlopes;

export { expectedImprovement, logExpectedImprovement };

/** UCB = μ + √β σ (Srinivas, Krause, Kakade & Seeger 2010). */
export function upperConfidenceBound(mean: number, std: number, beta: number): AcquisitionValue {
  const s = Math.sqrt(beta);
  return { value: mean + s * std, dMean: 1, dStd: s };
}

/** log PI = log Φ(z) (Kushner 1964), in log space for the same reason as log-EI. */
export function logProbabilityOfImprovement(mean: number, std: number, best: number): AcquisitionValue {
  const z = (mean - best) / std;
  const lc = logNormalCdf(z);
  const ratio = Math.exp(-0.5 * z * z - 0.5 * Math.log(2 * Math.PI) - lc); // φ(z)/Φ(z)
  return { value: lc, dMean: ratio / std, dStd: (-z * ratio) / std };
}

/** β_t = 2 log(d t² π² / (6 δ)) with δ = 0.1 (Srinivas et al. 2010, Theorem 1, with |D| replaced by the
 *  dimension as in Brochu, Cora & de Freitas 2010 §2.3), scaled by 0.2: the theoretical β over-explores
 *  badly in practice, and Kandasamy et al. 2015 ("High dimensional Bayesian optimisation and bandits via
 *  additive models", §5) likewise shrink it by a constant. t counts observations (≥ 1). */
export function ucbBeta(dimension: number, t: number): number {
  const delta = 0.1;
  const tt = Math.max(1, t);
  return 0.2 * 2 * Math.log((dimension * tt * tt * Math.PI * Math.PI) / (6 * delta));
}

export interface AcquisitionSpec {
  kind: AcquisitionKind;
  /** Incumbent (best standardised observation) for EI / log-EI / PI. */
  best: number;
  /** UCB's β. */
  beta: number;
}

export function evaluateAcquisition(spec: AcquisitionSpec, mean: number, variance: number): AcquisitionValue {
  const std = Math.sqrt(variance);
  switch (spec.kind) {
    case 'LOG_EI':
      return logExpectedImprovement(mean, std, spec.best);
    case 'EI':
      return expectedImprovement(mean, std, spec.best);
    case 'UCB':
      return upperConfidenceBound(mean, std, spec.beta);
    case 'PI':
      return logProbabilityOfImprovement(mean, std, spec.best);
  }
}

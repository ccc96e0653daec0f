/** The freeze-thaw learning-curve kernel (Swersky, Snoek & Adams 2014, eq. 6):
 *    k(t, t') = β^α / (t + t' + β)^α,
 *  the covariance of an infinite mixture of exponential decays exp(-λt) with the decay rate λ drawn
 *  from Gamma(α, β). Samples are smooth, monotone-in-expectation curves that settle at their mean,
 *  so a curve's GP mean is its asymptote. Written in log form so that large α does not overflow. */
export function exponentialDecayKernel(t: number, tPrime: number, alpha: number, beta: number): number {
  return Math.exp(alpha * (Math.log(beta) - Math.log(t + tPrime + beta)));
}

/** libs/numeric: the shared numerics at the bottom of the lib graph (pure, Float64Array throughout; no
 *  other lib may be imported here). One of each:
 *  - Cholesky: choleskyWithJitter(a, n, { maxRelativeJitter? }) → CholeskyFactor | null (null: not
 *    positive definite even with the largest jitter; the caller decides: independentCholeskyFactor, or a
 *    degenerate fit), choleskySolve, solveLower, choleskyLogDet, choleskyInverse, choleskyAppend, and the
 *    in-place triangular solves and dotPrefix for hot loops
 *  - the standard normal: normalPdf, normalCdf, logNormalCdf, normalQuantile, erfc, erfcxNonNegative,
 *    log1mexp, logH (h(z) = φ(z) + zΦ(z))
 *  - improvement under N(μ, σ²): expectedImprovement / logExpectedImprovement (maximisation, with ∂/∂μ,
 *    ∂/∂σ), expectedImprovementBelow / probabilityBelow (minimisation)
 */
export {
  choleskyWithJitter, independentCholeskyFactor, choleskySolve, solveLower, choleskyLogDet, choleskyInverse, choleskyAppend,
  solveLowerInPlace, solveUpperTransposedInPlace, dotPrefix,
  type CholeskyFactor, type CholeskyOptions,
} from './cholesky';
export { erfc, erfcxNonNegative, normalCdf, normalPdf, logNormalCdf, log1mexp, logH } from './normal';
export { normalQuantile } from './normal-quantile';
export {
  expectedImprovement, logExpectedImprovement, expectedImprovementBelow, probabilityBelow, type ValueAndSlopes,
} from './expected-improvement';

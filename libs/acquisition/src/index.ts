/** libs/acquisition: acquisition functions and their optimisation over the encoded space (pure).
 *
 *  - logExpectedImprovement / expectedImprovement / upperConfidenceBound / logProbabilityOfImprovement
 *    (value and ∂/∂μ, ∂/∂σ), evaluateAcquisition(spec, mean, variance), ucbBeta(d, t)
 *    (EI and log-EI are @hpo/numeric's, re-exported here; the normal's tail functions live there)
 *  - optimizeAcquisition({ gp, spec, rng, project?, external?, ... }): ranked feasible candidates
 *  - selectBatch({ gp, kind, count, rng, pending?, strategy?, accept?, project?, external? }): a batch
 *    by kriging believer (default) or constant liar, pending points fantasised first
 *  - replayTrustRegion(values, designSize, settings) / trustRegionBox(center, L, log ℓ): a TuRBO-style trust
 *    region, passed to optimizeAcquisition / selectBatch as `trustRegion`
 *  - hypervolume(points, reference); hypervolumeScalarization / chebyshevScalarization /
 *    randomScalarizationWeights / hypervolumeScalarizationConstant (Golovin & Zhang 2020)
 *  - multiMetricAcquisition / maximizeMultiMetricAcquisition: several objectives and outcome constraints
 *  Values are for maximisation in the GP's standardised units.
 */
export {
  expectedImprovement, logExpectedImprovement, upperConfidenceBound, logProbabilityOfImprovement, ucbBeta, evaluateAcquisition,
  type AcquisitionKind, type AcquisitionSpec, type AcquisitionValue,
} from './acquisition-functions';
export { optimizeAcquisition, type AcquisitionOptimizationOptions, type ScoredCandidate, type WeightedPrior } from './optimize-acquisition';
export { selectBatch, acquisitionSpec, isFarFromAll, type BatchOptions, type BatchChoice, type FantasyStrategy } from './select-batch';
export {
  replayTrustRegion, trustRegionBox, defaultTrustRegionSettings, MAX_WEIGHTING_LENGTHSCALE,
  type Box, type TrustRegionLength, type TrustRegionSettings,
} from './trust-region';
export { hypervolume } from './hypervolume';
export { chebyshevScalarization, hypervolumeScalarization, randomScalarizationWeights, hypervolumeScalarizationConstant } from './hypervolume-scalarization';
export {
  multiMetricAcquisition, maximizeMultiMetricAcquisition,
  type ConstraintModel, type MultiMetricModels, type MultiMetricScore, type MultiMetricSearchOptions, type MultiMetricCandidate,
} from './multi-metric-acquisition';

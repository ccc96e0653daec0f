export { erfc, erfcxNonNegative, normalCdf, normalPdf, logNormalCdf, log1mexp, logH } from './normal-tail';
export {
  expectedImprovement, logExpectedImprovement, upperConfidenceBound, logProbabilityOfImprovement, ucbBeta, evaluateAcquisition,
  type AcquisitionKind, type AcquisitionSpec, type AcquisitionValue,
} from './acquisition-functions';
export { optimizeAcquisition, type AcquisitionOptimizationOptions, type ScoredCandidate } from './optimize-acquisition';
export { selectBatch, acquisitionSpec, type BatchOptions, type BatchChoice, type FantasyStrategy } from './select-batch';

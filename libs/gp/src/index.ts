/** libs/gp: Gaussian-process regression on the unit-cube encoding (pure, Float64Array throughout).
 *
 *  Main entry points:
 *  - fitGaussianProcess({ x, y, d, warmStart?, restarts?, maxIterations?, seed?, hyperparameters? }): GaussianProcess
 *    (standardises y, MAP hyperparameters by multi-start projected L-BFGS, reuses the fit's Cholesky)
 *  - GaussianProcess: predict(q, m), predictMeanAndVarianceBound(q, m),
 *    predictWithGradient(q), withObservation(q, y) (fantasy, O(n²)), withHyperparameters(h, x, y, transform)
 *  - fitHyperparameters(data, options), logMarginalLikelihood(kernel, data, θ, withGradient)
 *  - minimizeLbfgsb(problem, start, options): box-constrained projected L-BFGS
 *  (the Cholesky underneath is @hpo/numeric's: a factor that fails even with jitter is answered with
 *  independentCholeskyFactor, so a GP always predicts)
 *  - CholeskyCache: factors kept across calls and extended by appended rows (withHyperparameters' cache)
 *  Units: inputs in [0, 1]^d, outputs standardised (GaussianProcess.transform maps back).
 */
export { CholeskyCache } from './cholesky-cache';
export { kernelMatrix, crossCovariance, kernelOfSquaredDistance, kernelDerivativeOfSquaredDistance, type KernelName } from './kernels';
export {
  hyperparameterBounds, hyperparameterPrior, priorMode, priorDraw, logPrior, packHyperparameters, unpackHyperparameters, MIN_NOISE_VARIANCE,
  HYPERPARAMETER_PRIORS, DEFAULT_HYPERPARAMETER_PRIOR, parseHyperparameterPrior,
  type GpHyperparameters, type HyperparameterPrior, type HyperparameterPriorName, type PriorTerm,
} from './hyperparameters';
export { logMarginalLikelihood, type TrainingData, type LikelihoodResult } from './marginal-likelihood';
export { fitHyperparameters, type FitOptions, type FitResult } from './fit-hyperparameters';
export { minimizeLbfgsb, type BoxProblem, type LbfgsbOptions, type LbfgsbResult } from './lbfgsb';
export { fitOutputTransform, standardize, type OutputTransform } from './standardize';
export { GaussianProcess, fitGaussianProcess, type GpFitInput, type Prediction, type PredictionWithGradient } from './gaussian-process';
export { OUTPUT_WARPINGS, parseOutputWarping, warpOutputs, halfRankWarp, logWarp, type OutputWarping } from './output-warping';

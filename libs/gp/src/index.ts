export { choleskyWithJitter, choleskySolve, choleskyInverse, choleskyAppend, type CholeskyFactor } from './cholesky';
export { kernelMatrix, crossCovariance, kernelOfSquaredDistance, kernelDerivativeOfSquaredDistance, type KernelName } from './kernels';
export {
  hyperparameterBounds, hyperparameterPrior, priorMode, logPrior, packHyperparameters, unpackHyperparameters, MIN_NOISE_VARIANCE,
  type GpHyperparameters, type HyperparameterPrior,
} from './hyperparameters';
export { logMarginalLikelihood, type TrainingData, type LikelihoodResult } from './marginal-likelihood';
export { fitHyperparameters, type FitOptions, type FitResult } from './fit-hyperparameters';
export { minimizeLbfgsb, type BoxProblem, type LbfgsbOptions, type LbfgsbResult } from './lbfgsb';
export { fitOutputTransform, standardize, type OutputTransform } from './standardize';
export { GaussianProcess, fitGaussianProcess, type GpFitInput, type Prediction, type PredictionWithGradient } from './gaussian-process';

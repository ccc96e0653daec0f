/** libs/early-stopping: freeze-thaw (Swersky, Snoek & Adams 2014) and the median rule. Pure.
 *
 *  Exports (others code against these names):
 *  - fitFreezeThawModel(curves: TrialLearningCurve[], {goal, maxStep, ...}): FreezeThawModel
 *      .predictions (per trial: mean/sd in model units, value [lower, upper] at max_step in metric units),
 *      .predictNew(x), .hyperparameters, .toModel/.toMetric
 *  - freezeThawDecision(model, trialId, options?) → {decision CONTINUE|PAUSE|STOP, reason, probabilityOfImprovement}
 *  - chooseThawOrNew({paused, candidate, all, incumbentMean, maxStep}) → {choice 'thaw', trialId, resumeFromStep} | {choice 'new'}
 *  - medianStoppingDecision({goal, trial, others, minSteps, minTrials}) → {decision CONTINUE|STOP, reason}
 *  - successiveHalvingDecision({goal, trial, others, rungs, eta, minTrials}) (ASHA; Hyperband with
 *    hyperbandBracket / hyperbandMaxBracket) → {decision CONTINUE|STOP, reason}
 *  - the maths underneath: exponentialDecayKernel, freezeThawPosterior, freezeThawLogMarginalLikelihood,
 *    predictCurve, predictAsymptote, predictNewCurve, fitFreezeThawHyperparameters, ConfigurationKernel
 *  libs/core wires them as the MEDIAN and FREEZE_THAW early-stopping policies and withFreezeThaw. */
export { exponentialDecayKernel } from './exponential-decay-kernel';
export { isotropicMatern52Kernel, fixedConfigurationKernel, matern52Correlation } from './configuration-kernel';
export type { ConfigurationKernel } from './configuration-kernel';
export { freezeThawPosterior, freezeThawLogMarginalLikelihood, predictCurve, predictAsymptote, predictNewCurve, curveCovariance } from './freeze-thaw-posterior';
export type { LearningCurve, FreezeThawHyperparameters, FreezeThawPosterior, GaussianPrediction } from './freeze-thaw-posterior';
export { fitFreezeThawHyperparameters } from './fit-freeze-thaw';
export type { FitFreezeThawOptions, FitFreezeThawResult } from './fit-freeze-thaw';
export { thinLearningCurve } from './learning-curve-thinning';
export type { ThinnedCurve } from './learning-curve-thinning';
export { fitFreezeThawModel } from './freeze-thaw-model';
export type { FreezeThawModel, FreezeThawModelOptions, FinalValuePrediction, TrialLearningCurve } from './freeze-thaw-model';
export { freezeThawDecision, incumbentPrediction, describePrediction, formatMetric, HYSTERESIS, PAUSE_PROBABILITY, STOP_PROBABILITY, THAW_PROBABILITY } from './freeze-thaw-decision';
export type { FreezeThawDecision, FreezeThawDecisionKind, FreezeThawDecisionOptions } from './freeze-thaw-decision';
export { chooseThawOrNew, expectedImprovementPerCost } from './choose-thaw-or-new';
export type { ThawOrNewChoice, ThawOrNewInput } from './choose-thaw-or-new';
export { medianStoppingDecision, bestValueUpTo, median } from './median-stopping';
export type { MedianStoppingInput, MedianStoppingDecision, MedianCurve } from './median-stopping';
export { successiveHalvingDecision, rungMilestones, valueAtRung, hyperbandBracket, hyperbandMaxBracket } from './successive-halving';
export type { RungCurve, RungDecision, RungDecisionInput, RungGoal } from './successive-halving';
export { nelderMead } from './nelder-mead';
export type { NelderMeadResult } from './nelder-mead';

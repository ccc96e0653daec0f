/** The study's one freeze-thaw fit, shared by the report side (freeze-thaw-stopping.ts) and the
 *  suggestion side (freeze-thaw-suggestion.ts) through the policy state's 'freezeThaw' part: each call
 *  warm-starts from the last fit of either side, on any replica, after any restart. */
import { fitFreezeThawModel } from '@hpo/early-stopping';
import type { FreezeThawHyperparameters, FreezeThawModel } from '@hpo/early-stopping';
import type { ModelFit, ModelState, PolicyState, StudyConfig, StudyView } from '../types';
import { earlyStoppingWarmUp } from './early-stopping-warm-up';
import { studyEncoder, studyLearningCurves } from './freeze-thaw-curves';

/** Fewest curves the model is fitted on, whatever min_trials says: one curve says nothing about how
 *  configurations differ. */
const MIN_CURVES = 3;
/** Likelihood evaluations of a cold fit, and of one warm-started from the last fit. */
const COLD_EVALUATIONS = 600;
const WARM_EVALUATIONS = 240;

export const FREEZE_THAW_STATE_PART = 'freezeThaw';
/** Bumped when FreezeThawModelState changes shape: an older part then costs one cold fit. */
export const FREEZE_THAW_STATE_VERSION = 1;

export interface FreezeThawModelState extends ModelState {
  version: typeof FREEZE_THAW_STATE_VERSION;
  hyperparameters: FreezeThawHyperparameters;
  /** Reports (points on all curves) when the hyperparameters were last optimised; absent in states
   *  written before it existed (then the next call refines them). */
  fittedReports?: number;
}

/** The hyperparameters are re-optimised (warm) when the reports grew by this factor since the last
 *  optimisation; in between, the stored ones are reused and only the posterior is recomputed (a few
 *  milliseconds): a few more epochs barely move seven hyperparameters fitted on hundreds of points. */
const REFIT_GROWTH = 1.1;

export interface FreezeThawFit {
  /** Undefined when the study has too few curves (no fit was made). */
  model?: FreezeThawModel;
  /** The policy state with this fit's part (unchanged when no fit was made). */
  state: PolicyState;
  fits: ModelFit[];
}

/** Fits the study's freeze-thaw model, warm-started from the state's part when it is usable. */
export function fitStudyFreezeThaw(config: StudyConfig, study: StudyView, state: PolicyState = {}): FreezeThawFit {
  const curves = studyLearningCurves(study, studyEncoder(config));
  if (curves.length < Math.max(MIN_CURVES, earlyStoppingWarmUp(config).minTrials)) return { state, fits: [] };
  const previous = freezeThawModelState(state);
  const warmStart = previous?.hyperparameters;
  const reports = curves.reduce((n, c) => n + c.steps.length, 0);
  const reuse = previous?.fittedReports !== undefined && reports >= previous.fittedReports && reports < Math.max(previous.fittedReports + 2, REFIT_GROWTH * previous.fittedReports);
  const model = fitFreezeThawModel(curves, {
    goal: config.metrics[0].goal,
    maxStep: config.earlyStopping.maxStep,
    warmStart,
    fixedHyperparameters: reuse ? warmStart : undefined,
    maxEvaluations: warmStart ? WARM_EVALUATIONS : COLD_EVALUATIONS,
  });
  const part: FreezeThawModelState = {
    version: FREEZE_THAW_STATE_VERSION,
    hyperparameters: model.hyperparameters,
    fittedReports: reuse ? previous!.fittedReports : reports,
  };
  const start = reuse ? 'reused' : warmStart ? 'warm' : 'cold';
  return { model, state: { ...state, [FREEZE_THAW_STATE_PART]: part }, fits: [{ model: FREEZE_THAW_STATE_PART, start }] };
}

/** The state's freeze-thaw part when it is this version with finite hyperparameters (it crossed a
 *  thread boundary and a database row); anything else is ignored. */
export function freezeThawModelState(state: PolicyState | undefined): FreezeThawModelState | undefined {
  const part = state?.[FREEZE_THAW_STATE_PART] as Partial<FreezeThawModelState> | undefined;
  if (!part || typeof part !== 'object' || part.version !== FREEZE_THAW_STATE_VERSION) return undefined;
  const h = part.hyperparameters as Partial<Record<keyof FreezeThawHyperparameters, unknown>> | undefined;
  if (!h || typeof h !== 'object') return undefined;
  const finite = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v);
  const scalars = [h.alpha, h.beta, h.curveVariance, h.noiseVariance, h.asymptoteVariance, h.asymptoteMean];
  if (!scalars.every(finite) || !Array.isArray(h.kernelParameters) || !h.kernelParameters.every(finite)) return undefined;
  return part as FreezeThawModelState;
}

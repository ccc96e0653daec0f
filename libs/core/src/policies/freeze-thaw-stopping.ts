/** FREEZE_THAW on the reporting side: at each report, fit the freeze-thaw model to every curve of the
 *  study and CONTINUE, PAUSE or STOP the trial (libs/early-stopping's freezeThawDecision). The policy
 *  object keeps its last fitted hyperparameters as the next fit's warm start; a fresh object fits cold
 *  and decides the same way up to the optimiser's tolerance. */
import { freezeThawDecision, FreezeThawDecisionOptions } from '@hpo/early-stopping';
import { FreezeThawModel, fitFreezeThawModel } from '@hpo/early-stopping';
import type { FreezeThawHyperparameters } from '@hpo/early-stopping';
import type { EarlyStoppingPolicy, StopDecision, StopRequest, StudyConfig, StudyView } from '../types';
import { earlyStoppingWarmUp } from './early-stopping-warm-up';
import { studyEncoder, studyLearningCurves } from './freeze-thaw-curves';

/** Fewest curves the model is fitted on, whatever min_trials says: one curve says nothing about how
 *  configurations differ. */
const MIN_CURVES = 3;

export interface FreezeThawFitter {
  /** The fitted model, or undefined when the study has too few curves. */
  fit(study: StudyView): FreezeThawModel | undefined;
}

/** Fits models for one study config, warm-starting each fit from the previous one. */
export function createFreezeThawFitter(
  config: StudyConfig,
  options: { maxEvaluations?: number; warmStart?: FreezeThawHyperparameters } = {},
): FreezeThawFitter & { readonly hyperparameters: FreezeThawHyperparameters | undefined } {
  const encoder = studyEncoder(config);
  let warmStart: FreezeThawHyperparameters | undefined = options.warmStart;
  return {
    fit(study) {
      const curves = studyLearningCurves(study, encoder);
      if (curves.length < Math.max(MIN_CURVES, earlyStoppingWarmUp(config).minTrials)) return undefined;
      const model = fitFreezeThawModel(curves, {
        goal: config.metrics[0].goal,
        maxStep: config.earlyStopping.maxStep,
        warmStart,
        maxEvaluations: options.maxEvaluations ?? (warmStart ? 240 : 600),
      });
      warmStart = model.hyperparameters;
      return model;
    },
    get hyperparameters() {
      return warmStart;
    },
  };
}

/** A FREEZE_THAW policy that also hands back its fitted hyperparameters, so that a server which builds a
 *  fresh policy per report (in a worker thread) still warm-starts each fit from the last one: a cold
 *  fit costs 600 likelihood evaluations, a warm one 240. */
export interface StatefulStoppingPolicy extends EarlyStoppingPolicy {
  decideWithState(request: StopRequest): { decision: StopDecision; modelState?: unknown };
}

export function createFreezeThawStoppingPolicy(config: StudyConfig, decisionOptions: FreezeThawDecisionOptions = {}): StatefulStoppingPolicy {
  let fitter = createFreezeThawFitter(config);
  const policy: StatefulStoppingPolicy = {
    name: 'FREEZE_THAW',
    decideWithState(request) {
      const warm = asHyperparameters(request.modelState);
      if (warm && fitter.hyperparameters === undefined) fitter = createFreezeThawFitter(config, { warmStart: warm });
      const decision = policy.decide(request);
      return { decision, modelState: fitter.hyperparameters };
    },
    decide({ study, trialId }) {
      const trial = study.trials.find((t) => t.id === trialId);
      if (!trial) throw new Error(`FREEZE_THAW: trial ${trialId} is not in the study view`);
      const reports = trial.measurements.length;
      const { minSteps } = earlyStoppingWarmUp(config);
      if (reports < minSteps) return { decision: 'CONTINUE', reason: `${reports} of min_steps ${minSteps} reports` };
      const model = fitter.fit(study);
      if (!model) return { decision: 'CONTINUE', reason: 'too few learning curves for the freeze-thaw model yet' };
      if (!model.predictions.some((p) => p.trialId === trialId)) return { decision: 'CONTINUE', reason: 'no finite objective reported yet' };
      const d = freezeThawDecision(model, trialId, decisionOptions);
      return { decision: d.decision, reason: d.reason };
    },
  };
  return policy;
}

/** Accepts a state only if it looks like our own hyperparameters (it crossed a thread boundary). */
function asHyperparameters(state: unknown): FreezeThawHyperparameters | undefined {
  if (typeof state !== 'object' || state === null) return undefined;
  const h = state as Partial<Record<keyof FreezeThawHyperparameters, unknown>>;
  const scalars = [h.alpha, h.beta, h.curveVariance, h.noiseVariance, h.asymptoteVariance, h.asymptoteMean];
  const finite = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v);
  if (!scalars.every(finite) || !Array.isArray(h.kernelParameters) || !h.kernelParameters.every(finite)) return undefined;
  return state as FreezeThawHyperparameters;
}

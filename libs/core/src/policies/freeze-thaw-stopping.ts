/** FREEZE_THAW on the reporting side: at each report, fit the freeze-thaw model to every curve of the
 *  study and CONTINUE, PAUSE or STOP the trial (libs/early-stopping's freezeThawDecision). The policy
 *  object keeps its last fitted hyperparameters as the next fit's warm start; a fresh object fits cold
 *  and decides the same way up to the optimiser's tolerance. */
import { freezeThawDecision, FreezeThawDecisionOptions } from '../../../early-stopping/src/freeze-thaw-decision';
import { FreezeThawModel, fitFreezeThawModel } from '../../../early-stopping/src/freeze-thaw-model';
import type { FreezeThawHyperparameters } from '../../../early-stopping/src/freeze-thaw-posterior';
import type { EarlyStoppingPolicy, StudyConfig, StudyView } from '../types';
import { studyEncoder, studyLearningCurves } from './freeze-thaw-curves';

/** Fewest curves the model is fitted on, whatever min_trials says: one curve says nothing about how
 *  configurations differ. */
const MIN_CURVES = 3;

export interface FreezeThawFitter {
  /** The fitted model, or undefined when the study has too few curves. */
  fit(study: StudyView): FreezeThawModel | undefined;
}

/** Fits models for one study config, warm-starting each fit from the previous one. */
export function createFreezeThawFitter(config: StudyConfig, options: { maxEvaluations?: number } = {}): FreezeThawFitter {
  const encoder = studyEncoder(config);
  let warmStart: FreezeThawHyperparameters | undefined;
  return {
    fit(study) {
      const curves = studyLearningCurves(study, encoder);
      if (curves.length < Math.max(MIN_CURVES, config.earlyStopping.minTrials)) return undefined;
      const model = fitFreezeThawModel(curves, {
        goal: config.metrics[0].goal,
        maxStep: config.earlyStopping.maxStep,
        warmStart,
        maxEvaluations: options.maxEvaluations ?? (warmStart ? 240 : 600),
      });
      warmStart = model.hyperparameters;
      return model;
    },
  };
}

export function createFreezeThawStoppingPolicy(config: StudyConfig, decisionOptions: FreezeThawDecisionOptions = {}): EarlyStoppingPolicy {
  const fitter = createFreezeThawFitter(config);
  return {
    name: 'FREEZE_THAW',
    decide({ study, trialId }) {
      const trial = study.trials.find((t) => t.id === trialId);
      if (!trial) throw new Error(`FREEZE_THAW: trial ${trialId} is not in the study view`);
      const reports = trial.measurements.length;
      if (reports < config.earlyStopping.minSteps) {
        return { decision: 'CONTINUE', reason: `${reports} of min_steps ${config.earlyStopping.minSteps} reports` };
      }
      const model = fitter.fit(study);
      if (!model) return { decision: 'CONTINUE', reason: 'too few learning curves for the freeze-thaw model yet' };
      if (!model.predictions.some((p) => p.trialId === trialId)) return { decision: 'CONTINUE', reason: 'no finite objective reported yet' };
      const d = freezeThawDecision(model, trialId, decisionOptions);
      return { decision: d.decision, reason: d.reason };
    },
  };
}

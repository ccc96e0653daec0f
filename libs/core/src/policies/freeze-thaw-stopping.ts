/** FREEZE_THAW on the reporting side: at each report, fit the freeze-thaw model to every curve of the
 *  study (freeze-thaw-fit.ts: warm-started from the study's shared fit) and CONTINUE, PAUSE or STOP each
 *  reporting trial from that one fit (libs/early-stopping's freezeThawDecision). */
import { freezeThawDecision, FreezeThawDecisionOptions } from '@hpo/early-stopping';
import type { EarlyStoppingPolicy, StopDecision, StudyConfig } from '../types';
import { earlyStoppingWarmUp } from './early-stopping-warm-up';
import { fitStudyFreezeThaw } from './freeze-thaw-fit';

export function createFreezeThawStoppingPolicy(config: StudyConfig, decisionOptions: FreezeThawDecisionOptions = {}): EarlyStoppingPolicy {
  return {
    name: 'FREEZE_THAW',
    decide({ study, trialIds, state = {} }) {
      const trials = trialIds.map((id) => {
        const trial = study.trials.find((t) => t.id === id);
        if (!trial) throw new Error(`FREEZE_THAW: trial ${id} is not in the study view`);
        return trial;
      });
      const { minSteps } = earlyStoppingWarmUp(config);
      const early = (reports: number): StopDecision | undefined =>
        reports < minSteps ? { decision: 'CONTINUE', reason: `${reports} of min_steps ${minSteps} reports` } : undefined;
      // No fit (and no change to the state) while every reporting trial is inside its warm-up.
      if (trials.every((t) => early(t.measurements.length))) {
        return { decisions: trials.map((t) => early(t.measurements.length) as StopDecision), state };
      }
      const fit = fitStudyFreezeThaw(config, study, state);
      const decisions = trials.map((trial): StopDecision => {
        const warmingUp = early(trial.measurements.length);
        if (warmingUp) return warmingUp;
        if (!fit.model) return { decision: 'CONTINUE', reason: 'too few learning curves for the freeze-thaw model yet' };
        if (!fit.model.predictions.some((p) => p.trialId === trial.id)) return { decision: 'CONTINUE', reason: 'no finite objective reported yet' };
        const d = freezeThawDecision(fit.model, trial.id, decisionOptions);
        return { decision: d.decision, reason: d.reason };
      });
      return { decisions, state: fit.state, fits: fit.fits };
    },
  };
}

/** FREEZE_THAW on the reporting side: at each report, fit the freeze-thaw model to every curve of the
 *  study (freeze-thaw-fit.ts: warm-started from the study's shared fit) and CONTINUE, PAUSE or STOP each
 *  reporting trial from that one fit (libs/early-stopping's freezeThawDecision).
 *
 *  Keeping a trial training is one of three actions valued alike, by expected improvement of the final
 *  value per remaining step: a running trial is paused only when the best alternative — a new
 *  configuration (the best of 64 quasi-random candidates under the model) or thawing a paused trial —
 *  is worth twice as much per step (the hysteresis the suggesting side mirrors). A trial thawed once is
 *  stopped rather than paused again.
 *
 *  If the model cannot be fitted (a covariance that stays non-positive-definite, degenerate values),
 *  the documented simpler decision is the median rule (Optuna's MedianPruner) with its reason prefixed by
 *  a warning: never an error to the client. */
import { expectedImprovementPerCost, freezeThawDecision, FreezeThawDecisionOptions, incumbentPrediction, medianStoppingDecision } from '@hpo/early-stopping';
import type { FreezeThawModel } from '@hpo/early-stopping';
import { haltonSequence } from '@hpo/space';
import type { SpaceEncoder } from '@hpo/space';
import type { EarlyStoppingPolicy, StopDecision, StudyConfig, StudyView, TrialView } from '../types';
import { earlyStoppingWarmUp } from './early-stopping-warm-up';
import { studyEncoder } from './freeze-thaw-curves';
import { fitStudyFreezeThaw, FreezeThawFit } from './freeze-thaw-fit';
import { objectiveCurve } from './median-stopping';

/** Quasi-random configurations the model scores to value "start a new configuration". */
const NEW_CANDIDATES = 64;

/** The best expected improvement per step among the alternatives to training `trialId` further. A new
 *  configuration is an alternative only while one may start (below max_trials): at max_trials a thawed
 *  trial was stopped at its next report in favour of configurations that could never run.
 *  For a thawed trial, other paused trials are no alternative: the suggesting side already ranked them
 *  below it when it chose the thaw. Counting them stopped each thawed trial one or two epochs later in
 *  favour of the next paused one (which was stopped in turn): on the crossing task 2 of 10 seeds ended
 *  the study at a third of its budget that way, without ever training a top-5 % configuration. */
function bestAlternativeValue(model: FreezeThawModel, study: StudyView, encoder: SpaceEncoder, trialId: number): number {
  const incumbent = incumbentPrediction(model);
  if (!incumbent) return 0;
  let best = 0;
  const maxTrials = study.config.maxTrials;
  const newAllowed = !(maxTrials > 0 && study.trials.length >= maxTrials);
  const design = haltonSequence(encoder.dimension, 0x7f4a);
  for (let i = 0; newAllowed && i < NEW_CANDIDATES; i++) {
    const p = model.predictNew(encoder.project(design.point(i)));
    best = Math.max(best, expectedImprovementPerCost(p, incumbent.mean, model.maxStep));
  }
  const resumed = (study.trials.find((t) => t.id === trialId)?.resumeFromStep ?? 0) > 0;
  if (resumed) return best;
  const thawable = new Set(study.trials.filter((t) => t.state === 'PAUSED' && t.id !== trialId && !(t.resumeFromStep && t.resumeFromStep > 0)).map((t) => t.id));
  for (const p of model.predictions) {
    if (p.trialId !== undefined && thawable.has(p.trialId)) best = Math.max(best, expectedImprovementPerCost(p, incumbent.mean, model.maxStep));
  }
  return best;
}

function medianFallback(config: StudyConfig, study: StudyView, trial: TrialView, cause: string): StopDecision {
  const others = study.trials.filter((t) => t.id !== trial.id && t.state !== 'INFEASIBLE').map((t) => objectiveCurve(config, t));
  const d = medianStoppingDecision({ goal: config.metrics[0].goal, trial: objectiveCurve(config, trial), others, ...earlyStoppingWarmUp(config) });
  return { decision: d.decision, reason: `warning: freeze-thaw model unavailable (${cause}); median rule: ${d.reason}` };
}

export function createFreezeThawStoppingPolicy(config: StudyConfig, decisionOptions: FreezeThawDecisionOptions = {}): EarlyStoppingPolicy {
  const encoder = studyEncoder(config);
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
      let fit: FreezeThawFit;
      try {
        fit = fitStudyFreezeThaw(config, study, state);
      } catch (error) {
        const cause = error instanceof Error ? error.message : String(error);
        return { decisions: trials.map((t) => early(t.measurements.length) ?? medianFallback(config, study, t, cause)), state };
      }
      const model = fit.model;
      const decisions = trials.map((trial): StopDecision => {
        const warmingUp = early(trial.measurements.length);
        if (warmingUp) return warmingUp;
        if (!model) return { decision: 'CONTINUE', reason: 'too few learning curves for the freeze-thaw model yet' };
        if (!model.predictions.some((p) => p.trialId === trial.id)) return { decision: 'CONTINUE', reason: 'no finite objective reported yet' };
        const d = freezeThawDecision(model, trial.id, {
          ...decisionOptions,
          resumed: (trial.resumeFromStep ?? 0) > 0,
          alternativeValue: decisionOptions.alternativeValue ?? (() => bestAlternativeValue(model, study, encoder, trial.id)),
        });
        return { decision: d.decision, reason: d.reason };
      });
      return { decisions, state: fit.state, fits: fit.fits };
    },
  };
}

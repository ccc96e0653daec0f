/** FREEZE_THAW on the suggesting side: when the study has PAUSED trials, each requested slot goes to
 *  whichever is worth more per remaining epoch — thawing the best paused trial (resumed from its
 *  checkpoint at its last step + 1) or the inner policy's new configuration — by expected improvement
 *  of the final value per unit of remaining cost (libs/early-stopping's chooseThawOrNew). The fit is
 *  the study's shared one (freeze-thaw-fit.ts); the inner policy's state parts pass through. */
import { chooseThawOrNew } from '@hpo/early-stopping';
import { incumbentPrediction } from '@hpo/early-stopping';
import type { FinalValuePrediction } from '@hpo/early-stopping';
import type { StudyConfig, Suggestion, SuggestionPolicy, SuggestResult } from '../types';
import { studyEncoder } from './freeze-thaw-curves';
import { fitStudyFreezeThaw } from './freeze-thaw-fit';

export function withFreezeThaw(inner: SuggestionPolicy, config: StudyConfig): SuggestionPolicy {
  if (config.earlyStopping.mode !== 'FREEZE_THAW') return inner;
  const encoder = studyEncoder(config);
  return {
    name: `${inner.name}+FREEZE_THAW`,
    async suggest(request): Promise<SuggestResult> {
      const pausedTrials = request.study.trials.filter((t) => t.state === 'PAUSED');
      if (pausedTrials.length === 0) return inner.suggest(request);
      const fit = fitStudyFreezeThaw(config, request.study, request.state);
      const model = fit.model;
      const budgetExhausted = request.newTrialsAllowed === false;
      // New configurations cannot start once the study is at max_trials: do not let them outbid thaws.
      // The inner policy sees the state with the new freeze-thaw part, so its result carries both.
      const innerResult: SuggestResult = budgetExhausted
        ? { suggestions: [], state: fit.state }
        : await inner.suggest({ ...request, state: fit.state });
      const fits = [...fit.fits, ...(innerResult.fits ?? [])];
      if (!model) return { suggestions: innerResult.suggestions, state: innerResult.state, fits };
      const fresh = innerResult.suggestions;
      const paused: FinalValuePrediction[] = model.predictions.filter((p) => pausedTrials.some((t) => t.id === p.trialId));
      const incumbent = incumbentPrediction(model);
      const out: Suggestion[] = [];
      let next = 0;
      for (let slot = 0; slot < request.count; slot++) {
        const candidate = fresh[next];
        if (!candidate && (paused.length === 0 || !incumbent)) break;
        if (candidate && (paused.length === 0 || !incumbent)) {
          out.push(candidate);
          next++;
          continue;
        }
        const candidatePrediction = candidate ? model.predictNew(encoder.encode(candidate.parameters)) : undefined;
        const choice = chooseThawOrNew({
          paused,
          // With no new configuration left (a nearly exhausted space), any paused trial beats nothing.
          candidate: candidatePrediction ?? { lastStep: model.maxStep, mean: Number.POSITIVE_INFINITY, sd: 0, value: NaN, lower: NaN, upper: NaN },
          incumbentMean: (incumbent as FinalValuePrediction).mean,
          maxStep: model.maxStep,
          budgetExhausted,
        });
        if (choice.choice === 'thaw') {
          const trial = pausedTrials.find((t) => t.id === choice.trialId)!;
          out.push({ parameters: trial.parameters, origin: 'thaw', resumeTrialId: trial.id, reason: choice.reason });
          paused.splice(paused.findIndex((p) => p.trialId === choice.trialId), 1);
        } else if (candidate) {
          out.push({ ...candidate, reason: candidate.reason ? `${candidate.reason}; ${choice.reason}` : choice.reason });
          next++;
        }
      }
      return { suggestions: out, state: innerResult.state, fits };
    },
  };
}

/** The suggesting side of every early-stopping mode with max_step (MEDIAN, ASHA, HYPERBAND, FREEZE_THAW):
 *  - the study's one learning-curve fit (freeze-thaw-fit.ts, shared with the report side) predicts the
 *    final value of every trial with a partial curve — running, paused, stopped early — and the inner
 *    policy gets those predictions (SuggestRequest.curvePredictions), so GP_BANDIT's acquisition sees
 *    every trial through its predicted final and its variance, not only finished ones;
 *  - under FREEZE_THAW, each requested slot then goes to whichever is worth more per remaining epoch —
 *    thawing the best paused trial (resumed from its checkpoint at its last step + 1) or the inner
 *    policy's new configuration — by expected improvement of the final value per unit of remaining cost
 *    (libs/early-stopping's chooseThawOrNew, with the report side's hysteresis). A trial thawed once is
 *    never paused again, so it is never a thaw candidate twice.
 *  When the curve model cannot be fitted (a covariance that stays non-positive-definite, degenerate
 *  values), the documented simpler decision is taken: no predictions (unfinished trials count as
 *  pending), no thaw unless no new configuration may start, with the cause in the suggestions' reasons. */
import { chooseThawOrNew, incumbentPrediction } from '@hpo/early-stopping';
import type { FinalValuePrediction, FreezeThawModel } from '@hpo/early-stopping';
import type { CurvePrediction, PolicyState, StudyConfig, Suggestion, SuggestionPolicy, SuggestResult, TrialView } from '../types';
import { studyEncoder } from './freeze-thaw-curves';
import { fitStudyFreezeThaw, FreezeThawFit } from './freeze-thaw-fit';

/** Trials whose curve is unfinished: their final value is a prediction. */
function hasPartialCurve(t: TrialView): boolean {
  return t.measurements.length > 0 && (t.state === 'ACTIVE' || t.state === 'PAUSED' || t.state === 'STOPPING' || t.state === 'EARLY_STOPPED');
}

/** The model's predicted finals, in the objective's units, of the trials with partial curves. */
export function curvePredictionsOf(model: FreezeThawModel, trials: readonly TrialView[]): CurvePrediction[] {
  const partial = new Set(trials.filter(hasPartialCurve).map((t) => t.id));
  const unit = Math.abs(model.toMetric(1) - model.toMetric(0));
  return model.predictions
    .filter((p) => p.trialId !== undefined && partial.has(p.trialId))
    .map((p) => ({ trialId: p.trialId as number, value: p.value, sd: p.sd * unit }));
}

/** The study's fit, or the failure's message (the caller takes the simpler decision). */
function tryFit(config: StudyConfig, trials: readonly TrialView[], state: PolicyState | undefined, study: Parameters<typeof fitStudyFreezeThaw>[1]): FreezeThawFit | string {
  if (!trials.some(hasPartialCurve)) return { state: state ?? {}, fits: [] };
  try {
    return fitStudyFreezeThaw(config, study, state);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

export function withFreezeThaw(inner: SuggestionPolicy, config: StudyConfig): SuggestionPolicy {
  if (config.earlyStopping.mode === 'NONE' || !(config.earlyStopping.maxStep > 0)) return inner;
  const encoder = studyEncoder(config);
  const thaws = config.earlyStopping.mode === 'FREEZE_THAW';
  return {
    name: thaws ? `${inner.name}+FREEZE_THAW` : inner.name,
    async suggest(request): Promise<SuggestResult> {
      const { study } = request;
      const fitted = tryFit(config, study.trials, request.state, study);
      const budgetExhausted = request.newTrialsAllowed === false;
      if (typeof fitted === 'string') {
        const warning = `warning: learning-curve model unavailable (${fitted}); unfinished trials counted as pending, no thaw`;
        const result = budgetExhausted ? { suggestions: [], state: request.state ?? {} } : await inner.suggest(request);
        return { ...result, suggestions: result.suggestions.map((s) => ({ ...s, reason: s.reason ? `${s.reason}; ${warning}` : warning })) };
      }
      const model = fitted.model;
      const curvePredictions = model ? curvePredictionsOf(model, study.trials) : undefined;
      // New configurations cannot start once the study is at its budget: do not let them outbid thaws.
      // The inner policy sees the state with the new freeze-thaw part, so its result carries both.
      const innerResult: SuggestResult = budgetExhausted
        ? { suggestions: [], state: fitted.state }
        : await inner.suggest({ ...request, state: fitted.state, curvePredictions });
      const fits = [...fitted.fits, ...(innerResult.fits ?? [])];
      // Thaw candidates: paused trials never resumed before (the report side never pauses one twice).
      const pausedTrials = study.trials.filter((t) => t.state === 'PAUSED' && !(t.resumeFromStep && t.resumeFromStep > 0));
      if (!thaws || !model || pausedTrials.length === 0) return { suggestions: innerResult.suggestions, state: innerResult.state, fits };
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
          all: model.predictions,
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

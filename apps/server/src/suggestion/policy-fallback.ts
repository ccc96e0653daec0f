/** The server's safety net under the policies. A policy that throws on a study's data (a numerical
 *  failure such as a covariance that is never positive definite, or a plain bug) must cost that study
 *  some quality, never an INTERNAL answer or a study that fails on every later call. A failed
 *  suggestion falls back to quasi-random points (or, when no new trial may start, to resuming the
 *  paused trials in order); a failed early-stopping decision falls back to CONTINUE. Both say so in
 *  their reason and are logged as warnings by the caller. Backpressure and an unreachable database
 *  are not policy failures: they keep their own status, which tells the caller to retry. */
import { createEarlyStoppingPolicy, createSuggestionPolicy, HpoError } from '@hpo/core';
import type { StopDecision, StopRequest, StopResult, SuggestRequest, SuggestResult, Suggestion } from '@hpo/core';
import type { PolicyRunner } from './policy-runner';
import { isDatabaseUnavailable } from '../storage/connection-errors';

/** The longest cause quoted in a reason: enough to recognise the failure, never a stack. */
const MAX_CAUSE_CHARS = 160;

export function isPolicyFailure(error: unknown): boolean {
  if (error instanceof HpoError && (error.code === 'RESOURCE_EXHAUSTED' || error.code === 'UNAVAILABLE')) return false;
  return !isDatabaseUnavailable(error);
}

/** The first line of the error's message, cut short (the worker passes stacks along). */
export function failureCause(error: unknown): string {
  const text = String((error as Error)?.message ?? error).replace(/^policy failed in worker: /, '');
  const line = text.split('\n')[0].trim();
  return line.length > MAX_CAUSE_CHARS ? `${line.slice(0, MAX_CAUSE_CHARS)}…` : line;
}

export function fallbackDecision(mode: string, error: unknown): StopDecision {
  return { decision: 'CONTINUE', reason: `fallback: ${mode} could not decide (${failureCause(error)}); the trial continues` };
}

/** Quasi-random new configurations, or the study's paused trials in id order when no new trial may
 *  start. Cheap (a Halton point per suggestion), so it runs where the failure was seen. */
export async function fallbackSuggestions(request: SuggestRequest, algorithm: string, error: unknown): Promise<Suggestion[]> {
  const because = `fallback after ${algorithm} failed: ${failureCause(error)}`;
  if (request.newTrialsAllowed === false) {
    return request.study.trials
      .filter((t) => t.state === 'PAUSED')
      .slice(0, request.count)
      .map((t) => ({ parameters: t.parameters, origin: 'fallback' as const, resumeTrialId: t.id, reason: `resumed in id order (${because})` }));
  }
  const config = { ...request.study.config, algorithm: 'QUASI_RANDOM_SEARCH' as const, earlyStopping: { ...request.study.config.earlyStopping, mode: 'NONE' as const } };
  const { suggestions } = await createSuggestionPolicy(config).suggest({ study: { ...request.study, config }, count: request.count, seed: request.seed });
  return suggestions.map((s) => ({ parameters: s.parameters, origin: 'fallback' as const, reason: `${s.reason ?? 'quasi-random'} (${because})` }));
}

/** The runner's suggestions, or the fallback's when the policy fails on this study's data: the failed
 *  fit's state is dropped (an empty state), so the next call starts cold. */
export async function suggestOrFallBack(runner: PolicyRunner, request: SuggestRequest, warn: (entry: object) => void, lane?: string): Promise<SuggestResult> {
  try {
    return await runner.suggest(request, lane);
  } catch (error) {
    if (!isPolicyFailure(error)) throw error;
    const { algorithm } = request.study.config;
    warn({ msg: 'suggestion policy failed; quasi-random fallback used', algorithm, error: failureCause(error) });
    return { suggestions: await fallbackSuggestions(request, algorithm, error), state: {} };
  }
}

/** Rules run in the runner, except MEDIAN: a few comparisons per curve, cheaper inline than a hop to a
 *  thread that may be busy fitting a GP. A rule that fails on this study's data answers CONTINUE with the
 *  cause as reason, and its state is dropped. */
export async function decideOrFallBack(runner: PolicyRunner, request: StopRequest, warn: (entry: object) => void, lane?: string): Promise<StopResult> {
  const { mode } = request.study.config.earlyStopping;
  try {
    return mode === 'MEDIAN' ? createEarlyStoppingPolicy(request.study.config).decide(request) : await runner.decide(request, lane);
  } catch (error) {
    if (!isPolicyFailure(error)) throw error;
    warn({ msg: 'early-stopping rule failed; CONTINUE fallback used', trials: request.trialIds, mode, error: failureCause(error) });
    return { decisions: request.trialIds.map(() => fallbackDecision(mode, error)), state: {} };
  }
}

/** Worker-thread entry (piscina): runs policies off the event loop. Errors cross the thread boundary as
 *  plain data because structured cloning drops the typed error classes the server maps to status codes. */
import { createEarlyStoppingPolicy, createSuggestionPolicy, HpoError, optimalTrials } from '@hpo/core';
import type { OptimalTrials, StopRequest, StopResult, StudyView, SuggestResult } from '@hpo/core';
import { HeldHistories } from './shipped-history';
import type { NeedHistory, ShippedRequest } from './shipped-history';
import { checkSuggestionsInWorker } from './checked-suggestions';

export interface WorkerFailure {
  failure: { code: HpoError['code'] | 'INTERNAL'; message: string; field?: string; rule?: string };
}

function failure(error: unknown): WorkerFailure {
  if (error instanceof HpoError) {
    const e = error as HpoError & { field?: string; rule?: string };
    return { failure: { code: e.code, message: e.message, field: e.field, rule: e.rule } };
  }
  return { failure: { code: 'INTERNAL', message: error instanceof Error ? (error.stack ?? error.message) : String(error) } };
}

/** The study histories this thread was sent (each thread has its own). */
const held = new HeldHistories();

export async function suggest(request: ShippedRequest): Promise<SuggestResult | WorkerFailure | NeedHistory> {
  try {
    const study = held.study(request);
    if (!study) return { needHistory: true };
    const { history: _shipped, ...plain } = request;
    const result = await createSuggestionPolicy(study.config).suggest({ ...plain, study });
    // Checked here, off the event loop (count x parameters values): the server only reads the keys.
    return { ...result, suggestions: checkSuggestionsInWorker(study.config, result.suggestions) };
  } catch (error) {
    return failure(error);
  }
}

export async function decide(request: StopRequest): Promise<StopResult | WorkerFailure> {
  try {
    return createEarlyStoppingPolicy(request.study.config).decide(request);
  } catch (error) {
    return failure(error);
  }
}

/** ListOptimalTrials: in a noisy GP study a GP fit picks the trial (best posterior mean). */
export async function optimal(study: StudyView): Promise<OptimalTrials | WorkerFailure> {
  try {
    return optimalTrials(study);
  } catch (error) {
    return failure(error);
  }
}

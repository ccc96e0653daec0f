/** Worker-thread entry (piscina): runs policies off the event loop. Errors cross the thread boundary as
 *  plain data because structured cloning drops the typed error classes the server maps to status codes. */
import { createEarlyStoppingPolicy, createSuggestionPolicy, HpoError } from '@hpo/core';
import type { StatefulStoppingPolicy } from '@hpo/core';
import type { StopDecision, StopRequest, SuggestRequest, Suggestion } from '@hpo/core';

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

/** A policy that also returns state to pass back on its next call (GP_BANDIT's last fit). */
interface StatefulPolicy {
  suggestWithState(request: SuggestRequest): Promise<{ suggestions: Suggestion[]; modelState?: unknown }>;
}

export async function suggest(request: SuggestRequest): Promise<{ suggestions: Suggestion[]; modelState?: unknown } | WorkerFailure> {
  try {
    const policy = createSuggestionPolicy(request.study.config) as ReturnType<typeof createSuggestionPolicy> & Partial<StatefulPolicy>;
    if (typeof policy.suggestWithState === 'function') return await policy.suggestWithState(request);
    return { suggestions: await policy.suggest(request) };
  } catch (error) {
    return failure(error);
  }
}

export async function decide(request: StopRequest): Promise<{ decision: StopDecision; modelState?: unknown } | WorkerFailure> {
  try {
    const policy = createEarlyStoppingPolicy(request.study.config) as ReturnType<typeof createEarlyStoppingPolicy> & Partial<StatefulStoppingPolicy>;
    if (typeof policy.decideWithState === 'function') return policy.decideWithState(request);
    return { decision: policy.decide(request) };
  } catch (error) {
    return failure(error);
  }
}

/** Where policies run: the worker pool in a server (GP fitting must never block the event loop), or
 *  inline in this thread for tests and tools that want the real policy without threads (and without
 *  loading dist/). Both run the same libs/core policies on the same plain requests. */
import { createEarlyStoppingPolicy, createSuggestionPolicy, optimalTrials } from '@hpo/core';
import type { OptimalTrials, StopRequest, StopResult, StudyView, SuggestRequest, SuggestResult } from '@hpo/core';

/** `lane` names whose work a task is (the tenant: tenantLane): the pool shares its threads fairly
 *  between lanes (fair-queue.ts). */
export interface PolicyRunner {
  suggest(request: SuggestRequest, lane?: string): Promise<SuggestResult>;
  decide(request: StopRequest, lane?: string): Promise<StopResult>;
  /** ListOptimalTrials' choice (a GP fit in a noisy GP study: libs/core optimalTrials). */
  optimal(study: StudyView, lane?: string): Promise<OptimalTrials>;
  close(): Promise<void>;
}

/** The lane of a tenant's policy tasks. */
export function tenantLane(tenantId: number): string {
  return `tenant/${tenantId}`;
}

/** Runs policies on the calling thread. Requests go through a JSON round trip, as they would through a
 *  worker's structured clone and the stored state's row, so nothing inline can lean on shared objects. */
export class InlinePolicyRunner implements PolicyRunner {
  async suggest(request: SuggestRequest): Promise<SuggestResult> {
    return createSuggestionPolicy(request.study.config).suggest(copy(request));
  }

  async decide(request: StopRequest): Promise<StopResult> {
    return createEarlyStoppingPolicy(request.study.config).decide(copy(request));
  }

  async optimal(study: StudyView): Promise<OptimalTrials> {
    return optimalTrials(copy(study));
  }

  async close(): Promise<void> {}
}

function copy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** Times the policy pool's tasks by algorithm / early-stopping mode and reports its queue depth,
 *  without touching the pool: a Proxy over its suggest() and decide(). */
import type { StopRequest, SuggestRequest } from '@hpo/core';
import type { PolicyPool } from '../suggestion/policy-pool';
import type { ServerMetrics } from './metrics.service';

/** Piscina's queue length; PolicyPool keeps its Piscina private, so it is read defensively (0 when
 *  the field is not there). */
export function piscinaQueueSize(pool: PolicyPool): number {
  const inner = (pool as unknown as { pool?: { queueSize?: unknown } }).pool;
  return typeof inner?.queueSize === 'number' ? inner.queueSize : 0;
}

export function instrumentPolicyPool(pool: PolicyPool, metrics: ServerMetrics): PolicyPool {
  metrics.setQueueDepthSource(() => piscinaQueueSize(pool));
  const timed = async <T>(task: 'suggest' | 'decide', run: () => Promise<T>, record: (seconds: number, result: T) => void): Promise<T> => {
    const started = process.hrtime.bigint();
    metrics.poolTasksInFlight.inc();
    try {
      const result = await run();
      record(Number(process.hrtime.bigint() - started) / 1e9, result);
      return result;
    } catch (error) {
      metrics.policyFailures.inc({ task });
      throw error;
    } finally {
      metrics.poolTasksInFlight.dec();
    }
  };
  return new Proxy(pool, {
    get(target, prop, receiver) {
      if (prop === 'suggest') {
        return (request: SuggestRequest, lane?: string) =>
          timed('suggest', () => target.suggest(request, lane), (s, r) => {
            metrics.recordSuggestion(request.study.config.algorithm, s, r.suggestions.length);
            metrics.recordModelFits(r.fits);
          });
      }
      if (prop === 'decide') {
        return (request: StopRequest, lane?: string) =>
          timed('decide', () => target.decide(request, lane), (s, r) => {
            metrics.recordStopDecision(request.study.config.earlyStopping.mode, s);
            metrics.recordModelFits(r.fits);
          });
      }
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

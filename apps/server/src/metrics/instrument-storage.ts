/** Counts storage failures by operation without touching the storage: a Proxy over Storage (and over
 *  the StudyTransaction a studyTransaction callback receives). A domain error (HpoError: not found,
 *  bad input) is the caller's, not the database's, and is not counted; neither is anything thrown by
 *  the caller's own transaction callback, unless a storage call inside it failed. */
import { HpoError } from '@hpo/core';
import type { Storage, StudyTransaction } from '../storage/storage';
import type { ServerMetrics } from './metrics.service';

function wrapMethods<T extends object>(target: T, prefix: string, metrics: ServerMetrics, counted: WeakSet<object>, inner?: (name: string, fn: Function) => Function): T {
  return new Proxy(target, {
    get(t, prop, receiver) {
      const value = Reflect.get(t, prop, receiver);
      if (typeof value !== 'function' || typeof prop !== 'string') return value;
      const operation = prefix + prop;
      const fn = inner?.(prop, value) ?? value;
      return (...args: unknown[]) => {
        const onError = (error: unknown): never => {
          if (!(error instanceof HpoError) && !(typeof error === 'object' && error !== null && counted.has(error))) {
            metrics.recordStorageError(operation);
            if (typeof error === 'object' && error !== null) counted.add(error);
          }
          throw error;
        };
        try {
          const r = fn.apply(t, args);
          return r instanceof Promise ? r.catch(onError) : r;
        } catch (error) {
          return onError(error);
        }
      };
    },
  });
}

export function instrumentStorage(storage: Storage, metrics: ServerMetrics): Storage {
  // Errors already counted (inside a transaction) or thrown by the caller's callback: not counted twice.
  const counted = new WeakSet<object>();
  return wrapMethods(storage, '', metrics, counted, (name, fn) => {
    if (name !== 'studyTransaction') return fn;
    return function (this: Storage, tenantId: number, studyId: number, work: (tx: StudyTransaction) => Promise<unknown>) {
      return fn.call(this, tenantId, studyId, async (tx: StudyTransaction) => {
        try {
          return await work(wrapMethods(tx, 'tx.', metrics, counted));
        } catch (error) {
          if (typeof error === 'object' && error !== null) counted.add(error);
          throw error;
        }
      });
    };
  });
}

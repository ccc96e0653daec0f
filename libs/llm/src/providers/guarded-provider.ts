/** Wraps any provider with what every LLM call needs: a deadline (abort on timeout), retries of
 *  transient failures with exponential backoff, a limit on concurrent calls (one local model or one
 *  endpoint's rate limit is shared by every study of the server), and a cache keyed by the prompt. */
import { createHash } from 'node:crypto';
import type { CompletionRequest, CompletionResult, LlmProvider } from './types';
import { LlmProviderError, LlmTimeoutError } from './types';

export interface GuardOptions {
  /** Extra attempts after a transient failure (timeouts are not retried: the caller is waiting). */
  retries: number;
  /** First backoff; doubles each retry. */
  backoffMs: number;
  maxConcurrent: number;
  /** Entries kept in the prompt cache (least recently used evicted); 0 disables it. */
  cacheEntries: number;
}

export const DEFAULT_GUARD_OPTIONS: GuardOptions = { retries: 1, backoffMs: 250, maxConcurrent: 4, cacheEntries: 256 };

/** A counting semaphore; waiters are served in arrival order. */
class Semaphore {
  private active = 0;
  private readonly waiters: Array<() => void> = [];
  constructor(private readonly limit: number) {}
  async acquire(): Promise<void> {
    if (this.active < this.limit) {
      this.active++;
      return;
    }
    await new Promise<void>((resolve) => this.waiters.push(resolve));
  }
  release(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.active--;
  }
}

export function promptCacheKey(providerDescription: string, r: CompletionRequest): string {
  return createHash('sha256')
    .update(JSON.stringify([providerDescription, r.system, r.user, r.schema, r.maxReplyTokens, r.temperature, r.seed ?? null]))
    .digest('hex');
}

export class GuardedProvider implements LlmProvider {
  readonly description: string;
  private readonly semaphore: Semaphore;
  private readonly cache = new Map<string, CompletionResult>();
  private readonly inFlight = new Map<string, Promise<CompletionResult>>();

  constructor(private readonly inner: LlmProvider, private readonly options: GuardOptions = DEFAULT_GUARD_OPTIONS) {
    this.description = inner.description;
    this.semaphore = new Semaphore(Math.max(1, options.maxConcurrent));
  }

  async complete(request: CompletionRequest, signal?: AbortSignal): Promise<CompletionResult> {
    const key = promptCacheKey(this.description, request);
    const hit = this.cache.get(key);
    if (hit) {
      this.cache.delete(key);
      this.cache.set(key, hit);
      return { ...hit, promptTokens: 0, completionTokens: 0, cached: true };
    }
    // Many workers starting a study at once send the same warm-start prompt: one call answers them all.
    const inFlight = this.options.cacheEntries > 0 ? this.inFlight.get(key) : undefined;
    if (inFlight) {
      const shared = await inFlight;
      return { ...shared, promptTokens: 0, completionTokens: 0, cached: true };
    }
    const call = this.callOnce(key, request, signal);
    if (this.options.cacheEntries > 0) {
      this.inFlight.set(key, call);
      call.then(
        () => this.inFlight.delete(key),
        () => this.inFlight.delete(key),
      );
    }
    return call;
  }

  private async callOnce(key: string, request: CompletionRequest, signal?: AbortSignal): Promise<CompletionResult> {
    // The deadline covers waiting for a slot too: a queue behind a slow model is a late reply.
    const deadline = AbortSignal.timeout(request.timeoutMs);
    const combined = signal ? AbortSignal.any([signal, deadline]) : deadline;
    const result = await this.withDeadline(this.attempts(request, combined), combined, request.timeoutMs);
    if (this.options.cacheEntries > 0 && (request.cacheable?.(result.text) ?? true)) {
      this.cache.set(key, result);
      if (this.cache.size > this.options.cacheEntries) this.cache.delete(this.cache.keys().next().value as string);
    }
    return result;
  }

  private async attempts(request: CompletionRequest, signal: AbortSignal): Promise<CompletionResult> {
    await this.semaphore.acquire();
    try {
      if (signal.aborted) throw new LlmTimeoutError(request.timeoutMs);
      for (let attempt = 0; ; attempt++) {
        try {
          return await this.inner.complete(request, signal);
        } catch (error) {
          const retryable = error instanceof LlmProviderError && error.retryable;
          if (!retryable || attempt >= this.options.retries || signal.aborted) throw error;
          await sleep(this.options.backoffMs * 2 ** attempt, signal);
        }
      }
    } finally {
      this.semaphore.release();
    }
  }

  /** Settles at the deadline even if the inner provider ignores the abort signal. */
  private withDeadline<T>(work: Promise<T>, signal: AbortSignal, timeoutMs: number): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => reject(new LlmTimeoutError(timeoutMs));
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      work.then(
        (v) => {
          signal.removeEventListener('abort', onAbort);
          resolve(v);
        },
        (e) => {
          signal.removeEventListener('abort', onAbort);
          reject(signal.aborted ? new LlmTimeoutError(timeoutMs) : e);
        },
      );
    });
  }

  async close(): Promise<void> {
    await this.inner.close?.();
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}

/** Retries with exponential backoff and jitter, for the status codes marked retryable (UNAVAILABLE by
 *  default: the call did not reach a server able to answer it), and RESOURCE_EXHAUSTED after the wait
 *  the server hints. The Temporal SDK's retry policy and
 *  nice-grpc's retry middleware, in one function. */
import { HpoClientError, StatusName } from './errors';

export interface RetryOptions {
  /** Attempts in all, the first one included; 1 disables retries. */
  maxAttempts: number;
  /** Delay before the first retry. */
  initialDelayMs: number;
  /** Upper bound of one delay. */
  maxDelayMs: number;
  /** Each delay is this times the previous one. */
  multiplier: number;
  /** Fraction of each delay drawn at random (0: none, 1: "full jitter"), so that many clients that
   *  failed together do not retry together (AWS Architecture Blog, "Exponential Backoff and Jitter"). */
  jitter: number;
  /** Status codes worth retrying. Only UNAVAILABLE by default: other codes are answers. */
  retryableCodes: readonly StatusName[];
  /** RESOURCE_EXHAUSTED that carries the server's `retry-after-ms` hint (a rate limit, an active-trial
   *  quota, a full queue) is retried after the hinted wait when that wait is at most this long; 0 turns
   *  it off. A longer hint, or none, is an answer. */
  maxRetryAfterMs: number;
  /** Retry a refused connection (nothing listening) even before any call has reached the server: for a
   *  worker started before its server. Off by default: a client that never reached its server reports
   *  "no server at …" at once instead of after every attempt. A server that went away after answering
   *  (a restart) is retried either way. */
  waitForServer?: boolean;
  /** Hears about each retry before its delay (logging, tests). */
  onRetry?: (error: HpoClientError, attempt: number, delayMs: number) => void;
}

export const DEFAULT_RETRY: RetryOptions = {
  maxAttempts: 6,
  initialDelayMs: 100,
  maxDelayMs: 5000,
  multiplier: 2,
  jitter: 0.2,
  retryableCodes: ['UNAVAILABLE'],
  maxRetryAfterMs: 10_000,
};

/** The delay before retry number `retry` (0-based), jittered downwards by up to `jitter` of itself. */
export function backoffDelayMs(retry: number, options: RetryOptions, random: () => number = Math.random): number {
  const base = Math.min(options.maxDelayMs, options.initialDelayMs * Math.pow(options.multiplier, retry));
  return base * (1 - options.jitter * random());
}

export async function withRetries<T>(
  attempt: (attemptNumber: number) => Promise<T>,
  options: RetryOptions,
  signal?: AbortSignal,
  /** An error the caller knows not to retry, whatever its code. */
  giveUp: (error: HpoClientError) => boolean = () => false,
): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (err) {
      if (!(err instanceof HpoClientError) || giveUp(err)) throw err;
      const delayMs = retryDelayMs(err, n - 1, options);
      if (delayMs === undefined || n >= options.maxAttempts || signal?.aborted) throw err;
      options.onRetry?.(err, n, delayMs);
      await sleep(delayMs, signal);
    }
  }
}

/** How long to wait before retrying after `err`, or undefined when it is not worth retrying. A hinted
 *  RESOURCE_EXHAUSTED waits the hint, stretched upwards by the jitter so that clients limited together
 *  do not all come back in the same millisecond. */
export function retryDelayMs(err: HpoClientError, retry: number, options: RetryOptions, random: () => number = Math.random): number | undefined {
  if (options.retryableCodes.includes(err.code)) return backoffDelayMs(retry, options, random);
  const hint = err.code === 'RESOURCE_EXHAUSTED' ? err.retryAfterMs : undefined;
  if (hint === undefined || hint > options.maxRetryAfterMs) return undefined;
  return hint * (1 + options.jitter * random());
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

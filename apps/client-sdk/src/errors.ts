/** Typed client errors (nice-grpc's ClientError, Temporal's named errors with readonly context). */
import { Metadata, status } from '@grpc/grpc-js';

export type StatusName = keyof typeof status;

/** A failed RPC: `code` is the gRPC status name (e.g. 'INVALID_ARGUMENT'), `details` the server's
 *  message for people, `method` the RPC that failed. */
export class HpoClientError extends Error {
  constructor(
    readonly code: StatusName,
    readonly details: string,
    readonly method: string,
    readonly metadata?: Metadata,
    /** How many attempts were made (retries on UNAVAILABLE included). */
    readonly attempts = 1,
  ) {
    super(`${method}: ${code}: ${details}`);
    this.name = 'HpoClientError';
  }

  /** The numeric gRPC status code. */
  get statusCode(): number {
    return status[this.code];
  }

  /** The server's hint for RESOURCE_EXHAUSTED (rate limit, quota, busy queue): trailing metadata
   *  `retry-after-ms`; undefined when absent or malformed. */
  get retryAfterMs(): number | undefined {
    const raw = this.metadata?.get('retry-after-ms')[0];
    const ms = typeof raw === 'string' ? Number(raw) : NaN;
    return Number.isFinite(ms) && ms >= 0 ? ms : undefined;
  }
}

interface ServiceErrorLike {
  code?: number;
  details?: string;
  message?: string;
  metadata?: Metadata;
}

export function statusName(code: number): StatusName {
  const name = (status as unknown as Record<number, string>)[code];
  return (name ?? 'UNKNOWN') as StatusName;
}

export function toClientError(err: unknown, method: string, attempts: number): HpoClientError {
  if (err instanceof HpoClientError) return err;
  const e = err as ServiceErrorLike;
  if (typeof e?.code === 'number') {
    return new HpoClientError(statusName(e.code), e.details ?? e.message ?? '', method, e.metadata, attempts);
  }
  return new HpoClientError('UNKNOWN', err instanceof Error ? err.message : String(err), method, undefined, attempts);
}

/** Thrown by the optimize loop when it is aborted (options.signal). */
export class OptimizeAbortedError extends Error {
  constructor(reason?: unknown) {
    super(`optimize aborted${reason === undefined ? '' : `: ${String(reason)}`}`);
    this.name = 'OptimizeAbortedError';
  }
}

/** The trial's outcome is unusable (a NaN or infinite value, a metric the study does not have): the
 *  optimize loop fails the trial (FailTrial: FAILED with this reason) and goes on. report() throws it
 *  before sending such a value; a training function may throw it too. */
export class TrialFailedError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'TrialFailedError';
  }
}

/** Throw it from a training function when the configuration itself cannot work (out of memory, a
 *  diverging model): the trial is completed INFEASIBLE with this reason, which the algorithm learns
 *  from. Any other error fails the trial (FAILED), which the algorithm ignores. */
export class TrialInfeasibleError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'TrialInfeasibleError';
  }
}

/** The trial is no longer this client's: its lease expired, or it was paused and resumed by another
 *  worker, which trains it now. report() throws it (from the server's FAILED_PRECONDITION naming the
 *  holder); the optimize loop drops the trial without completing or failing it and goes on. */
export class TrialLostError extends Error {
  constructor(
    readonly trialName: string,
    readonly details: string,
  ) {
    super(details);
    this.name = 'TrialLostError';
  }
}

/** Whether an error is the server saying that another client holds the trial. */
export function isTrialLost(err: unknown): err is HpoClientError {
  return err instanceof HpoClientError && err.code === 'FAILED_PRECONDITION' && /is held by client /.test(err.details);
}

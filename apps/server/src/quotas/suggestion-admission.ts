/** Backpressure for SuggestTrials. Suggestions wait for their study's lock and then for a policy
 *  worker thread; without a bound, a flood of callers grows that queue (and the memory of the study
 *  snapshots it holds) without limit and every caller's latency with it. Admission keeps at most
 *  `maxPending` SuggestTrials in this replica (running + waiting); the next one fails fast with
 *  RESOURCE_EXHAUSTED and a retry hint sized from how long suggestions take right now. */
import { Observable, defer, finalize } from 'rxjs';
import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor } from '../nest';
import { ResourceExhaustedError } from '@hpo/core';

export const SUGGESTION_ADMISSION = Symbol.for('hpo.SuggestionAdmission');

/** Per replica. Each waiting call holds a few kilobytes until its turn; 1024 callers is well above what
 *  two cores serve with useful latency (bench/results/load.md) and far below a memory problem. */
export const DEFAULT_MAX_PENDING_SUGGESTIONS = 1024;

/** Weight of the newest latency in the moving average behind the retry hint. */
const EWMA_WEIGHT = 0.1;

export class SuggestionAdmission {
  private pending = 0;
  private meanLatencyMs = 50;
  /** Calls turned away since start (for metrics and tests). */
  rejected = 0;

  constructor(readonly maxPending: number = DEFAULT_MAX_PENDING_SUGGESTIONS) {}

  get inFlight(): number {
    return this.pending;
  }

  /** Takes a slot or throws RESOURCE_EXHAUSTED; the caller must call the returned release once. */
  admit(): () => void {
    if (this.maxPending > 0 && this.pending >= this.maxPending) {
      this.rejected++;
      // About the time the queue ahead needs to drain by one caller's worth, jittered by the caller.
      const waitMs = Math.round(Math.min(10_000, Math.max(50, this.meanLatencyMs)));
      throw new ResourceExhaustedError(
        `server busy: ${this.pending} SuggestTrials calls are already queued on this replica (limit ${this.maxPending}); retry after ${waitMs} ms`,
        waitMs / 1000,
      );
    }
    this.pending++;
    const started = Date.now();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.pending--;
      this.meanLatencyMs += EWMA_WEIGHT * (Date.now() - started - this.meanLatencyMs);
    };
  }
}

/** Applies SuggestionAdmission to the handlers it decorates (SuggestTrials). */
@Injectable()
export class SuggestionAdmissionInterceptor implements NestInterceptor {
  constructor(@Inject(SUGGESTION_ADMISSION) private readonly admission: SuggestionAdmission) {}

  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return defer(() => {
      const release = this.admission.admit();
      return next.handle().pipe(finalize(release));
    });
  }
}

/** A clock that moves only when told: pass it as the server's `clock` (apps/server/src/clock.ts) and
 *  lease expiry (SQLite), the lease reaper's sweeps, rate limits and caches follow `advance()` instead
 *  of real time. */
export class ManualClock {
  constructor(private ms = Date.UTC(2026, 0, 1)) {}

  now(): number {
    return this.ms;
  }

  private readonly timers = new Set<{ due: number; ms: number; tick: () => void }>();

  /** Repeats `tick` every `ms` of this clock's time: it runs inside advance(), once per period crossed. */
  every(ms: number, tick: () => void): () => void {
    if (!(ms > 0)) throw new RangeError(`ManualClock.every: ms must be > 0 (got ${ms})`);
    const timer = { due: this.ms + ms, ms, tick };
    this.timers.add(timer);
    return () => this.timers.delete(timer);
  }

  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`ManualClock.advance: ms must be >= 0 (got ${ms})`);
    const end = this.ms + ms;
    // Timers fire in time order, each seeing the clock at its due time.
    for (;;) {
      let next: { due: number; ms: number; tick: () => void } | undefined;
      for (const t of this.timers) if (t.due <= end && (!next || t.due < next.due)) next = t;
      if (!next) break;
      this.ms = next.due;
      next.due += next.ms;
      next.tick();
    }
    this.ms = end;
  }
}

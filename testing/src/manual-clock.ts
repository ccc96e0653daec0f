/** A clock that moves only when told: pass it as the server's `clock` (apps/server/src/clock.ts) and
 *  lease expiry (SQLite), rate limits and caches follow `advance()` instead of real time. */
export class ManualClock {
  constructor(private ms = Date.UTC(2026, 0, 1)) {}

  now(): number {
    return this.ms;
  }

  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`ManualClock.advance: ms must be >= 0 (got ${ms})`);
    this.ms += ms;
  }
}

/** The server's clock, injected so that time-dependent behaviour (leases on SQLite, rate limits, the
 *  tenant cache's backstop, cached gauges) can be tested with a fake one instead of real sleeps.
 *  Production uses systemClock; tests use testing/'s ManualClock. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

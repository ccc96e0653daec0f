/** The server's clock, injected so that time-dependent behaviour (leases on SQLite, rate limits, the
 *  tenant cache's backstop, cached gauges) can be tested with a fake one instead of real sleeps.
 *  Production uses systemClock; tests use testing/'s ManualClock. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Runs `tick` every `ms` of this clock's time until the returned function is called (the lease
   *  reaper's sweep). A clock without it gets real-time timers (everyOn). */
  every?(ms: number, tick: () => void): () => void;
}

/** Real-time repetition that never keeps the process alive. */
function realEvery(ms: number, tick: () => void): () => void {
  const timer = setInterval(tick, ms);
  timer.unref();
  return () => clearInterval(timer);
}

export const systemClock: Clock = { now: () => Date.now(), every: realEvery };

/** `tick` every `ms` of `clock`'s time: the clock's own timers when it has them, real ones otherwise. */
export function everyOn(clock: Clock | undefined, ms: number, tick: () => void): () => void {
  return clock?.every ? clock.every(ms, tick) : realEvery(ms, tick);
}

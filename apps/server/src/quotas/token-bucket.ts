/** A token bucket (the classic traffic-shaping meter, RFC 2697's single-rate form): `rate` tokens a
 *  second up to `capacity`; a request takes one token or is told how long until one is there. The clock
 *  is passed in so the arithmetic is testable without waiting. */
export class TokenBucket {
  private tokens: number;
  private updatedMs: number;

  constructor(
    private rate: number,
    private capacity: number,
    nowMs: number,
  ) {
    this.tokens = capacity;
    this.updatedMs = nowMs;
  }

  /** Changes the limits (a quota file reload) without resetting what was spent. */
  reconfigure(rate: number, capacity: number): void {
    this.rate = rate;
    this.capacity = capacity;
    this.tokens = Math.min(this.tokens, capacity);
  }

  /** 0 when a token was taken; otherwise the milliseconds until one will be available. */
  take(nowMs: number): number {
    const elapsed = Math.max(0, nowMs - this.updatedMs) / 1000;
    this.tokens = Math.min(this.capacity, this.tokens + elapsed * this.rate);
    this.updatedMs = nowMs;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - this.tokens) / this.rate) * 1000);
  }
}

/** The quota arithmetic alone: the token bucket against hand-computed refills, and how a tenant's
 *  quota is merged from its own entry, the configured defaults and the built-in defaults. */
import { DEFAULT_QUOTA, parseQuotaConfig, quotaFor } from '../../src/quotas/quota-config';
import { TokenBucket } from '../../src/quotas/token-bucket';

describe('TokenBucket', () => {
  it('allows a burst of `capacity`, then one request per 1/rate seconds, and says how long to wait', () => {
    const b = new TokenBucket(4, 2, 0);
    expect(b.take(0)).toBe(0);
    expect(b.take(0)).toBe(0);
    // Empty: the next token arrives after 1/4 s.
    expect(b.take(0)).toBe(250);
    expect(b.take(100)).toBe(150);
    expect(b.take(250)).toBe(0);
    // Idle for a long time refills only up to capacity.
    expect(b.take(10_250)).toBe(0);
    expect(b.take(10_250)).toBe(0);
    expect(b.take(10_250)).toBe(250);
  });

  it('keeps what was spent when reconfigured', () => {
    const b = new TokenBucket(1, 10, 0);
    for (let i = 0; i < 10; i++) expect(b.take(0)).toBe(0);
    b.reconfigure(2, 20);
    expect(b.take(0)).toBe(500);
    expect(b.take(500)).toBe(0);
  });
});

describe('quota configuration', () => {
  it('merges tenant entry over defaults over built-in defaults; burst defaults to twice the rate', () => {
    const c = parseQuotaConfig({ defaults: { requestsPerSecond: 100 }, tenants: { a: { maxStudies: 3 }, b: { requestsPerSecond: 7, burst: 1 } } });
    expect(quotaFor(c, 'a')).toEqual({ ...DEFAULT_QUOTA, maxStudies: 3, requestsPerSecond: 100, burst: 200 });
    expect(quotaFor(c, 'b')).toEqual({ ...DEFAULT_QUOTA, requestsPerSecond: 7, burst: 1 });
    expect(quotaFor(c, 'unknown')).toEqual({ ...DEFAULT_QUOTA, requestsPerSecond: 100, burst: 200 });
    expect(quotaFor(undefined, 'x')).toEqual(DEFAULT_QUOTA);
  });

  it('rejects unknown keys, negative, non-finite and non-numeric limits, naming the path', () => {
    expect(() => parseQuotaConfig({ default: {} })).toThrow('quotas.default: unknown key');
    expect(() => parseQuotaConfig({ defaults: { maxStudy: 1 } })).toThrow('quotas.defaults.maxStudy: unknown quota');
    expect(() => parseQuotaConfig({ tenants: { t: { burst: -1 } } })).toThrow('quotas.tenants.t.burst: must be a finite number >= 0');
    expect(() => parseQuotaConfig({ defaults: { requestsPerSecond: '5' } })).toThrow('quotas.defaults.requestsPerSecond');
    expect(() => parseQuotaConfig({ defaults: { requestsPerSecond: null } })).toThrow('quotas.defaults.requestsPerSecond');
    expect(() => parseQuotaConfig([])).toThrow('quotas: must be a JSON object');
  });
});

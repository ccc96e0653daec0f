/** The policy thread pool's queue is bounded: past MAX queued tasks a call fails fast with
 *  RESOURCE_EXHAUSTED (and a retry hint) instead of queueing without limit; tasks admitted before it
 *  still complete, and the pool serves again once drained. */
import { ResourceExhaustedError } from '@hpo/core';
import { studyConfig } from '@hpo/core';
import type { SuggestRequest } from '@hpo/core';
import { PolicyPool } from '../../src/suggestion/policy-pool';

const config = studyConfig({
  parameters: [{ name: 'x', type: 'DOUBLE', min: 0, max: 1, scale: 'LINEAR' }],
  metrics: [{ name: 'y', goal: 'MAXIMIZE' }],
  algorithm: 'RANDOM_SEARCH',
  seed: 7,
});

describe('PolicyPool backpressure', () => {
  let pool: PolicyPool;
  beforeAll(() => {
    pool = new PolicyPool(1, 2);
  });
  afterAll(() => pool.close());

  it('rejects tasks beyond the queue bound with RESOURCE_EXHAUSTED and serves the admitted ones', async () => {
    const request = (seed: number): SuggestRequest => ({ study: { config, trials: [] }, count: 1, seed }) as SuggestRequest;
    const results = await Promise.allSettled(Array.from({ length: 40 }, (_, i) => pool.suggest(request(i + 1))));
    const served = results.filter((r) => r.status === 'fulfilled');
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(served.length).toBeGreaterThanOrEqual(1);
    expect(rejected.length).toBeGreaterThan(0);
    expect(served.length + rejected.length).toBe(40);
    for (const r of rejected) {
      expect(r.reason).toBeInstanceOf(ResourceExhaustedError);
      expect((r.reason as ResourceExhaustedError).retryAfterSeconds).toBe(1);
      expect(String(r.reason.message)).toMatch(/policy tasks are waiting for a thread/);
    }
    for (const s of served) expect((s as PromiseFulfilledResult<{ suggestions: unknown[] }>).value.suggestions).toHaveLength(1);
    // Drained: accepted again.
    expect((await pool.suggest(request(99))).suggestions).toHaveLength(1);
  });
});

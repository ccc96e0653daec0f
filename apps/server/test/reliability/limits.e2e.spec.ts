/** Per-tenant quotas and rate limits, backpressure on SuggestTrials, message-size limits and deadlines,
 *  over a real server. Over a limit the answer is RESOURCE_EXHAUSTED with a retry hint in the text and
 *  in trailing metadata `retry-after-ms`; other tenants are not affected; nothing is created. */
import { createTenant, openStorage } from '../../src/admin';
import { ServerProcess, startServerProcess, freshSqliteBackend } from '@hpo/testing';
import { HpoClient, outcome, sdkClient } from './support/sdk';

const CONFIG = {
  parameters: [{ name: 'x', type: 'DOUBLE' as const, min: 0, max: 1 }],
  metrics: [{ name: 'y', goal: 'MAXIMIZE' as const }],
  algorithm: 'RANDOM_SEARCH' as const,
};

describe('per-tenant quotas and rate limits', () => {
  let server: ServerProcess;
  let alpha: HpoClient;
  let limited: HpoClient;
  let wide: HpoClient;

  beforeAll(async () => {
    const backend = freshSqliteBackend();
    const storage = await openStorage(backend.storageOptions);
    let keys: { alpha: string; limited: string; wide: string };
    try {
      keys = {
        alpha: (await createTenant(storage, 'alpha')).apiKey,
        limited: (await createTenant(storage, 'limited')).apiKey,
        wide: (await createTenant(storage, 'wide')).apiKey,
      };
    } finally {
      await storage.close();
    }
    const quotas = {
      defaults: { maxStudies: 2, maxActiveTrials: 3, requestsPerSecond: 0 },
      tenants: { limited: { requestsPerSecond: 5, burst: 5 }, wide: { maxActiveTrials: 20 } },
    };
    server = await startServerProcess({ ...backend.env, HPO_QUOTAS: JSON.stringify(quotas) });
    alpha = sdkClient(server.address, keys.alpha);
    limited = sdkClient(server.address, keys.limited);
    wide = sdkClient(server.address, keys.wide);
  });
  afterAll(async () => {
    alpha?.close();
    limited?.close();
    wide?.close();
    await server?.stop();
  });

  it('caps the studies of a tenant; RETURN_EXISTING still answers; deleting frees a place', async () => {
    const s1 = await alpha.createStudy({ displayName: 's1', config: CONFIG });
    const s2 = await alpha.createStudy({ displayName: 's2', config: CONFIG });
    const third = await outcome(alpha.createStudy({ displayName: 's3', config: CONFIG }));
    expect(third).toEqual({ code: 'RESOURCE_EXHAUSTED', details: expect.stringMatching(/at most 2 studies.*retry after 5 s/), retryAfterMs: 5000 });
    expect((await alpha.createStudy({ displayName: 's1', config: CONFIG, ifExists: 'RETURN_EXISTING' })).name).toBe(s1.name);
    expect((await alpha.listStudies()).studies.map((s) => s.displayName).sort()).toEqual(['s1', 's2']);
    await s2.delete();
    expect((await alpha.createStudy({ displayName: 's3', config: CONFIG })).displayName).toBe('s3');
    await alpha.deleteStudy((await alpha.createStudy({ displayName: 's3', config: CONFIG, ifExists: 'RETURN_EXISTING' })).name);
  });

  it('caps active trials; the holder still gets its own trials back; completing frees a slot', async () => {
    const study = await alpha.createStudy({ displayName: 'active-cap', config: CONFIG, ifExists: 'RETURN_EXISTING' });
    const held = await study.suggest('worker-a', 3);
    expect(held.trials).toHaveLength(3);
    const other = await outcome(study.suggest('worker-b'));
    expect(other).toEqual({ code: 'RESOURCE_EXHAUSTED', details: expect.stringMatching(/at most 3 active trials/), retryAfterMs: 5000 });
    const again = await study.suggest('worker-a', 3);
    expect(again.trials.map((t) => t.name).sort()).toEqual(held.trials.map((t) => t.name).sort());
    await alpha.completeTrial({ name: held.trials[0].name, finalMeasurement: { metrics: { y: 0.5 } } });
    const b = await study.suggest('worker-b');
    expect(b.trials).toHaveLength(1);
    expect(held.trials.map((t) => t.name)).not.toContain(b.trials[0].name);
    const counts = (await study.refresh()).trialCounts;
    expect(counts).toMatchObject({ active: 3, succeeded: 1 });
  });

  it('a per-tenant active-trial quota is exact for one caller at a time (the count cache never lets it overshoot)', async () => {
    const study = await wide.createStudy({ displayName: 'wide', config: CONFIG });
    const answers: string[] = [];
    for (let i = 0; i < 25; i++) answers.push((await outcome(study.suggest(`w${i}`))).code);
    expect(answers.slice(0, 20).every((c) => c === 'OK')).toBe(true);
    expect(answers.slice(20)).toEqual(Array(5).fill('RESOURCE_EXHAUSTED'));
    expect((await study.refresh()).trialCounts.active).toBe(20);
  });

  it('limits requests per second per tenant with a token bucket, without slowing other tenants', async () => {
    const started = Date.now();
    const burst = await Promise.all(Array.from({ length: 20 }, () => outcome(limited.listStudies())));
    const elapsedSeconds = (Date.now() - started) / 1000;
    const ok = burst.filter((o) => o.code === 'OK').length;
    const rejected = burst.filter((o) => o.code === 'RESOURCE_EXHAUSTED');
    // The burst of 5, plus what the bucket refilled (5 a second) while the 20 calls were answered.
    expect(ok).toBeGreaterThanOrEqual(5);
    expect(ok).toBeLessThanOrEqual(5 + Math.ceil(5 * elapsedSeconds) + 1);
    expect(rejected.length + ok).toBe(20);
    for (const r of rejected) {
      expect(r.details).toMatch(/rate limit: tenant "limited" may send 5 requests per second/);
      // One token every 200 ms: the hint is at most that.
      expect(r.retryAfterMs).toBeGreaterThan(0);
      expect(r.retryAfterMs).toBeLessThanOrEqual(200);
    }
    const others = await Promise.all(Array.from({ length: 20 }, () => outcome(alpha.listStudies())));
    expect(others.every((o) => o.code === 'OK')).toBe(true);
    await new Promise((r) => setTimeout(r, 1100));
    expect((await outcome(limited.listStudies())).code).toBe('OK');
  });
});

describe('backpressure, message size and deadlines', () => {
  let server: ServerProcess;
  let client: HpoClient;

  beforeAll(async () => {
    server = await startServerProcess({
      ...freshSqliteBackend().env,
      HPO_MAX_PENDING_SUGGESTIONS: '2',
      HPO_SUGGESTION_WORKERS: '1',
      HPO_MAX_MESSAGE_BYTES: String(64 * 1024),
    });
    client = sdkClient(server.address);
  });
  afterAll(async () => {
    client?.close();
    await server?.stop();
  });

  it('turns SuggestTrials away with RESOURCE_EXHAUSTED and a hint when the queue is full, and hands out no trial twice', async () => {
    const study = await client.createStudy({ displayName: 'flood', config: CONFIG });
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        client.suggestTrials({ parent: study.name, clientId: `c${i}` }).then(
          (r) => ({ code: 'OK', trials: r.trials.map((t) => t.name) }),
          async (e) => ({ ...(await outcome(Promise.reject(e))), trials: [] as string[] }),
        ),
      ),
    );
    const rejected = answers.filter((a) => a.code === 'RESOURCE_EXHAUSTED');
    const served = answers.filter((a) => a.code === 'OK');
    expect(rejected.length).toBeGreaterThan(0);
    expect(served.length).toBeGreaterThanOrEqual(2);
    expect(rejected.length + served.length).toBe(60);
    for (const r of rejected) {
      expect((r as { details: string }).details).toMatch(/server busy: .* SuggestTrials calls are already queued on this replica \(limit 2\)/);
      expect((r as { retryAfterMs?: number }).retryAfterMs).toBeGreaterThanOrEqual(50);
    }
    const names = served.flatMap((a) => a.trials);
    expect(new Set(names).size).toBe(names.length);
    expect((await study.refresh()).trialCounts.active).toBe(names.length);
    // Once the flood has drained, calls are admitted again.
    expect((await client.suggestTrials({ parent: study.name, clientId: 'late' })).trials).toHaveLength(1);
  });

  it('refuses a message over the size limit with RESOURCE_EXHAUSTED, creating nothing, and keeps serving', async () => {
    const big = await outcome(client.createStudy({ displayName: 'huge', config: { ...CONFIG, problemDescription: 'x'.repeat(100 * 1024) } }));
    expect(big.code).toBe('RESOURCE_EXHAUSTED');
    expect((await client.listStudies()).studies.map((s) => s.displayName)).not.toContain('huge');
    expect((await client.createStudy({ displayName: 'small', config: { ...CONFIG, problemDescription: 'fits' } })).displayName).toBe('small');
  });

  it('ends a call at its deadline with DEADLINE_EXCEEDED and keeps serving', async () => {
    const study = await client.createStudy({ displayName: 'deadline', config: CONFIG });
    const late = await outcome(client.suggestTrials({ parent: study.name, clientId: 'd' }, { timeoutMs: 1 }));
    expect(late.code).toBe('DEADLINE_EXCEEDED');
    expect((await client.getStudy(study.name)).displayName).toBe('deadline');
  });
});

describe('keepalive', () => {
  it('the server pings its connections at the configured interval (grpc-js keepalive trace)', async () => {
    const server = await startServerProcess({
      ...freshSqliteBackend().env,
      HPO_KEEPALIVE_TIME_MS: '200',
      GRPC_TRACE: 'keepalive',
      GRPC_VERBOSITY: 'DEBUG',
    });
    const client = sdkClient(server.address);
    try {
      await client.listStudies();
      await new Promise((r) => setTimeout(r, 1000));
      expect(server.logs()).toMatch(/Starting keepalive timer for 200ms/);
      expect(server.logs()).toMatch(/Sending ping with timeout 20000ms/);
      expect(server.logs()).toMatch(/Received ping response/);
    } finally {
      client.close();
      await server.stop();
    }
  });
});

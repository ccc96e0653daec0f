/** Retries on UNAVAILABLE only, with exponential backoff and jitter; deadlines per call. Real sockets:
 *  a port nobody listens on (then a real server on it), and a TCP listener that never answers. */
import * as net from 'node:net';
import { backoffDelayMs, DEFAULT_RETRY, HpoClient, HpoClientError } from '../src';
import { quadraticConfig } from './support/configs';
import { ServeProcess, startServe } from './support/hpo-serve';
import { freePort } from '@hpo/testing';

describe('backoffDelayMs', () => {
  const options = { ...DEFAULT_RETRY, initialDelayMs: 100, multiplier: 2, maxDelayMs: 1000, jitter: 0.5 };
  it('grows geometrically up to the cap, jittered downwards by at most the jitter fraction', () => {
    expect([0, 1, 2, 3, 4, 5].map((k) => backoffDelayMs(k, options, () => 0))).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect([0, 1, 2, 3, 4, 5].map((k) => backoffDelayMs(k, options, () => 1))).toEqual([50, 100, 200, 400, 500, 500]);
    for (let k = 0; k < 8; k++) {
      const d = backoffDelayMs(k, options);
      const base = Math.min(1000, 100 * 2 ** k);
      expect(d).toBeGreaterThan(base * 0.5 - 1e-9);
      expect(d).toBeLessThanOrEqual(base);
    }
  });
});

describe('retries over real sockets', () => {
  let server: ServeProcess | undefined;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  it('with waitForServer, retries UNAVAILABLE while the server is not up, and succeeds once it is', async () => {
    const port = await freePort();
    const retries: number[] = [];
    const client = new HpoClient({
      address: `127.0.0.1:${port}`,
      retry: { maxAttempts: 60, initialDelayMs: 50, maxDelayMs: 300, waitForServer: true, onRetry: (err, attempt) => (expect(err.code).toBe('UNAVAILABLE'), retries.push(attempt)) },
    });
    try {
      const started = Date.now();
      const pending = client.listStudies();
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(retries.length).toBeGreaterThan(0); // the call is still retrying, not failed
      server = await startServe({ port });
      const page = await pending;
      expect(page.studies).toEqual([]);
      expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
      expect(retries.length).toBeGreaterThanOrEqual(2);
      // The same client now works without retries.
      const study = await client.createStudy({ displayName: 'after-retry', config: quadraticConfig() });
      expect(study.name).toMatch(/^studies\//);
    } finally {
      client.close();
    }
  });

  it('waits out a rate limit: RESOURCE_EXHAUSTED with retry-after-ms is retried after the hint, without it an answer', async () => {
    // 4 requests a second, a burst of 2: twelve calls at once must queue behind the token bucket.
    server = await startServe({ env: { HPO_QUOTAS: JSON.stringify({ defaults: { requestsPerSecond: 4, burst: 2 } }) } });
    const hinted: number[] = [];
    const client = new HpoClient({
      address: server.address,
      retry: { maxAttempts: 20, onRetry: (err) => (expect(err.code).toBe('RESOURCE_EXHAUSTED'), hinted.push(err.retryAfterMs ?? -1)) },
    });
    const strict = new HpoClient({ address: server.address, retry: { maxRetryAfterMs: 0 } });
    try {
      const pages = await Promise.all(Array.from({ length: 12 }, () => client.listStudies()));
      expect(pages).toHaveLength(12);
      expect(hinted.length).toBeGreaterThan(0);
      for (const ms of hinted) expect(ms).toBeGreaterThan(0);
      // With hinted retries off, the limit is an answer, and it carries the hint for the caller.
      const errors = (await Promise.all(Array.from({ length: 6 }, () => strict.listStudies().then(() => undefined, (e: unknown) => e)))).filter(Boolean) as HpoClientError[];
      expect(errors.length).toBeGreaterThan(0);
      expect(errors[0].code).toBe('RESOURCE_EXHAUSTED');
      expect(errors[0].attempts).toBe(1);
      expect(errors[0].retryAfterMs).toBeGreaterThan(0);
    } finally {
      client.close();
      strict.close();
    }
  });

  it('gives up after maxAttempts with UNAVAILABLE, and does not retry at all when retries are off', async () => {
    const port = await freePort();
    const retries: number[] = [];
    const client = new HpoClient({ address: `127.0.0.1:${port}`, retry: { maxAttempts: 3, initialDelayMs: 20, waitForServer: true, onRetry: (_e, n) => retries.push(n) } });
    const err = (await client.listStudies().catch((e: unknown) => e)) as HpoClientError;
    expect(err).toBeInstanceOf(HpoClientError);
    expect(err.code).toBe('UNAVAILABLE');
    expect(err.attempts).toBe(3);
    expect(retries).toEqual([1, 2]);
    const once = (await client.listStudies({}, { retry: false }).catch((e: unknown) => e)) as HpoClientError;
    expect(once.code).toBe('UNAVAILABLE');
    expect(once.attempts).toBe(1);
    client.close();
  });

  it('says at once that no server is listening at an address never reached, without retrying', async () => {
    const port = await freePort();
    const retries: number[] = [];
    const client = new HpoClient({ address: `127.0.0.1:${port}`, retry: { onRetry: (_e, n) => retries.push(n) } });
    const started = Date.now();
    const err = (await client.listStudies().catch((e: unknown) => e)) as HpoClientError;
    expect(err.code).toBe('UNAVAILABLE');
    expect(err.details).toBe(`no server at 127.0.0.1:${port} — is \`hpo serve\` running? (connection refused)`);
    expect(err.attempts).toBe(1);
    expect(retries).toEqual([]);
    expect(Date.now() - started).toBeLessThan(1000);
    client.close();
  });

  it('keeps retrying a refused connection once the server has answered (a restart), by default', async () => {
    server = await startServe();
    const port = server.port;
    const retries: number[] = [];
    const client = new HpoClient({ address: `localhost:${port}`, retry: { maxAttempts: 80, initialDelayMs: 50, maxDelayMs: 300, onRetry: (_e, n) => retries.push(n) } });
    try {
      expect((await client.listStudies()).studies).toEqual([]);
      await server.stop(true);
      const pending = client.listStudies();
      await new Promise((resolve) => setTimeout(resolve, 800));
      expect(retries.length).toBeGreaterThan(0);
      server = await startServe({ port, dataDir: server.dataDir });
      expect((await pending).studies).toEqual([]);
    } finally {
      client.close();
    }
  });

  it('does not retry INVALID_ARGUMENT, NOT_FOUND or ALREADY_EXISTS', async () => {
    server = await startServe();
    const retries: string[] = [];
    const client = new HpoClient({ address: server.address, retry: { onRetry: (e) => retries.push(e.code) } });
    try {
      const bad = quadraticConfig();
      bad.metrics = [];
      const invalid = (await client.createStudy({ displayName: 'x', config: bad }).catch((e: unknown) => e)) as HpoClientError;
      expect(invalid.code).toBe('INVALID_ARGUMENT');
      expect(invalid.attempts).toBe(1);
      const missing = (await client.getStudy('studies/424242').catch((e: unknown) => e)) as HpoClientError;
      expect(missing.code).toBe('NOT_FOUND');
      await client.createStudy({ displayName: 'dup', config: quadraticConfig() });
      const dup = (await client.createStudy({ displayName: 'dup', config: quadraticConfig() }).catch((e: unknown) => e)) as HpoClientError;
      expect(dup.code).toBe('ALREADY_EXISTS');
      expect(retries).toEqual([]);
    } finally {
      client.close();
    }
  });

  it('enforces the per-call deadline against a server that never answers, without retrying', async () => {
    // A TCP listener that accepts and stays silent: the HTTP/2 handshake never completes.
    const sockets: net.Socket[] = [];
    const silent = net.createServer((s) => sockets.push(s));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as net.AddressInfo).port;
    const retries: number[] = [];
    const client = new HpoClient({ address: `127.0.0.1:${port}`, retry: { onRetry: (_e, n) => retries.push(n) } });
    try {
      const started = Date.now();
      const err = (await client.listStudies({}, { timeoutMs: 400 }).catch((e: unknown) => e)) as HpoClientError;
      const elapsed = Date.now() - started;
      expect(err.code).toBe('DEADLINE_EXCEEDED');
      expect(err.attempts).toBe(1);
      expect(retries).toEqual([]);
      expect(elapsed).toBeGreaterThanOrEqual(350);
      expect(elapsed).toBeLessThan(5000);
    } finally {
      client.close();
      sockets.forEach((s) => s.destroy());
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});

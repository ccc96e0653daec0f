/** Leases and rate limits in-process with a fake clock: the real server (gRPC, Nest, storage, the
 *  policies inline) on an in-memory SQLite database, time moved by ManualClock.advance() instead of
 *  sleeps. The e2e suites (concurrency-and-leases, reliability/limits) keep the real-time, real-process
 *  checks on both backends. */
import { createStudyClient, failureOf, ManualClock, measurement, quasiRandomConfig, statusOf, Status, type StudyClient } from '@hpo/testing';
import type { RunningServer } from '../src/main';
import type { QuotaConfig } from '../src/quotas/quota-config';
import { startInProcessServer } from './support/in-process-server';

function startInProcess(clock: ManualClock, quotas?: QuotaConfig): Promise<RunningServer> {
  return startInProcessServer({ clock, quotas });
}

describe('leases on a fake clock (in-process, in-memory SQLite)', () => {
  const clock = new ManualClock();
  let server: RunningServer;
  let client: StudyClient;

  beforeAll(async () => {
    server = await startInProcess(clock);
    client = createStudyClient(server.address);
  });
  afterAll(async () => {
    client?.close();
    await server?.close();
  });

  it('an expired lease fails the trial once and frees its slot; heartbeats keep leases alive', async () => {
    const study = await client.CreateStudy({ displayName: 'leases', config: quasiRandomConfig({ leaseSeconds: 3, maxParallel: 2 }) });
    const lost = (await client.SuggestTrials({ parent: study.name, count: 1, clientId: 'crashed' })).trials[0];
    const alive = (await client.SuggestTrials({ parent: study.name, count: 1, clientId: 'healthy' })).trials[0];
    expect((await client.SuggestTrials({ parent: study.name, count: 1, clientId: 'third' })).trials).toHaveLength(0);

    clock.advance(2_000);
    const hb = await client.Heartbeat({ parent: study.name, clientId: 'healthy' });
    expect(hb.trialNames).toEqual([alive.name]);
    expect(hb.leaseExpiresAt).toBeCloseTo(clock.now() / 1000 + 3, 3);
    // Not yet expired at 2.999 s.
    clock.advance(999);
    expect((await client.SuggestTrials({ parent: study.name, count: 1, clientId: 'third' })).trials).toHaveLength(0);
    expect((await client.GetTrial({ name: lost.name })).state).toBe('ACTIVE');

    clock.advance(2);
    const replacement = await client.SuggestTrials({ parent: study.name, count: 1, clientId: 'third' });
    expect(replacement.trials.map((t: { id: number }) => t.id)).toEqual([3]);
    const failed = await client.GetTrial({ name: lost.name });
    expect(failed.state).toBe('FAILED');
    expect(failed.statusReason).toMatch(/lease expired/);
    expect((await client.GetTrial({ name: alive.name })).state).toBe('ACTIVE');
    const late = await statusOf(client.CompleteTrial({ name: lost.name, finalMeasurement: measurement(1, 0.9) }));
    expect(late.code).toBe(Status.FAILED_PRECONDITION);

    // The heartbeat at t = 2 s holds the healthy trial until t = 5 s, and nothing past it.
    clock.advance(1_000);
    await client.SuggestTrials({ parent: study.name, count: 1, clientId: 'third' });
    expect((await client.GetTrial({ name: alive.name })).state).toBe('ACTIVE');
    clock.advance(1_000);
    await client.SuggestTrials({ parent: study.name, count: 1, clientId: 'third' });
    expect((await client.GetTrial({ name: alive.name })).state).toBe('FAILED');
    // Failed once: a later sweep does not touch it again.
    const again = await client.GetTrial({ name: lost.name });
    expect(again.completeTime).toEqual(failed.completeTime);
    // 'third' holds trial 3 (leased at t = 3.001 s until 6.001 s) and gets it back rather than a new one.
    const s = await client.GetStudy({ name: study.name });
    expect(s.trialCounts).toMatchObject({ failed: 2, active: 1 });
  });
});

describe('the lease reaper on a fake clock (in-process, in-memory SQLite)', () => {
  const clock = new ManualClock();
  let server: RunningServer;
  let client: StudyClient;

  beforeAll(async () => {
    server = await startInProcessServer({ clock, leaseCheckIntervalMs: 5_000 });
    client = createStudyClient(server.address);
  });
  afterAll(async () => {
    client?.close();
    await server?.close();
  });

  /** The trial's state once the sweep the clock started has written (a few event-loop turns). */
  async function stateAfterSweep(name: string, expected: string): Promise<string> {
    let state = '';
    for (let i = 0; i < 50 && state !== expected; i++) state = (await client.GetTrial({ name })).state;
    return state;
  }

  it('fails an expired lease at its next sweep of the clock, with no SuggestTrials to expire it lazily', async () => {
    const study = await client.CreateStudy({ displayName: 'reaped', config: quasiRandomConfig({ leaseSeconds: 3 }) });
    const trial = (await client.SuggestTrials({ parent: study.name, count: 1, clientId: 'crashed' })).trials[0];
    // Lease until t0 + 3 s; sweeps at t0 + 5 s, 10 s, ... of the clock the server started with.
    clock.advance(4_999);
    expect(await stateAfterSweep(trial.name, 'FAILED')).toBe('ACTIVE');
    clock.advance(1);
    expect(await stateAfterSweep(trial.name, 'FAILED')).toBe('FAILED');
    expect((await client.GetTrial({ name: trial.name })).statusReason).toMatch(/lease expired/);
  });
});

describe('rate limits on a fake clock (in-process)', () => {
  const clock = new ManualClock();
  let server: RunningServer;
  let client: StudyClient;

  beforeAll(async () => {
    server = await startInProcess(clock, { defaults: { requestsPerSecond: 5, burst: 5 } });
    client = createStudyClient(server.address);
  });
  afterAll(async () => {
    client?.close();
    await server?.close();
  });

  it('a burst is served, the next call is RESOURCE_EXHAUSTED with the wait, and time refills the bucket', async () => {
    for (let i = 0; i < 5; i++) await client.ListStudies({ pageSize: 1 });
    const refused = await failureOf(client.ListStudies({ pageSize: 1 }));
    expect(refused.code).toBe(Status.RESOURCE_EXHAUSTED);
    expect(refused.details).toMatch(/rate limit: tenant "local" may send 5 requests per second \(burst 5\); retry after 200 ms/);
    expect(refused.metadata.get('retry-after-ms')).toEqual(['200']);
    clock.advance(199);
    expect((await statusOf(client.ListStudies({ pageSize: 1 }))).code).toBe(Status.RESOURCE_EXHAUSTED);
    clock.advance(1);
    await client.ListStudies({ pageSize: 1 });
    // A full second refills the whole burst, and no more.
    clock.advance(10_000);
    for (let i = 0; i < 5; i++) await client.ListStudies({ pageSize: 1 });
    expect((await statusOf(client.ListStudies({ pageSize: 1 }))).code).toBe(Status.RESOURCE_EXHAUSTED);
  });
});

/** Parallel workers and leases over a real server, for each backend: 32 concurrent clients on one
 *  study (no trial handed out twice, none lost), client_id resumption after a worker restart,
 *  max_parallel, lease expiry by the database clock (timer and lazy), heartbeats, and callers that went
 *  away before they were served holding nothing. */
import { createStudyClient, statusOf, Status, backends, measurement, quasiRandomConfig } from '@hpo/testing';
import { serverSuite } from './support/server-suite';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(backends())('workers and leases on $name', ({ fresh }) => {
  const { server, client } = serverSuite(() => ({ ...fresh().env, HPO_LEASE_CHECK_INTERVAL_MS: '200' }));

  it('32 concurrent clients on one study: every trial handed out once, none lost', async () => {
    const total = 96;
    const study = await client.CreateStudy({ displayName: 'swarm', config: quasiRandomConfig({ maxTrials: total }) });
    const clients = Array.from({ length: 32 }, () => createStudyClient(server.address));
    const handedOut = new Map<number, string>();
    const duplicates: string[] = [];
    const acknowledged = new Map<number, number>();
    try {
      await Promise.all(
        clients.map(async (c, i) => {
          const clientId = `worker-${i}`;
          for (;;) {
            const { trials, studyDone } = await c.SuggestTrials({ parent: study.name, count: 1 + (i % 3), clientId });
            for (const t of trials) {
              const owner = handedOut.get(t.id);
              if (owner !== undefined) duplicates.push(`trial ${t.id} to ${clientId} and ${owner}`);
              handedOut.set(t.id, clientId);
              expect(t.clientId).toBe(clientId);
              const value = (t.id * 7919) % 1000 / 1000;
              await c.ReportIntermediate({ name: t.name, measurement: measurement(1, value / 2) });
              const done = await c.CompleteTrial({ name: t.name, finalMeasurement: measurement(2, value) });
              acknowledged.set(t.id, done.finalMeasurement.metrics[0].value);
            }
            if (studyDone || trials.length === 0) break;
          }
        }),
      );
    } finally {
      clients.forEach((c) => c.close());
    }
    expect(duplicates).toEqual([]);
    expect(handedOut.size).toBe(total);
    expect([...handedOut.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: total }, (_, k) => k + 1));
    const stored = new Map<number, number>();
    let token = '';
    do {
      const page = await client.ListTrials({ parent: study.name, pageSize: 50, pageToken: token });
      for (const t of page.trials) {
        expect(t.state).toBe('SUCCEEDED');
        stored.set(t.id, t.finalMeasurement.metrics[0].value);
      }
      token = page.nextPageToken;
    } while (token);
    expect(stored).toEqual(acknowledged);
    const s = await client.GetStudy({ name: study.name });
    expect(s.trialCounts.succeeded).toBe(total);
    expect(s.state).toBe('COMPLETED');
  });

  it('a SuggestTrials whose caller has gone (deadline passed) before its trials are committed leaves no ACTIVE trial behind', async () => {
    const study = await client.CreateStudy({ displayName: 'gone-callers', config: quasiRandomConfig({ maxTrials: 0 }) });
    // 128 patient callers fill the study's queue; 24 callers with a 15 ms deadline queue behind them
    // and are gone long before their turn (batches of at most 64 callers, each two transactions).
    const patient = Array.from({ length: 128 }, (_, i) => client.SuggestTrials({ parent: study.name, count: 1, clientId: `patient-${i}` }));
    await sleep(5);
    const impatient = await Promise.all(
      Array.from({ length: 24 }, (_, i) => statusOf(client.SuggestTrials({ parent: study.name, count: 1, clientId: `gone-${i}` }, { deadlineMs: 15 }))),
    );
    expect(new Set(impatient.map((r) => r.code))).toEqual(new Set([Status.DEADLINE_EXCEEDED]));
    const served = await Promise.all(patient);
    expect(served.every((r) => r.trials.length === 1)).toBe(true);
    await sleep(300);
    const trials: Array<{ name: string; state: string; clientId: string }> = (await client.ListTrials({ parent: study.name, pageSize: 1000 })).trials;
    // Most gone callers are dropped from the queue; one whose deadline passed while its batch was being
    // stored finds its trial released (FAILED, "not received"), never left ACTIVE on its lease.
    const ofGone = trials.filter((t) => t.clientId.startsWith('gone-'));
    expect(ofGone.filter((t) => t.state !== 'FAILED').map((t) => `${t.name} ${t.state} ${t.clientId}`)).toEqual([]);
    expect(trials.filter((t) => t.state === 'ACTIVE')).toHaveLength(128);
  });

  it('a restarted worker with the same client_id gets its ACTIVE trials back first', async () => {
    const study = await client.CreateStudy({ displayName: 'resume', config: quasiRandomConfig() });
    const first = await client.SuggestTrials({ parent: study.name, count: 2, clientId: 'host-1' });
    expect(first.trials.map((t: { id: number }) => t.id)).toEqual([1, 2]);
    await client.ReportIntermediate({ name: first.trials[0].name, measurement: measurement(3, 0.4) });
    const restarted = createStudyClient(server.address);
    try {
      const again = await restarted.SuggestTrials({ parent: study.name, count: 3, clientId: 'host-1' });
      expect(again.trials.map((t: { id: number }) => t.id)).toEqual([1, 2, 3]);
      expect(again.trials[0].measurements.map((m: { step: number }) => m.step)).toEqual([3]);
      expect(again.trials[0].parameters).toEqual(first.trials[0].parameters);
      const other = await restarted.SuggestTrials({ parent: study.name, count: 1, clientId: 'host-2' });
      expect(other.trials.map((t: { id: number }) => t.id)).toEqual([4]);
    } finally {
      restarted.close();
    }
  });

  it('max_parallel caps ACTIVE trials', async () => {
    const study = await client.CreateStudy({ displayName: 'parallel', config: quasiRandomConfig({ maxParallel: 2 }) });
    const a = await client.SuggestTrials({ parent: study.name, count: 5, clientId: 'a' });
    expect(a.trials).toHaveLength(2);
    const b = await client.SuggestTrials({ parent: study.name, count: 1, clientId: 'b' });
    expect(b.trials).toHaveLength(0);
    await client.CompleteTrial({ name: a.trials[0].name, finalMeasurement: measurement(1, 0.5) });
    const c = await client.SuggestTrials({ parent: study.name, count: 1, clientId: 'b' });
    expect(c.trials.map((t: { id: number }) => t.id)).toEqual([3]);
  });

  it('concurrent callers share max_parallel, and a client_id calling twice at once gets the same trial', async () => {
    const study = await client.CreateStudy({ displayName: 'batched', config: quasiRandomConfig({ maxParallel: 3 }) });
    const calls = await Promise.all(Array.from({ length: 10 }, (_, i) => client.SuggestTrials({ parent: study.name, count: 2, clientId: `c${i}` })));
    const ids = calls.flatMap((r) => r.trials.map((t: { id: number }) => t.id));
    expect(ids.sort()).toEqual([1, 2, 3]);
    const other = await client.CreateStudy({ displayName: 'twice', config: quasiRandomConfig() });
    const [a, b] = await Promise.all([
      client.SuggestTrials({ parent: other.name, count: 1, clientId: 'same' }),
      client.SuggestTrials({ parent: other.name, count: 1, clientId: 'same' }),
    ]);
    expect(a.trials.map((t: { id: number }) => t.id)).toEqual([1]);
    expect(b.trials.map((t: { id: number }) => t.id)).toEqual([1]);
  });

  it('an expired lease fails the trial once (database clock) and frees its slot; heartbeats keep leases alive', async () => {
    // Leases of 3 s (sweeps every 200 ms): long enough for heartbeats every 400 ms on a loaded CI box.
    const study = await client.CreateStudy({
      displayName: 'leases',
      config: quasiRandomConfig({ leaseSeconds: 3, maxParallel: 2 }),
    });
    const lost = (await client.SuggestTrials({ parent: study.name, count: 1, clientId: 'crashed' })).trials[0];
    const alive = (await client.SuggestTrials({ parent: study.name, count: 1, clientId: 'healthy' })).trials[0];
    expect((await client.SuggestTrials({ parent: study.name, count: 1, clientId: 'third' })).trials).toHaveLength(0);
    const heartbeat = async () => {
      const hb = await client.Heartbeat({ parent: study.name, clientId: 'healthy' });
      expect(hb.trialNames).toEqual([alive.name]);
      expect(hb.leaseExpiresAt).toBeGreaterThan(Date.now() / 1000 - 60);
    };
    const started = Date.now();
    while (Date.now() - started < 4500) {
      await sleep(400);
      await heartbeat();
    }
    const failed = await client.GetTrial({ name: lost.name });
    expect(failed.state).toBe('FAILED');
    expect(failed.statusReason).toMatch(/lease expired/);
    expect((await client.GetTrial({ name: alive.name })).state).toBe('ACTIVE');
    const replacement = await client.SuggestTrials({ parent: study.name, count: 1, clientId: 'third' });
    expect(replacement.trials.map((t: { id: number }) => t.id)).toEqual([3]);
    await client.CompleteTrial({ name: replacement.trials[0].name, finalMeasurement: measurement(1, 0.4) });
    const late = await statusOf(client.CompleteTrial({ name: lost.name, finalMeasurement: measurement(1, 0.9) }));
    expect(late.code).toBe(Status.FAILED_PRECONDITION);
    await heartbeat();
    await sleep(500);
    const still = await client.GetTrial({ name: lost.name });
    expect(still.completeTime).toBe(failed.completeTime);
    await heartbeat();
    const s = await client.GetStudy({ name: study.name });
    expect(s.trialCounts).toMatchObject({ failed: 1, active: 1, succeeded: 1 });
  });

  it('StopTrial: the worker learns STOP at its next report and in its heartbeat', async () => {
    const study = await client.CreateStudy({ displayName: 'stopping', config: quasiRandomConfig() });
    const t = (await client.SuggestTrials({ parent: study.name, count: 1, clientId: 'w' })).trials[0];
    expect((await client.StopTrial({ name: t.name })).state).toBe('STOPPING');
    const hb = await client.Heartbeat({ parent: study.name, clientId: 'w' });
    expect(hb.stoppingTrialNames).toEqual([t.name]);
    const r = await client.ReportIntermediate({ name: t.name, measurement: measurement(1, 0.3) });
    expect(r.decision).toBe('STOP');
    expect(r.reason).toMatch(/StopTrial/);
    const done = await client.CompleteTrial({ name: t.name });
    expect(done.state).toBe('SUCCEEDED');
    expect(done.finalMeasurement.metrics[0].value).toBe(0.3);
  });
});

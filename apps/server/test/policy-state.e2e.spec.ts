/** The study's policy state through the real server: GP_BANDIT + FREEZE_THAW (the demo's configuration)
 *  keeps its GP fit between calls, after a restart, and across two replicas on one database, because the
 *  state lives in the study's row, not in a process. Cold fits are counted by hpo_model_fits_total on
 *  each server's /metrics; fitted hyperparameters are compared in the stored row. */
import { gpModelState } from '@hpo/core';
import { openStorage } from '../src/admin';
import type { Storage } from '../src/storage/storage';
import { readPolicyState } from '../src/suggestion/policy-state';
import { createStudyClient, StudyClient, backends, Backend, ServerProcess, startServerProcess } from '@hpo/testing';

const config = {
  parameters: [
    { name: 'x', type: 'DOUBLE', minValue: 0, maxValue: 1 },
    { name: 'y', type: 'DOUBLE', minValue: 0, maxValue: 1 },
  ],
  metrics: [{ name: 'loss', goal: 'MINIMIZE' }],
  algorithm: 'GP_BANDIT',
  earlyStopping: { mode: 'FREEZE_THAW', maxStep: 10, minSteps: 2, minTrials: 3 },
  seed: 3,
};
const loss = (step: number, final: number) => ({ step, metrics: [{ name: 'loss', value: final + 0.5 * Math.exp(-step / 2) }], elapsedSeconds: step });
const curve = (final: number) => Array.from({ length: 10 }, (_, i) => loss(i + 1, final));
const params = (x: number, y: number) => [{ name: 'x', doubleValue: x }, { name: 'y', doubleValue: y }];

/** hpo_model_fits_total{model, start} on one server, 0 when the series does not exist yet. */
async function fits(server: ServerProcess, model: string, start: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${server.metricsPort}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`hpo_model_fits_total{model="${model}",start="${start}"}`));
  return line ? Number(line.split(' ').pop()) : 0;
}

describe.each(backends().map((b) => [b.name, b.fresh] as const))('policy state in the study row (%s)', (_name, fresh) => {
  let backend: Backend;
  let storage: Storage;
  const servers: ServerProcess[] = [];
  const clients: StudyClient[] = [];
  const start = async (): Promise<{ server: ServerProcess; client: StudyClient }> => {
    const server = await startServerProcess({ ...backend.env, HPO_METRICS_PORT: '0' });
    const client = createStudyClient(server.address);
    servers.push(server);
    clients.push(client);
    return { server, client };
  };
  /** The stored state of the study (what tx1 of the next call reads). */
  const stored = async (studyId: number) => {
    const tenant = await storage.getOrCreateLocalTenant();
    return readPolicyState((await storage.getStudy(tenant.id, studyId))!.policyStateJson);
  };

  beforeAll(async () => {
    backend = fresh();
    storage = await openStorage(backend.storageOptions);
  });
  afterAll(async () => {
    clients.forEach((c) => c.close());
    await Promise.all(servers.map((s) => s.stop()));
    await storage?.close();
  });

  it('GP_BANDIT + FREEZE_THAW keeps its GP fit between calls, after a restart, and shares it between two replicas', async () => {
    const first = await start();
    const study = await first.client.CreateStudy({ displayName: 'state', config });
    const studyId = Number(study.name.split('/')[1]);
    // Six finished curves: past the initial design (max(5, d + 1)), enough for the freeze-thaw model.
    const finished = [[0.1, 0.2, 0.30], [0.3, 0.8, 0.25], [0.5, 0.5, 0.20], [0.7, 0.1, 0.35], [0.9, 0.6, 0.40], [0.2, 0.9, 0.28]];
    await first.client.AddTrials({
      parent: study.name,
      trials: finished.map(([x, y, f]) => ({ parameters: params(x, y), measurements: curve(f), finalMeasurement: loss(10, f) })),
    });

    // A hopeless trial is paused by the report side: from then on suggestions go through FREEZE_THAW's
    // decorator (thaw or new), the path that used to drop the GP's state on every call.
    const [bad] = (await first.client.SuggestTrials({ parent: study.name, count: 1, clientId: 'w1' })).trials;
    expect(bad.statusReason).toMatch(/^GP /);
    let decision = 'CONTINUE';
    for (let step = 1; step <= 9 && decision === 'CONTINUE'; step++) {
      decision = (await first.client.ReportIntermediate({ name: bad.name, measurement: loss(step, 3) })).decision;
    }
    expect(decision).toBe('PAUSE');
    const afterPause = await stored(studyId);
    expect(afterPause.gp).toMatchObject({ version: 1 });
    expect(afterPause.freezeThaw).toMatchObject({ version: 1 });

    for (let i = 0; i < 3; i++) {
      const [t] = (await first.client.SuggestTrials({ parent: study.name, count: 1, clientId: `w-${i}` })).trials;
      await first.client.CompleteTrial({ name: t.name, finalMeasurement: loss(10, 0.3 + i / 100) });
    }
    // One cold GP fit (the first suggestion) and one cold freeze-thaw fit in this process; every later
    // call warm-started or reused them.
    expect(await fits(first.server, 'gp', 'cold')).toBe(1);
    expect(await fits(first.server, 'freezeThaw', 'cold')).toBe(1);
    expect((await fits(first.server, 'gp', 'warm')) + (await fits(first.server, 'gp', 'reused'))).toBeGreaterThanOrEqual(3);
    // freeze-thaw re-optimises only when the reports grew by 10 %; in between it reuses the fit.
    expect((await fits(first.server, 'freezeThaw', 'warm')) + (await fits(first.server, 'freezeThaw', 'reused'))).toBeGreaterThanOrEqual(3);
    const beforeRestart = await stored(studyId);

    // A restart: the new process reads the row and warm-starts, no cold fit.
    await first.server.stop();
    const a = await start();
    const b = await start();
    const [resumedOnA] = (await a.client.SuggestTrials({ parent: study.name, count: 1, clientId: 'after-restart' })).trials;
    expect(await fits(a.server, 'gp', 'cold')).toBe(0);
    expect(await fits(a.server, 'freezeThaw', 'cold')).toBe(0);
    expect((await fits(a.server, 'gp', 'warm')) + (await fits(a.server, 'gp', 'reused'))).toBe(1);
    const afterA = await stored(studyId);
    // Warm-started from the fit stored before the restart (the paused trial counts as an observation
    // through its predicted final, so whether this call refines or fully refits depends on the count).
    expect(gpModelState(beforeRestart, 2)).toBeDefined();
    expect(gpModelState(afterA, 2)).toBeDefined();

    // The other replica, on the same study and data: it reads A's fit and reuses it (identical
    // hyperparameters in the row, no cold fit in either process).
    const [onB] = (await b.client.SuggestTrials({ parent: study.name, count: 1, clientId: 'replica-b' })).trials;
    expect(await fits(b.server, 'gp', 'cold')).toBe(0);
    expect(await fits(b.server, 'gp', 'reused')).toBe(1);
    expect((await stored(studyId)).gp).toEqual(afterA.gp);
    // New data on A moves the fit; B warm-starts from A's refit, never from its own stale copy.
    await a.client.CompleteTrial({ name: resumedOnA.name, finalMeasurement: loss(10, 0.22) });
    await b.client.CompleteTrial({ name: onB.name, finalMeasurement: loss(10, 0.24) });
    await a.client.SuggestTrials({ parent: study.name, count: 1, clientId: 'replica-a-2' });
    const refitOnA = (await stored(studyId)).gp;
    await b.client.SuggestTrials({ parent: study.name, count: 1, clientId: 'replica-b-2' });
    expect((await stored(studyId)).gp).toEqual(refitOnA);
    expect(await fits(a.server, 'gp', 'cold')).toBe(0);
    expect(await fits(b.server, 'gp', 'cold')).toBe(0);
    // Three server processes and a dozen GP fits: minutes on a loaded two-core machine.
  }, 400_000);

  it('an unreadable or old-version stored state costs a cold fit, never an error', async () => {
    const { server, client } = await start();
    const study = await client.CreateStudy({ displayName: 'junk-state', config: { ...config, earlyStopping: { mode: 'NONE' } } });
    const studyId = Number(study.name.split('/')[1]);
    await client.AddTrials({
      parent: study.name,
      trials: [[0.1, 0.2], [0.3, 0.8], [0.5, 0.5], [0.7, 0.1], [0.9, 0.6], [0.2, 0.9]].map(([x, y], i) => ({ parameters: params(x, y), finalMeasurement: loss(10, 0.2 + i / 50) })),
    });
    const tenant = await storage.getOrCreateLocalTenant();
    const junk = ['{not json', JSON.stringify({ format: 0, parts: {} }), JSON.stringify({ format: 1, parts: { gp: { version: 999, hyperparameters: {} } } })];
    const coldBefore = await fits(server, 'gp', 'cold');
    for (const [i, json] of junk.entries()) {
      await storage.studyTransaction(tenant.id, studyId, (tx) => tx.writePolicyState(json));
      const [t] = (await client.SuggestTrials({ parent: study.name, count: 1, clientId: `junk-${i}` })).trials;
      expect(t.statusReason).toMatch(/^GP /);
      expect(await fits(server, 'gp', 'cold')).toBe(coldBefore + i + 1);
      expect((await stored(studyId)).gp).toMatchObject({ version: 1 });
      await client.FailTrial({ name: t.name, reason: 'keeps the observations unchanged' });
    }
  });
});

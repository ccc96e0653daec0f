/** Tenancy over a real server: two tenants, every RPC tried across the boundary is NOT_FOUND (never
 *  PERMISSION_DENIED, so existence does not leak); missing, wrong or revoked keys are UNAUTHENTICATED
 *  (revocation is effective at once); a non-loopback bind without keys serves nobody; keys never
 *  appear in the logs. */
import { createTenant, openStorage, revokeTenant } from '../src/admin';
import { createStudyClient, statusOf, Status, StudyClient, backends, freshSqliteBackend, ServerProcess, startServerProcess, measurement, quasiRandomConfig } from '@hpo/testing';

describe.each(backends())('tenant isolation on $name', ({ fresh }) => {
  let server: ServerProcess;
  let alpha: StudyClient;
  let beta: StudyClient;
  let keys: { alpha: string; beta: string };
  let backend: ReturnType<typeof fresh>;

  beforeAll(async () => {
    backend = fresh();
    const storage = await openStorage(backend.storageOptions);
    try {
      keys = { alpha: (await createTenant(storage, 'alpha')).apiKey, beta: (await createTenant(storage, 'beta')).apiKey };
    } finally {
      await storage.close();
    }
    server = await startServerProcess({ ...backend.env, HPO_LOG_LEVEL: 'debug' });
    alpha = createStudyClient(server.address, keys.alpha);
    beta = createStudyClient(server.address, keys.beta);
  });
  afterAll(async () => {
    alpha?.close();
    beta?.close();
    await server?.stop();
  });

  it('every RPC on another tenant\'s study or trial is NOT_FOUND, and nothing changes', async () => {
    const study = await alpha.CreateStudy({ displayName: 'secret', config: quasiRandomConfig() });
    const trial = (await alpha.SuggestTrials({ parent: study.name, count: 1, clientId: 'a1' })).trials[0];
    await alpha.ReportIntermediate({ name: trial.name, measurement: measurement(1, 0.5) });
    const before = await alpha.GetTrial({ name: trial.name });
    const attempts: Array<[string, Promise<unknown>]> = [
      ['GetStudy', beta.GetStudy({ name: study.name })],
      ['DeleteStudy', beta.DeleteStudy({ name: study.name })],
      ['SuggestTrials', beta.SuggestTrials({ parent: study.name, count: 1, clientId: 'b1' })],
      ['ReportIntermediate', beta.ReportIntermediate({ name: trial.name, measurement: measurement(2, 0.9) })],
      ['CompleteTrial', beta.CompleteTrial({ name: trial.name, finalMeasurement: measurement(2, 0.9) })],
      ['CompleteTrial infeasible', beta.CompleteTrial({ name: trial.name, infeasible: true })],
      ['FailTrial', beta.FailTrial({ name: trial.name, reason: 'not yours' })],
      ['AddTrials', beta.AddTrials({ parent: study.name, trials: [{ parameters: trial.parameters, finalMeasurement: measurement(1, 1) }] })],
      ['GetTrial', beta.GetTrial({ name: trial.name })],
      ['ListTrials', beta.ListTrials({ parent: study.name })],
      ['ListOptimalTrials', beta.ListOptimalTrials({ parent: study.name })],
      ['StopTrial', beta.StopTrial({ name: trial.name })],
      ['Heartbeat client', beta.Heartbeat({ parent: study.name, clientId: 'a1' })],
      ['Heartbeat trial', beta.Heartbeat({ parent: study.name, trialName: trial.name })],
    ];
    for (const [rpc, call] of attempts) {
      const s = await statusOf(call);
      expect({ rpc, code: Status[s.code] }).toEqual({ rpc, code: 'NOT_FOUND' });
    }
    expect((await beta.ListStudies({})).studies).toEqual([]);
    const after = await alpha.GetTrial({ name: trial.name });
    expect(after).toEqual({ ...before });
    expect((await alpha.GetStudy({ name: study.name })).trialCounts.active).toBe(1);
    // The same display name is free in the other tenant's namespace.
    const betaStudy = await beta.CreateStudy({ displayName: 'secret', config: quasiRandomConfig() });
    expect(betaStudy.name).not.toBe(study.name);
    expect((await statusOf(alpha.GetStudy({ name: betaStudy.name }))).code).toBe(Status.NOT_FOUND);
  });

  it('missing or wrong keys are UNAUTHENTICATED; revocation is immediate', async () => {
    const anonymous = createStudyClient(server.address);
    const forged = createStudyClient(server.address, keys.alpha.slice(0, -2) + 'xx');
    const doomedKey = await (async () => {
      const storage = await openStorage(backend.storageOptions);
      try {
        return (await createTenant(storage, 'gamma')).apiKey;
      } finally {
        await storage.close();
      }
    })();
    const gamma = createStudyClient(server.address, doomedKey);
    try {
      const noKey = await statusOf(anonymous.ListStudies({}));
      expect(noKey.code).toBe(Status.UNAUTHENTICATED);
      expect(noKey.details).toMatch(/authorization/);
      expect((await statusOf(forged.ListStudies({}))).code).toBe(Status.UNAUTHENTICATED);
      await gamma.CreateStudy({ displayName: 'short-lived', config: quasiRandomConfig() });
      const storage = await openStorage(backend.storageOptions);
      try {
        await revokeTenant(storage, 'gamma');
      } finally {
        await storage.close();
      }
      expect((await statusOf(gamma.ListStudies({})))).toEqual({ code: Status.UNAUTHENTICATED, details: 'invalid or revoked API key' });
    } finally {
      anonymous.close();
      forged.close();
      gamma.close();
    }
  });

  it('never writes an API key to the log', async () => {
    expect(server.logs().length).toBeGreaterThan(0);
    for (const key of Object.values(keys)) expect(server.logs()).not.toContain(key);
  });
});

describe('binding beyond loopback', () => {
  it('requires keys when no tenant exists (no implicit local tenant)', async () => {
    const server = await startServerProcess({ ...freshSqliteBackend().env, HPO_HOST: '0.0.0.0' });
    const client = createStudyClient(`127.0.0.1:${server.port}`);
    try {
      expect((await statusOf(client.ListStudies({}))).code).toBe(Status.UNAUTHENTICATED);
    } finally {
      client.close();
      await server.stop();
    }
  });
});

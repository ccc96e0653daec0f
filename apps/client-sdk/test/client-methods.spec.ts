/** Every RPC through the SDK against a real server on loopback (SQLite in a temp dir). */
import { HpoClient, HpoClientError } from '../src';
import { quadraticConfig } from './support/configs';
import { ServeProcess, startServe } from './support/hpo-serve';

describe('HpoClient against a real server', () => {
  let server: ServeProcess;
  let client: HpoClient;

  beforeAll(async () => {
    server = await startServe();
    client = new HpoClient({ address: server.address, apiKey: '' });
  });
  afterAll(async () => {
    client?.close();
    await server?.stop();
  });

  it('creates a study, returns the existing one with RETURN_EXISTING, and reports ALREADY_EXISTS otherwise', async () => {
    const study = await client.createStudy({ displayName: 'methods', config: quadraticConfig({ maxTrials: 5 }) });
    expect(study.name).toMatch(/^studies\/\d+$/);
    expect(study.config.algorithm).toBe('QUASI_RANDOM_SEARCH');
    expect(study.config.maxTrials).toBe(5);
    expect(study.config.parameters.map((p) => p.name)).toEqual(['x', 'n', 'kind', 'batch']);
    expect(study.config.parameters[2].children?.[0].parameter.name).toBe('w');
    expect(study.config.parameters[3].values).toEqual([16, 32, 64]);

    const again = await client.createStudy({ displayName: 'methods', config: quadraticConfig(), ifExists: 'RETURN_EXISTING' });
    expect(again.name).toBe(study.name);
    expect(again.config.maxTrials).toBe(5);

    const err = await client.createStudy({ displayName: 'methods', config: quadraticConfig() }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HpoClientError);
    expect((err as HpoClientError).code).toBe('ALREADY_EXISTS');
    expect((err as HpoClientError).method).toBe('createStudy');
  });

  it('surfaces INVALID_ARGUMENT with the server details, after one attempt', async () => {
    const bad = quadraticConfig();
    bad.parameters[0] = { name: 'x', type: 'DOUBLE', min: 3, max: 1 };
    const err = (await client.createStudy({ displayName: 'bad', config: bad }).catch((e: unknown) => e)) as HpoClientError;
    expect(err).toBeInstanceOf(HpoClientError);
    expect(err.code).toBe('INVALID_ARGUMENT');
    expect(err.statusCode).toBe(3);
    expect(err.details).toMatch(/min/);
    expect(err.attempts).toBe(1);
  });

  it('refuses a parameter spec whose bounds would silently read as 0 (misspelt keys, no bounds) before sending it', async () => {
    const before = (await client.listStudies({ pageSize: 1000 })).studies.length;
    const misspelt = quadraticConfig();
    misspelt.parameters[0] = { name: 'x', type: 'DOUBLE', minValue: -1, maxValue: 1 } as unknown as (typeof misspelt.parameters)[0];
    const e1 = (await client.createStudy({ displayName: 'misspelt', config: misspelt }).catch((e: unknown) => e)) as HpoClientError;
    expect(e1).toBeInstanceOf(HpoClientError);
    expect(e1.code).toBe('INVALID_ARGUMENT');
    expect(e1.details).toMatch(/config\.parameters\[0\]: unknown key\(s\) minValue, maxValue/);
    const unbounded = quadraticConfig();
    unbounded.parameters[0] = { name: 'x', type: 'DOUBLE' };
    const e2 = (await client.createStudy({ displayName: 'unbounded', config: unbounded }).catch((e: unknown) => e)) as HpoClientError;
    expect(e2.details).toBe('config.parameters[0].min_value: is required for DOUBLE parameters');
    expect((await client.listStudies({ pageSize: 1000 })).studies.length).toBe(before);
  });

  it('suggests, reports, completes, and reads trials back with typed parameters', async () => {
    const study = await client.createStudy({ displayName: 'loop', config: quadraticConfig({ maxTrials: 3 }) });
    const { trials, studyDone } = await client.suggestTrials({ parent: study, count: 2, clientId: 'w1' });
    expect(studyDone).toBe(false);
    expect(trials).toHaveLength(2);
    const [t1, t2] = trials;
    expect(t1.state).toBe('ACTIVE');
    expect(t1.clientId).toBe('w1');
    expect(typeof t1.parameters.x).toBe('number');
    expect(Number.isInteger(t1.parameters.n)).toBe(true);
    expect(['a', 'b']).toContain(t1.parameters.kind);
    expect('w' in t1.parameters).toBe(t1.parameters.kind === 'b');
    expect([16, 32, 64]).toContain(t1.parameters.batch);

    const r1 = await client.reportIntermediate({ name: t1, measurement: { step: 1, metrics: { loss: 0.9 }, elapsedSeconds: 1 } });
    expect(r1.decision).toBe('CONTINUE');
    expect(r1.trial.measurements).toEqual([{ step: 1, metrics: { loss: 0.9 }, elapsedSeconds: 1 }]);

    const done = await client.completeTrial({ name: t1.name, finalMeasurement: { step: 2, metrics: { loss: 0.5 } } });
    expect(done.state).toBe('SUCCEEDED');
    expect(done.finalMeasurement?.metrics.loss).toBe(0.5);
    // A retry of the same completion changes nothing; a different one is refused.
    expect((await client.completeTrial({ name: t1.name, finalMeasurement: { step: 2, metrics: { loss: 0.5 } } })).state).toBe('SUCCEEDED');
    const conflict = (await client.completeTrial({ name: t1.name, finalMeasurement: { step: 2, metrics: { loss: 0.1 } } }).catch((e: unknown) => e)) as HpoClientError;
    expect(conflict.code).toBe('FAILED_PRECONDITION');

    const infeasible = await client.completeTrial({ name: t2.name, infeasible: true, infeasibleReason: 'out of memory' });
    expect(infeasible.state).toBe('INFEASIBLE');
    expect(infeasible.infeasibleReason).toBe('out of memory');

    expect((await client.getTrial(t1.name)).finalMeasurement?.metrics.loss).toBe(0.5);
    const succeeded = await client.listTrials({ parent: study.name, states: ['SUCCEEDED'] });
    expect(succeeded.trials.map((t) => t.id)).toEqual([t1.id]);
    expect((await study.trials()).map((t) => t.id).sort()).toEqual([t1.id, t2.id].sort());
    const optimal = await study.optimalTrials();
    expect(optimal.map((t) => t.id)).toEqual([t1.id]);
    const refreshed = await study.refresh();
    expect(refreshed.trialCounts.succeeded).toBe(1);
    expect(refreshed.trialCounts.infeasible).toBe(1);
  });

  it('fails a trial (FailTrial): FAILED with the reason, idempotent, its slot handed out again; refuses a finished trial and another client', async () => {
    const study = await client.createStudy({ displayName: 'fail', config: quadraticConfig({ maxTrials: 2 }) });
    const [t1, t2] = (await client.suggestTrials({ parent: study, count: 2, clientId: 'f1' })).trials;
    await client.reportIntermediate({ name: t1, measurement: { step: 1, metrics: { loss: 0.4 } } });

    const other = (await client.failTrial({ name: t1, reason: 'x', clientId: 'someone-else' }).catch((e: unknown) => e)) as HpoClientError;
    expect(other.code).toBe('FAILED_PRECONDITION');
    expect(other.details).toBe(`trial ${t1.name} is held by client "f1", not "someone-else"`);
    const long = (await client.failTrial({ name: t1, reason: 'r'.repeat(4097) }).catch((e: unknown) => e)) as HpoClientError;
    expect(long.code).toBe('INVALID_ARGUMENT');
    expect(long.details).toBe('reason: must be at most 4096 characters (got 4097)');

    const failed = await client.failTrial({ name: t1, reason: 'objective returned NaN', clientId: 'f1' });
    expect(failed.state).toBe('FAILED');
    expect(failed.statusReason).toBe('objective returned NaN');
    expect(failed.completeTime).toBeGreaterThan(0);
    expect(failed.measurements.map((m) => m.step)).toEqual([1]);
    expect((await client.failTrial({ name: t1, reason: 'again' })).statusReason).toBe('objective returned NaN');
    expect((await client.failTrial({ name: t2, reason: '' })).statusReason).toBe('failed by the client');

    // Finished trials cannot be failed; a FAILED one cannot be completed or reported to.
    const completeFailed = (await client.completeTrial({ name: t1, finalMeasurement: { metrics: { loss: 1 } } }).catch((e: unknown) => e)) as HpoClientError;
    expect(completeFailed.code).toBe('FAILED_PRECONDITION');
    const [t3] = (await client.suggestTrials({ parent: study, count: 1, clientId: 'f1' })).trials;
    expect(t3.id).toBe(3); // failed trials do not count towards max_trials (2)
    await client.completeTrial({ name: t3, finalMeasurement: { metrics: { loss: 0.2 } } });
    const finished = (await client.failTrial({ name: t3, reason: 'late' }).catch((e: unknown) => e)) as HpoClientError;
    expect(finished.code).toBe('FAILED_PRECONDITION');
    expect(finished.details).toMatch(/is SUCCEEDED and cannot be failed/);
    const missing = (await client.failTrial({ name: `${study.name}/trials/99`, reason: 'x' }).catch((e: unknown) => e)) as HpoClientError;
    expect(missing.code).toBe('NOT_FOUND');
    const refreshed = await study.refresh();
    expect(refreshed.trialCounts.failed).toBe(2);
    expect(refreshed.trialCounts.succeeded).toBe(1);
  });

  it('getStudy takes a display name or a bare id, as the CLI does', async () => {
    const study = await client.createStudy({ displayName: 'digits-mlp', config: quadraticConfig() });
    expect((await client.getStudy('digits-mlp')).name).toBe(study.name);
    expect((await client.getStudy(study.id)).name).toBe(study.name);
    expect((await client.getStudy(study.name)).displayName).toBe('digits-mlp');
    const err = (await client.getStudy('no-such-study').catch((e: unknown) => e)) as HpoClientError;
    expect(err).toBeInstanceOf(HpoClientError);
    expect(err.code).toBe('NOT_FOUND');
  });

  it('adds trials evaluated elsewhere, with integer and double values typed by the space', async () => {
    const study = await client.createStudy({ displayName: 'prior', config: quadraticConfig() });
    const added = await study.addTrials([
      { parameters: { x: 1, n: 3, kind: 'a', batch: 32 }, finalMeasurement: { metrics: { loss: 0.28 } } },
      { parameters: { x: 0.5, n: 1, kind: 'b', w: 0.5, batch: 16 }, finalMeasurement: { metrics: { loss: 0.01 } } },
    ]);
    expect(added).toHaveLength(2);
    expect(added.every((t) => t.state === 'SUCCEEDED')).toBe(true);
    expect(added[0].parameters).toEqual({ x: 1, n: 3, kind: 'a', batch: 32 });
    const best = await client.listOptimalTrials(study.name);
    expect(best[0].parameters.x).toBe(0.5);
    const outOfRange = (await study.addTrials([{ parameters: { x: 9, n: 3, kind: 'a', batch: 32 }, finalMeasurement: { metrics: { loss: 1 } } }]).catch((e: unknown) => e)) as HpoClientError;
    expect(outOfRange.code).toBe('INVALID_ARGUMENT');
    expect((await study.trials()).length).toBe(2);
  });

  it('stops a trial: the heartbeat announces it and the next report answers STOP', async () => {
    const study = await client.createStudy({ displayName: 'stop', config: quadraticConfig() });
    const [trial] = (await study.suggest('stopper')).trials;
    const beat = await client.heartbeat({ parent: study, clientId: 'stopper' });
    expect(beat.trialNames).toEqual([trial.name]);
    expect(beat.leaseExpiresAt).toBeGreaterThan(Date.now() / 1000);
    expect((await client.stopTrial(trial)).state).toBe('STOPPING');
    const after = await client.heartbeat({ parent: study.name, trialName: trial.name });
    expect(after.stoppingTrialNames).toEqual([trial.name]);
    const r = await client.reportIntermediate({ name: trial, measurement: { step: 1, metrics: { loss: 1 } } });
    expect(r.decision).toBe('STOP');
  });

  it('lists studies page by page and deletes one (then NOT_FOUND)', async () => {
    for (const n of [1, 2, 3]) await client.createStudy({ displayName: `page-${n}`, config: quadraticConfig() });
    const first = await client.listStudies({ pageSize: 2 });
    expect(first.studies).toHaveLength(2);
    expect(first.nextPageToken).not.toBe('');
    const all = [];
    for await (const s of client.allStudies(2)) all.push(s.displayName);
    expect(all).toEqual(expect.arrayContaining(['page-1', 'page-2', 'page-3', 'methods']));
    expect(new Set(all).size).toBe(all.length);

    const victim = await client.getStudy((await client.createStudy({ displayName: 'victim', config: quadraticConfig() })).name);
    await victim.delete();
    const gone = (await client.getStudy(victim.name).catch((e: unknown) => e)) as HpoClientError;
    expect(gone.code).toBe('NOT_FOUND');
  });
});

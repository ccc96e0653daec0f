/** Regression tests for the numbered findings of issue 19 (Hardening), each named after its finding,
 *  against a real server on every backend (SQLite; PostgreSQL when HPO_TEST_PG_URL is set). */
import { ServerProcess, startServerProcess, createStudyClient, Status, statusOf, StudyClient, backends, measurement, quasiRandomConfig } from '@hpo/testing';
import * as path from 'node:path';
import { Metadata } from '@grpc/grpc-js';
import * as protobuf from 'protobufjs';

const PROTO_ROOT = path.resolve(__dirname, '../../../../proto');
const ONE_DOUBLE = [{ name: 'x', type: 'DOUBLE', minValue: 0, maxValue: 1 }];

describe.each(backends())('issue 19 findings on $name', ({ fresh }) => {
  let server: ServerProcess;
  let client: StudyClient;
  let serial = 0;
  const unique = (prefix: string) => `${prefix}-${serial++}`;

  beforeAll(async () => {
    server = await startServerProcess({
      ...fresh().env,
      HPO_QUOTAS: JSON.stringify({ defaults: { maxStudies: 0, maxActiveTrials: 0, requestsPerSecond: 0 } }),
    });
    client = createStudyClient(server.address);
  });

  afterAll(async () => {
    client?.close();
    const logs = server?.logs() ?? '';
    await server?.stop();
    expect(logs).not.toMatch(/unhandled error in RPC/);
  });

  it('finding 3, MEDIAN: a trial judged at a step before another curve began gets a decision, not INTERNAL', async () => {
    const study = await client.CreateStudy({
      displayName: unique('median'),
      config: quasiRandomConfig({ earlyStopping: { mode: 'MEDIAN', minSteps: 1, minTrials: 1 } }),
    });
    const [t1, t2] = (await client.SuggestTrials({ parent: study.name, count: 2, clientId: 'w' })).trials;
    expect((await client.ReportIntermediate({ name: t1.name, measurement: measurement(10, 0.9) })).decision).toBe('CONTINUE');
    const d = await client.ReportIntermediate({ name: t2.name, measurement: measurement(5, 0.1) });
    expect(d.decision).toBe('CONTINUE');
    expect(d.reason).toMatch(/0 other trials reached step 5/);
  });

  it('finding 3, FREEZE_THAW: a 1e308 report does not break the study; decisions fall back to CONTINUE with the cause, suggestions keep coming', async () => {
    const study = await client.CreateStudy({
      displayName: unique('freeze-thaw-1e308'),
      config: {
        parameters: ONE_DOUBLE,
        metrics: [{ name: 'loss', goal: 'MINIMIZE' }],
        algorithm: 'RANDOM_SEARCH',
        earlyStopping: { mode: 'FREEZE_THAW', maxStep: 10 },
      },
    });
    const loss = (step: number, value: number) => ({ step, metrics: [{ name: 'loss', value }], elapsedSeconds: step });
    const [a, b] = (await client.SuggestTrials({ parent: study.name, count: 2, clientId: 'w' })).trials;
    await client.ReportIntermediate({ name: a.name, measurement: loss(1, 1e308) });
    const decisions: Array<{ decision: string; reason: string }> = [];
    for (let step = 1; step <= 4; step++) decisions.push(await client.ReportIntermediate({ name: b.name, measurement: loss(step, 1 / step) }));
    for (const d of decisions) expect(['CONTINUE', 'PAUSE', 'STOP']).toContain(d.decision);
    // Whatever the model makes of the outlier, the study goes on: more trials, more reports, completion.
    const more = await client.SuggestTrials({ parent: study.name, count: 2, clientId: 'w2' });
    expect(more.trials).toHaveLength(2);
    for (const t of more.trials) {
      const d = await client.ReportIntermediate({ name: t.name, measurement: loss(1, 0.5) });
      expect(['CONTINUE', 'PAUSE', 'STOP']).toContain(d.decision);
    }
    const done = await client.CompleteTrial({ name: more.trials[0].name, finalMeasurement: loss(2, 0.4) });
    expect(done.state).toBe('SUCCEEDED');
    // A fallback, when one was used, says so and why.
    const fallbacks = decisions.filter((d) => d.reason.startsWith('fallback:'));
    for (const f of fallbacks) expect(f).toEqual({ decision: 'CONTINUE', reason: expect.stringMatching(/^fallback: FREEZE_THAW could not decide \(.+\); the trial continues$/) });
  });

  /** Sends `bytes` as the request of `method` (no client-side encoding). */
  function rawCall(method: string, bytes: Buffer): Promise<{ code: number; details: string }> {
    return new Promise((resolve) => {
      client.raw.makeUnaryRequest(
        `/hpo.v1.StudyService/${method}`,
        (b: Buffer) => b,
        (b: Buffer) => b,
        bytes,
        new Metadata(),
        { deadline: new Date(Date.now() + 10_000) },
        (err) => resolve(err ? { code: err.code, details: err.details } : { code: Status.OK, details: '' }),
      );
    });
  }

  it('finding 3, NUL: a NUL character in client_id, display_name or infeasible_reason is INVALID_ARGUMENT naming the field, and nothing is stored', async () => {
    const displayName = unique('nul');
    const created = await statusOf(client.CreateStudy({ displayName: `bad\u0000name`, config: quasiRandomConfig() }));
    expect(created).toEqual({ code: Status.INVALID_ARGUMENT, details: 'display_name: must not contain the NUL character (U+0000), which the database cannot store' });
    const study = await client.CreateStudy({ displayName, config: quasiRandomConfig() });
    expect(await statusOf(client.SuggestTrials({ parent: study.name, count: 1, clientId: 'w\u0000' }))).toMatchObject({ code: Status.INVALID_ARGUMENT, details: expect.stringMatching(/^client_id: must not contain the NUL/) });
    const [t] = (await client.SuggestTrials({ parent: study.name, count: 1, clientId: 'w' })).trials;
    expect(await statusOf(client.CompleteTrial({ name: t.name, infeasible: true, infeasibleReason: 'oom\u0000' }))).toMatchObject({
      code: Status.INVALID_ARGUMENT,
      details: expect.stringMatching(/^infeasible_reason: must not contain the NUL/),
    });
    expect(await statusOf(client.CreateStudy({ displayName: unique('nul-param'), config: quasiRandomConfig({ parameters: [{ name: 'x', type: 'CATEGORICAL', categories: ['a', 'b\u0000'] }] }) }))).toMatchObject({
      code: Status.INVALID_ARGUMENT,
      details: expect.stringMatching(/^config\.parameters\[0\]\.categories\[1\]: must not contain the NUL/),
    });
    expect((await client.GetTrial({ name: t.name })).state).toBe('ACTIVE');
    const names = (await client.ListStudies({ pageSize: 1000 })).studies.map((s: { displayName: string }) => s.displayName);
    expect(names.filter((n: string) => n.includes('\u0000'))).toEqual([]);
  });

  it('finding 3, undecodable bytes: a GetStudy body of 0xff and random garbage are INVALID_ARGUMENT, not INTERNAL', async () => {
    expect(await rawCall('GetStudy', Buffer.from('ff', 'hex'))).toMatchObject({ code: Status.INVALID_ARGUMENT, details: expect.stringMatching(/^request: the bytes are not a valid GetStudyRequest message/) });
    expect((await rawCall('CreateStudy', Buffer.from('0a05ffffffffff', 'hex'))).code).toBe(Status.INVALID_ARGUMENT);
    expect((await rawCall('SuggestTrials', Buffer.from([0x12, 0x80]))).code).toBe(Status.INVALID_ARGUMENT);
  });

  it('finding 3, nesting: conditional parameters nested 100 deep are INVALID_ARGUMENT, not INTERNAL "Error deserializing request"', async () => {
    let parameter: Record<string, unknown> = { name: 'p100', type: 'DOUBLE', minValue: 0, maxValue: 1 };
    for (let depth = 99; depth >= 1; depth--) {
      parameter = { name: `p${depth}`, type: 'CATEGORICAL', categories: ['a', 'b'], children: [{ parentCategories: ['a'], parameter }] };
    }
    // Encoded here with protobufjs's depth limit lifted (grpc-js clients refuse to send it).
    const root = new protobuf.Root();
    root.resolvePath = (_origin, target) => path.join(PROTO_ROOT, target);
    root.loadSync('hpo/v1/study_service.proto', { keepCase: false });
    const type = root.lookupType('hpo.v1.CreateStudyRequest');
    const limit = protobuf.util.recursionLimit;
    protobuf.util.recursionLimit = 1000;
    let bytes: Buffer;
    try {
      bytes = Buffer.from(type.encode(type.fromObject({ displayName: unique('deep'), config: quasiRandomConfig({ parameters: [parameter] }) })).finish());
    } finally {
      protobuf.util.recursionLimit = limit;
    }
    const a = await rawCall('CreateStudy', bytes);
    expect(a).toMatchObject({ code: Status.INVALID_ARGUMENT, details: expect.stringMatching(/^request: nested deeper than 100 messages/) });
  });

  const doubles = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `p${i}`, type: 'DOUBLE', minValue: 0, maxValue: 1 }));

  it('finding 2, one tenant stalls the whole server: 4,000 and 10,000 parameters are INVALID_ARGUMENT at once; 1,000 (the limit) is created without holding up anyone', async () => {
    for (const n of [4000, 10_000]) {
      const started = Date.now();
      const a = await statusOf(client.CreateStudy({ displayName: unique('huge'), config: { parameters: doubles(n), metrics: [{ name: 'y', goal: 'MAXIMIZE' }], algorithm: 'GP_BANDIT' } }));
      expect(a).toEqual({ code: Status.INVALID_ARGUMENT, details: `config.parameters: must have at most 1000 parameters per study, conditional children included (got ${n})` });
      expect(Date.now() - started).toBeLessThan(2000);
    }
    const bystander = await client.CreateStudy({ displayName: unique('bystander'), config: quasiRandomConfig() });
    const gets: number[] = [];
    let creating = true;
    const create = client
      .CreateStudy({ displayName: unique('wide'), config: { parameters: doubles(1000), metrics: [{ name: 'y', goal: 'MAXIMIZE' }], algorithm: 'GP_BANDIT' } })
      .then(async (study) => {
        const s = await client.SuggestTrials({ parent: study.name, count: 1, clientId: 'w' });
        creating = false;
        return s;
      });
    while (creating) {
      const t = Date.now();
      await client.GetStudy({ name: bystander.name });
      gets.push(Date.now() - t);
    }
    const suggested = await create;
    expect(suggested.trials[0].parameters).toHaveLength(1000);
    // The wide study's creation and first suggestion never held the event loop long: the bystander's
    // slowest GetStudy (on a shared 2-core box running other suites) stays well under a second.
    expect(Math.max(...gets)).toBeLessThan(1000);
  });

  it('finding 4, unbounded sizes: a 1 MB name and a 15 MB problem_description are INVALID_ARGUMENT naming field, limit and size, with no echo; ListStudies keeps working', async () => {
    const a = await statusOf(client.CreateStudy({ displayName: 'n'.repeat(1 << 20), config: quasiRandomConfig() }));
    expect(a).toEqual({ code: Status.INVALID_ARGUMENT, details: 'display_name: must be at most 256 characters (got 1048576)' });
    const b = await statusOf(client.CreateStudy({ displayName: unique('desc'), config: quasiRandomConfig({ problemDescription: 'd'.repeat(15_000_000) }) }));
    expect(b).toEqual({ code: Status.INVALID_ARGUMENT, details: 'config.problem_description: must be at most 16384 characters (got 15000000)' });
    const c = await statusOf(client.GetStudy({ name: 'studies/'.repeat(100_000) }));
    expect(c.code).toBe(Status.INVALID_ARGUMENT);
    expect(c.details.length).toBeLessThan(100);
    expect((await client.ListStudies({ pageSize: 1000 })).studies.length).toBeGreaterThan(0);
  });

  it('finding 4, steps beyond max_step: a report or an added trial past early_stopping.max_step is INVALID_ARGUMENT', async () => {
    const study = await client.CreateStudy({ displayName: unique('max-step'), config: quasiRandomConfig({ earlyStopping: { mode: 'MEDIAN', maxStep: 10 } }) });
    const [t] = (await client.SuggestTrials({ parent: study.name, count: 1, clientId: 'w' })).trials;
    expect(await statusOf(client.ReportIntermediate({ name: t.name, measurement: measurement(1_000_000, 0.5) }))).toEqual({
      code: Status.INVALID_ARGUMENT,
      details: "measurement.step: must be at most the study's early_stopping.max_step 10 (got 1000000)",
    });
    expect((await client.ReportIntermediate({ name: t.name, measurement: measurement(10, 0.5) })).decision).toBe('CONTINUE');
    const added = await statusOf(
      client.AddTrials({ parent: study.name, trials: [{ parameters: t.parameters, measurements: [measurement(11, 0.1)], finalMeasurement: measurement(11, 0.1) }] }),
    );
    expect(added).toMatchObject({ code: Status.INVALID_ARGUMENT, details: expect.stringMatching(/^trials\[0\]\.measurements\[0\]\.step: must be at most/) });
  });

  it('finding 4, listings stay sendable: a page ends early, with a token, before it outgrows a default client', async () => {
    const big = { parameters: Array.from({ length: 60 }, (_, i) => ({ name: `c${i}`, type: 'CATEGORICAL', categories: Array.from({ length: 1000 }, (_, k) => `category-${k}-${'x'.repeat(40)}`) })), metrics: [{ name: 'y', goal: 'MAXIMIZE' }], algorithm: 'RANDOM_SEARCH' };
    const tooBig = await statusOf(client.CreateStudy({ displayName: unique('too-big'), config: big }));
    expect(tooBig).toMatchObject({ code: Status.INVALID_ARGUMENT, details: expect.stringMatching(/^config: must be at most 1048576 bytes as stored \(got \d+\)$/) });
    const fits = { ...big, parameters: big.parameters.slice(0, 15) };
    for (let i = 0; i < 6; i++) await client.CreateStudy({ displayName: unique('large'), config: fits });
    let pages = 0;
    let token = '';
    let seen = 0;
    do {
      const page = await client.ListStudies({ pageSize: 1000, pageToken: token });
      seen += page.studies.length;
      token = page.nextPageToken;
      pages++;
    } while (token);
    expect(pages).toBeGreaterThan(1);
    expect(seen).toBeGreaterThanOrEqual(6);
  });

  it('finding 5, ownership: reports, completions and heartbeats that name a client other than the holder are FAILED_PRECONDITION naming the holder; without client_id they behave as before', async () => {
    const study = await client.CreateStudy({ displayName: unique('owner'), config: quasiRandomConfig() });
    const [t] = (await client.SuggestTrials({ parent: study.name, count: 1, clientId: 'w1' })).trials;
    const held = { code: Status.FAILED_PRECONDITION, details: `trial ${t.name} is held by client "w1", not "w2"` };
    expect(await statusOf(client.ReportIntermediate({ name: t.name, measurement: measurement(1, 0.5), clientId: 'w2' }))).toEqual(held);
    expect(await statusOf(client.CompleteTrial({ name: t.name, finalMeasurement: measurement(1, 0.5), clientId: 'w2' }))).toEqual(held);
    expect(await statusOf(client.CompleteTrial({ name: t.name, infeasible: true, infeasibleReason: 'x', clientId: 'w2' }))).toEqual(held);
    expect(await statusOf(client.Heartbeat({ parent: study.name, trialName: t.name, clientId: 'w2' }))).toEqual(held);
    expect((await client.GetTrial({ name: t.name })).measurements).toEqual([]);
    expect((await client.ReportIntermediate({ name: t.name, measurement: measurement(1, 0.5), clientId: 'w1' })).decision).toBe('CONTINUE');
    expect((await client.ReportIntermediate({ name: t.name, measurement: measurement(2, 0.6) })).decision).toBe('CONTINUE');
    expect((await client.Heartbeat({ parent: study.name, trialName: t.name, clientId: 'w1' })).trialNames).toEqual([t.name]);
    expect((await client.CompleteTrial({ name: t.name, finalMeasurement: measurement(2, 0.6), clientId: 'w1' })).state).toBe('SUCCEEDED');
    // A retried completion stays a no-op.
    expect((await client.CompleteTrial({ name: t.name, finalMeasurement: measurement(2, 0.6), clientId: 'w1' })).state).toBe('SUCCEEDED');
  });
});

/** Findings about several callers at once: on SQLite one replica, on PostgreSQL two replicas on one
 *  schema (callers alternate between them). */
describe.each(backends())('issue 19 races on $name', ({ name, fresh }) => {
  let replicas: ServerProcess[] = [];
  let clients: StudyClient[] = [];

  beforeAll(async () => {
    const backend = fresh();
    const env = { ...backend.env, HPO_QUOTAS: JSON.stringify({ defaults: { maxStudies: 0, maxActiveTrials: 200, requestsPerSecond: 0 } }) };
    replicas = [await startServerProcess(env)];
    if (name === 'postgres') replicas.push(await startServerProcess(env));
    clients = replicas.map((r) => createStudyClient(r.address));
  });

  afterAll(async () => {
    clients.forEach((c) => c.close());
    const logs = replicas.map((r) => r.logs()).join('');
    await Promise.all(replicas.map((r) => r.stop()));
    expect(logs).not.toMatch(/unhandled error in RPC/);
  });

  const on = (k: number) => clients[k % clients.length];

  it('finding 1, active-trial quota bypass: holders asking for 100 more each cannot take the tenant past its quota', async () => {
    const studies = await Promise.all([0, 1].map((k) => on(k).CreateStudy({ displayName: `quota-${k}`, config: quasiRandomConfig({ algorithm: 'RANDOM_SEARCH' }) })));
    // 20 holders with one trial each, spread over two studies, then fillers up to the quota.
    for (let k = 0; k < 20; k++) await on(k).SuggestTrials({ parent: studies[k % 2].name, count: 1, clientId: `holder-${k}` });
    for (let k = 0; k < 9; k++) await on(k).SuggestTrials({ parent: studies[k % 2].name, count: 20, clientId: `filler-${k}` });
    const active = async () => {
      let n = 0;
      for (const s of studies) n += (await on(0).GetStudy({ name: s.name })).trialCounts.active;
      return n;
    };
    expect(await active()).toBe(200);
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, k) => on(k).SuggestTrials({ parent: studies[k % 2].name, count: 100, clientId: `holder-${k}` }).catch((e: { code: number }) => e)),
    );
    for (const a of answers) expect((a as { trials: unknown[] }).trials).toHaveLength(1);
    expect(await active()).toBe(200);
    // A new client is refused with the retry hint; completing one trial frees exactly one slot.
    const refused = await statusOf(on(0).SuggestTrials({ parent: studies[0].name, count: 5, clientId: 'newcomer' }));
    expect(refused).toEqual({ code: Status.RESOURCE_EXHAUSTED, details: expect.stringMatching(/at most 200 active trials.*retry after 5 s/) });
    const held = (answers[0] as { trials: Array<{ name: string }> }).trials[0];
    await on(0).CompleteTrial({ name: held.name, finalMeasurement: measurement(1, 0.5) });
    const racing = await Promise.all(
      Array.from({ length: 8 }, (_, k) => on(k).SuggestTrials({ parent: studies[k % 2].name, count: 3, clientId: `racer-${k}` }).catch(() => ({ trials: [] }))),
    );
    expect(racing.reduce((n, r) => n + r.trials.length, 0)).toBe(1);
    expect(await active()).toBe(200);
    for (const s of studies) await on(0).DeleteStudy({ name: s.name });
  });

  it('finding 5, stale check: GRID_SEARCH never hands out one grid point twice, whatever the interleaving', async () => {
    const grid = await on(0).CreateStudy({
      displayName: 'grid-race',
      config: {
        parameters: [
          { name: 'a', type: 'INTEGER', minValue: 1, maxValue: 6 },
          { name: 'b', type: 'CATEGORICAL', categories: ['x', 'y', 'z'] },
        ],
        metrics: [{ name: 'accuracy', goal: 'MAXIMIZE' }],
        algorithm: 'GRID_SEARCH',
      },
    });
    const names = new Set<string>();
    await Promise.all(
      Array.from({ length: 12 }, async (_, k) => {
        for (let round = 0; round < 3; round++) {
          const { trials } = await on(k).SuggestTrials({ parent: grid.name, count: 1, clientId: `g-${k}-${round}` });
          for (const t of trials) {
            names.add(t.name);
            await on(k).CompleteTrial({ name: t.name, finalMeasurement: measurement(1, Math.random()) });
          }
        }
      }),
    );
    const all = (await on(0).ListTrials({ parent: grid.name, pageSize: 1000 })).trials;
    const keys = all.map((t: { parameters: Array<{ name: string; intValue?: number; stringValue?: string }> }) =>
      t.parameters.map((p) => `${p.name}=${p.intValue ?? p.stringValue}`).sort().join(','),
    );
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.length).toBeLessThanOrEqual(18);
  });
});

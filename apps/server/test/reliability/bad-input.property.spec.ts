/** Garbage in, against the real server: fast-check generates malformed StudyConfigs, parameter values,
 *  metrics (NaN, ±Infinity, huge), names, page tokens and oversized messages, sent over the raw wire
 *  (no SDK-side checks in between). Every answer is a clear status (never INTERNAL or UNKNOWN) with a
 *  message, a rejected call changes nothing, and the server keeps serving a bystander study. */
import fc from 'fast-check';
import { ServerProcess, startServerProcess, createStudyClient, Status, StudyClient, freshSqliteBackend, measurement, quasiRandomConfig } from '@hpo/testing';

type Answer = { code: string; details: string; value?: any };

async function answer(p: Promise<any>): Promise<Answer> {
  try {
    return { code: 'OK', details: '', value: await p };
  } catch (e) {
    const err = e as { code?: number; details?: string };
    return { code: Status[err.code ?? Status.UNKNOWN] ?? `CODE_${err.code}`, details: err.details ?? '' };
  }
}

function expectClear(a: Answer, allowed: string[]): void {
  expect(['INTERNAL', 'UNKNOWN']).not.toContain(a.code);
  expect(allowed).toContain(a.code);
  if (a.code !== 'OK') expect(a.details.length).toBeGreaterThan(5);
  if (a.code === 'INVALID_ARGUMENT') expect(a.details).toMatch(/\S+: \S/);
}

const RUNS = Number(process.env.HPO_PROPERTY_RUNS ?? 40);

// ---- generators ----

const nasty = fc.oneof(
  fc.constantFrom(NaN, Infinity, -Infinity, 1e308, -1e308, 0, -0, Number.MIN_VALUE, 2 ** 53 + 2, -1),
  fc.double(),
  fc.integer({ min: -1000, max: 1000 }),
);
const name = fc.oneof(
  fc.constantFrom('', ' ', 'x', 'lr', 'a'.repeat(300), 'ünï©ødé', '\u0000', 'studies/1', 'x.y', '../etc'),
  fc.string({ maxLength: 40 }),
);
const enumish = (values: string[]) => fc.oneof(fc.constantFrom(...values), fc.integer({ min: 0, max: 99 }));

const parameterSpec = fc.letrec((tie) => ({
  spec: fc.record(
    {
      name,
      type: enumish(['TYPE_UNSPECIFIED', 'DOUBLE', 'INTEGER', 'DISCRETE', 'CATEGORICAL']),
      minValue: nasty,
      maxValue: nasty,
      discreteValues: fc.array(nasty, { maxLength: 5 }),
      categories: fc.array(name, { maxLength: 5 }),
      scale: enumish(['SCALE_UNSPECIFIED', 'LINEAR', 'LOG']),
      children: fc.array(
        fc.record({ parentCategories: fc.array(name, { maxLength: 2 }), parentValues: fc.array(nasty, { maxLength: 2 }), parameter: tie('spec') }),
        { maxLength: 2 },
      ),
    },
    { requiredKeys: [] },
  ),
})).spec;

const studyConfig = fc.record(
  {
    parameters: fc.array(parameterSpec, { maxLength: 4 }),
    metrics: fc.array(fc.record({ name, goal: enumish(['GOAL_UNSPECIFIED', 'MAXIMIZE', 'MINIMIZE']) }), { maxLength: 3 }),
    algorithm: enumish(['ALGORITHM_UNSPECIFIED', 'GP_BANDIT', 'RANDOM_SEARCH', 'QUASI_RANDOM_SEARCH', 'GRID_SEARCH', 'LLM_GP_BANDIT']),
    earlyStopping: fc.record({ mode: enumish(['NONE', 'MEDIAN', 'FREEZE_THAW']), maxStep: fc.integer(), minSteps: fc.integer(), minTrials: fc.integer() }, { requiredKeys: [] }),
    maxTrials: fc.integer(),
    maxParallel: fc.integer(),
    seed: fc.oneof(fc.integer(), fc.constant(Number.MAX_SAFE_INTEGER)),
    leaseSeconds: nasty,
    gridResolution: fc.integer(),
    problemDescription: fc.string({ maxLength: 100 }),
  },
  { requiredKeys: [] },
);

const parameterValue = fc.oneof(
  fc.record({ name, doubleValue: nasty }),
  fc.record({ name, intValue: fc.oneof(fc.integer(), fc.constant(Number.MAX_SAFE_INTEGER)) }),
  fc.record({ name, stringValue: name }),
  fc.record({ name }),
);
const wireMeasurement = fc.record(
  {
    step: fc.oneof(fc.integer(), fc.constantFrom(-1, 0, Number.MAX_SAFE_INTEGER)),
    metrics: fc.array(fc.record({ name: fc.oneof(fc.constant('accuracy'), name), value: nasty }), { maxLength: 3 }),
    elapsedSeconds: nasty,
  },
  { requiredKeys: [] },
);

// ---- the suite ----

describe('bad input against the real server (property-based)', () => {
  let server: ServerProcess;
  let client: StudyClient;
  let bystanderClient: StudyClient;
  let bystander: { name: string };
  let target: { name: string };
  let serial = 0;

  beforeAll(async () => {
    server = await startServerProcess({
      ...freshSqliteBackend().env,
      HPO_MAX_MESSAGE_BYTES: String(256 * 1024),
      HPO_QUOTAS: JSON.stringify({ defaults: { maxStudies: 0, maxActiveTrials: 0, requestsPerSecond: 0 } }),
    });
    client = createStudyClient(server.address);
    bystanderClient = createStudyClient(server.address);
    bystander = await bystanderClient.CreateStudy({ displayName: 'bystander', config: quasiRandomConfig() });
    target = await client.CreateStudy({ displayName: 'target', config: quasiRandomConfig() });
  });

  afterEach(async () => {
    // The server still serves others.
    const s = await bystanderClient.SuggestTrials({ parent: bystander.name, count: 1, clientId: `bystander-${serial++}` });
    expect(s.trials).toHaveLength(1);
    await bystanderClient.CompleteTrial({ name: s.trials[0].name, finalMeasurement: measurement(1, 0.5) });
  });

  afterAll(async () => {
    client?.close();
    bystanderClient?.close();
    const logs = server?.logs() ?? '';
    await server?.stop();
    // No garbage reached the "unhandled error" path.
    expect(logs).not.toMatch(/unhandled error in RPC/);
  });

  it('malformed StudyConfigs and display names: OK or INVALID_ARGUMENT, and a rejected one creates nothing', async () => {
    await fc.assert(
      fc.asyncProperty(studyConfig, fc.oneof(name, fc.constant('')), async (config, displayName) => {
        const unique = `${displayName}#${serial++}`;
        const chosenName = displayName.length > 250 || displayName === '' ? displayName : unique;
        const a = await answer(client.CreateStudy({ displayName: chosenName, config }));
        expectClear(a, ['OK', 'INVALID_ARGUMENT']);
        const all = await client.ListStudies({ pageSize: 1000 });
        const found = all.studies.some((s: { displayName: string }) => s.displayName === chosenName);
        expect(found).toBe(a.code === 'OK');
        if (a.code === 'OK') await client.DeleteStudy({ name: a.value.name });
      }),
      { numRuns: RUNS * 3 },
    );
  });

  it('malformed parameter values and metrics in AddTrials: OK or INVALID_ARGUMENT, and a rejected call adds nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record(
            { parameters: fc.array(parameterValue, { maxLength: 5 }), finalMeasurement: wireMeasurement, state: enumish(['SUCCEEDED', 'INFEASIBLE', 'ACTIVE']) },
            { requiredKeys: [] },
          ),
          { maxLength: 3 },
        ),
        async (trials) => {
          const before = (await client.ListTrials({ parent: target.name, pageSize: 1000 })).trials.length;
          const a = await answer(client.AddTrials({ parent: target.name, trials }));
          expectClear(a, ['OK', 'INVALID_ARGUMENT']);
          const after = (await client.ListTrials({ parent: target.name, pageSize: 1000 })).trials.length;
          expect(after - before).toBe(a.code === 'OK' ? trials.length : 0);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('malformed measurements in ReportIntermediate and CompleteTrial: a clear code, and a rejected call leaves the trial as it was', async () => {
    await fc.assert(
      fc.asyncProperty(wireMeasurement, fc.boolean(), async (m, complete) => {
        const { trials } = await client.SuggestTrials({ parent: target.name, count: 1, clientId: `fuzz-${serial++}` });
        const trial = trials[0];
        const before = await client.GetTrial({ name: trial.name });
        const a = complete
          ? await answer(client.CompleteTrial({ name: trial.name, finalMeasurement: m }))
          : await answer(client.ReportIntermediate({ name: trial.name, measurement: m }));
        expectClear(a, ['OK', 'INVALID_ARGUMENT', 'FAILED_PRECONDITION']);
        const after = await client.GetTrial({ name: trial.name });
        if (a.code !== 'OK') expect(after).toEqual(before);
        for (const metric of (a.code === 'OK' ? m.metrics ?? [] : [])) expect(Number.isFinite(metric.value)).toBe(true);
        if (after.state === 'ACTIVE') await client.CompleteTrial({ name: trial.name, infeasible: true, infeasibleReason: 'fuzz' });
      }),
      { numRuns: RUNS },
    );
  });

  it('arbitrary names, page sizes and page tokens: OK, INVALID_ARGUMENT or NOT_FOUND, and nothing changes', async () => {
    const snapshot = async () => ({
      studies: (await client.ListStudies({ pageSize: 1000 })).studies.map((s: { name: string }) => s.name).sort(),
      target: (await client.GetStudy({ name: target.name })).trialCounts,
    });
    const before = await snapshot();
    const existing = new Set([target.name, bystander.name]);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(name, fc.constantFrom('studies/', 'studies/0', 'studies/-1', 'studies/99999999999999999999', 'studies/1/trials/x', 'studies/1/trials/0', 'studies/1/trials/1e3')),
        fc.oneof(fc.string({ maxLength: 60 }), fc.base64String({ maxLength: 80 }), fc.constantFrom('', 'eyJ9', 'AAAA')),
        fc.integer({ min: -5, max: 1e9 }),
        async (n, token, pageSize) => {
          const deletable = existing.has(n) ? 'studies/999999' : n;
          const calls: Array<Promise<any>> = [
            client.GetStudy({ name: n }),
            client.DeleteStudy({ name: deletable }),
            client.GetTrial({ name: n }),
            client.StopTrial({ name: `${n}/trials/1` }),
            client.FailTrial({ name: `${deletable}/trials/1`, reason: token, clientId: token }),
            client.ListTrials({ parent: n, pageSize, pageToken: token }),
            client.ListTrials({ parent: target.name, pageSize, pageToken: token }),
            client.ListStudies({ pageSize, pageToken: token }),
            client.Heartbeat({ parent: n, clientId: n }),
          ];
          for (const c of calls) expectClear(await answer(c), ['OK', 'INVALID_ARGUMENT', 'NOT_FOUND']);
        },
      ),
      { numRuns: RUNS },
    );
    expect(await snapshot()).toEqual(before);
  });

  it('oversized messages: RESOURCE_EXHAUSTED, nothing stored, and the server keeps serving', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 300 * 1024, max: 3 * 1024 * 1024 }), fc.boolean(), async (bytes, asTrials) => {
        const before = (await client.ListTrials({ parent: target.name, pageSize: 1000 })).trials.length;
        const a = asTrials
          ? await answer(
              client.AddTrials({
                parent: target.name,
                trials: Array.from({ length: Math.ceil(bytes / 1000) }, () => ({ parameters: [{ name: 'x'.repeat(900), doubleValue: 1 }], finalMeasurement: measurement(1, 1) })),
              }),
            )
          : await answer(client.CreateStudy({ displayName: `huge-${serial++}`, config: { ...quasiRandomConfig(), problemDescription: 'p'.repeat(bytes) } }));
        expectClear(a, ['RESOURCE_EXHAUSTED']);
        expect((await client.ListTrials({ parent: target.name, pageSize: 1000 })).trials.length).toBe(before);
      }),
      { numRuns: 6 },
    );
    const studies = (await client.ListStudies({ pageSize: 1000 })).studies.map((s: { displayName: string }) => s.displayName);
    expect(studies.filter((n: string) => n.startsWith('huge-'))).toEqual([]);
  });
});

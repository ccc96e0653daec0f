/** The fuzz suite of issue 19: fast-check sends hostile but well-formed requests for every RPC of
 *  hpo.v1.StudyService (names of other tenants' studies and trials, ids past 2^31, NUL and lone
 *  surrogates, strings at and past their limits, NaN/±Infinity/1e308, 1,000-parameter and 11-level
 *  spaces, count 100, AddTrials of 1,000 trials, every enum number) and raw undecodable bytes for every
 *  method, one call per case, from an "attacker" tenant against a real server, on SQLite and (with
 *  HPO_TEST_PG_URL) PostgreSQL. Every case asserts: no INTERNAL, UNKNOWN or any code a valid caller
 *  should never see, no call over its deadline; every 100 cases the server still answers; at the end
 *  another tenant's studies and trials read back byte-identical to before.
 *
 *  Runs: HPO_FUZZ_RUNS cases per backend (default 1,500); the seed is printed and HPO_FUZZ_SEED replays
 *  it (fast-check's own report adds the path of a failing case). */
import * as grpc from '@grpc/grpc-js';
import fc from 'fast-check';
import { createTenant, openStorage } from '../../src/admin';
import { backends, createStudyClient, loadHpoPackage, measurement, quasiRandomConfig, ServerProcess, startServerProcess, Status, StudyClient } from '@hpo/testing';

const RUNS = Number(process.env.HPO_FUZZ_RUNS ?? 1500);
const SEED = process.env.HPO_FUZZ_SEED !== undefined ? Number(process.env.HPO_FUZZ_SEED) : Date.now() % 2 ** 31;
/** Every call's deadline. A call that needs longer than this has held up its caller for too long. */
const DEADLINE_MS = 10_000;
/** Codes that a caller with a valid key never gets for any request: a server fault, a hung call, a lost
 *  connection, or an auth answer to an authenticated caller. */
const NEVER = new Set(['INTERNAL', 'UNKNOWN', 'DEADLINE_EXCEEDED', 'UNAVAILABLE', 'UNIMPLEMENTED', 'UNAUTHENTICATED', 'PERMISSION_DENIED', 'DATA_LOSS']);

const METHODS = [
  'CreateStudy', 'GetStudy', 'ListStudies', 'DeleteStudy', 'SuggestTrials', 'ReportIntermediate', 'CompleteTrial',
  'FailTrial', 'AddTrials', 'GetTrial', 'ListTrials', 'ListOptimalTrials', 'StopTrial', 'Heartbeat',
] as const;
type Method = (typeof METHODS)[number];

type Case = { method: Method; request: Record<string, unknown> } | { method: Method; bytes: Uint8Array };

interface Outcome {
  code: string;
  details: string;
  ms: number;
}

/** Calls by raw bytes (the request encoded here, or garbage), so both kinds take the same path and the
 *  answers of the victim's reads can be compared byte for byte. */
class RawClient {
  private readonly client: grpc.Client;
  private readonly service: grpc.ServiceDefinition;

  constructor(address: string, private readonly apiKey: string) {
    const pkg = loadHpoPackage();
    this.service = pkg.hpo.v1.StudyService.service;
    this.client = new grpc.Client(address, grpc.credentials.createInsecure());
  }

  encode(method: Method, request: Record<string, unknown>): Buffer {
    return this.service[method].requestSerialize(request);
  }

  call(method: Method, bytes: Uint8Array, deadlineMs = DEADLINE_MS): Promise<{ code: string; details: string; body?: Buffer; ms: number }> {
    const md = new grpc.Metadata();
    md.set('authorization', `Bearer ${this.apiKey}`);
    const started = performance.now();
    return new Promise((resolve) => {
      this.client.makeUnaryRequest(
        this.service[method].path,
        (b: Buffer) => b,
        (b: Buffer) => b,
        Buffer.from(bytes),
        md,
        { deadline: new Date(Date.now() + deadlineMs) },
        (err: grpc.ServiceError | null, body?: Buffer) => {
          const ms = performance.now() - started;
          if (err) resolve({ code: Status[err.code] ?? `CODE_${err.code}`, details: err.details ?? '', ms });
          else resolve({ code: 'OK', details: '', body, ms });
        },
      );
    });
  }

  close(): void {
    this.client.close();
  }
}

// ---- generators: values ----

const nasty = fc.oneof(
  fc.constantFrom(NaN, Infinity, -Infinity, 1e308, -1e308, 0, -0, Number.MIN_VALUE, 2 ** 53 + 2, -1, 1, 0.5, 1e-300),
  fc.double(),
  fc.integer({ min: -1000, max: 1000 }),
);
const bigInt = fc.oneof(
  fc.integer({ min: -5, max: 200 }),
  fc.constantFrom(2 ** 31 - 1, 2 ** 31, -(2 ** 31), 2 ** 53 - 1, -(2 ** 53 - 1), 1e12),
);
const int32 = fc.oneof(fc.integer({ min: -5, max: 200 }), fc.constantFrom(2 ** 31 - 1, -(2 ** 31), 1000, 1001, 10_000));
/** Strings a careless or hostile caller sends: empty, NUL, lone surrogates, markup, SQL, path tricks,
 *  and lengths at and just past the limits (256 for names, 1,024 default, 4,096 reasons, 16,384). */
const hostileText = fc.oneof(
  fc.constantFrom('', ' ', '\u0000', 'a\u0000b', '\uD800', '\uDFFF\uD800', 'ünï©ødé 🙂', '../../etc/passwd', "'; drop table studies; --", '%s%n%x', '<script>', 'studies/1', '\n\r\t'),
  fc.string({ maxLength: 8, unit: 'binary' }),
  fc.constantFrom(255, 256, 257, 1024, 1025, 4096, 4097, 16_384, 16_385).map((n) => 'z'.repeat(n)),
);
const text = fc.oneof({ weight: 2, arbitrary: fc.string({ minLength: 1, maxLength: 24 }) }, { weight: 1, arbitrary: hostileText });
const enumOf = (names: string[]) => fc.oneof(fc.constantFrom(...names), fc.integer({ min: 0, max: 12 }), fc.constant(2 ** 31 - 1));

// ---- generators: messages ----

const parameterSpec = fc.letrec((tie) => ({
  spec: fc.record(
    {
      name: fc.oneof(fc.constantFrom('x', 'y', 'lr', 'layers', 'opt'), text),
      type: enumOf(['TYPE_UNSPECIFIED', 'DOUBLE', 'INTEGER', 'DISCRETE', 'CATEGORICAL']),
      minValue: nasty,
      maxValue: nasty,
      discreteValues: fc.array(nasty, { maxLength: 4 }),
      categories: fc.array(text, { maxLength: 4 }),
      scale: enumOf(['SCALE_UNSPECIFIED', 'LINEAR', 'LOG']),
      children: fc.array(fc.record({ parentCategories: fc.array(text, { maxLength: 2 }), parentValues: fc.array(nasty, { maxLength: 2 }), parameter: tie('spec') }), { maxLength: 2 }),
    },
    { requiredKeys: [] },
  ),
})).spec;

/** Valid spaces at and past the size limits: n DOUBLE parameters, or a chain of conditional levels. */
function wideSpace(n: number): unknown[] {
  return Array.from({ length: n }, (_, i) => ({ name: `p${i}`, type: 'DOUBLE', minValue: 0, maxValue: 1 }));
}
const WIDE = new Map([200, 999, 1000, 1001].map((n) => [n, wideSpace(n)]));
function deepSpace(levels: number): unknown[] {
  let spec: Record<string, unknown> = { name: `d${levels}`, type: 'DOUBLE', minValue: 0, maxValue: 1 };
  for (let l = levels - 1; l >= 1; l--) {
    spec = { name: `d${l}`, type: 'CATEGORICAL', categories: ['a', 'b'], children: [{ parentCategories: ['a'], parameter: spec }] };
  }
  return [spec];
}
const parameters = fc.oneof(
  { weight: 6, arbitrary: fc.array(parameterSpec, { maxLength: 4 }) },
  { weight: 1, arbitrary: fc.constantFrom(200, 999, 1000, 1001).map((n) => WIDE.get(n)!) },
  { weight: 1, arbitrary: fc.constantFrom(2, 10, 11, 12).map(deepSpace) },
);

const studyConfig = fc.record(
  {
    parameters,
    metrics: fc.array(fc.record({ name: fc.oneof(fc.constantFrom('accuracy', 'loss'), text), goal: enumOf(['GOAL_UNSPECIFIED', 'MAXIMIZE', 'MINIMIZE']) }), { maxLength: 3 }),
    algorithm: enumOf(['ALGORITHM_UNSPECIFIED', 'GP_BANDIT', 'RANDOM_SEARCH', 'QUASI_RANDOM_SEARCH', 'GRID_SEARCH', 'LLM_GP_BANDIT']),
    acquisition: enumOf(['ACQUISITION_UNSPECIFIED', 'LOG_EI', 'EI', 'UCB', 'PI']),
    earlyStopping: fc.record(
      { mode: enumOf(['MODE_UNSPECIFIED', 'NONE', 'MEDIAN', 'FREEZE_THAW', 'ASHA', 'HYPERBAND']), maxStep: bigInt, minSteps: int32, minTrials: int32, maxStepsTotal: bigInt },
      { requiredKeys: [] },
    ),
    llm: fc.record(
      {
        enabled: fc.boolean(),
        provider: enumOf(['PROVIDER_UNSPECIFIED', 'OPENAI_COMPATIBLE', 'LOCAL_GGUF']),
        model: text,
        baseUrl: fc.oneof(text, fc.constantFrom('http://127.0.0.1:1/v1', 'http://169.254.169.254/latest', 'file:///etc/passwd')),
        warmStart: fc.boolean(),
        candidateSampling: fc.boolean(),
        maxTokensTotal: bigInt,
        timeoutSeconds: nasty,
        warmStartTrials: int32,
      },
      { requiredKeys: [] },
    ),
    problemDescription: text,
    maxTrials: int32,
    maxParallel: int32,
    seed: bigInt,
    leaseSeconds: nasty,
    gridResolution: int32,
  },
  { requiredKeys: ['parameters', 'metrics'] },
);

/** Configs that pass validation, some of them as large as the limits allow, so that the calls after
 *  them (suggestions, reports) run on hostile-but-accepted studies too. */
const validConfig = fc
  .record({
    algorithm: fc.constantFrom('GP_BANDIT', 'RANDOM_SEARCH', 'QUASI_RANDOM_SEARCH', 'GRID_SEARCH'),
    earlyStopping: fc.constantFrom({ mode: 'NONE' }, { mode: 'MEDIAN', minSteps: 1, minTrials: 1 }, { mode: 'FREEZE_THAW', maxStep: 20 }, { mode: 'ASHA', maxStep: 27 }),
    space: fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom(200, 1000).map((n) => WIDE.get(n)!) }, { weight: 1, arbitrary: fc.constant(deepSpace(10)) }),
    maxTrials: fc.constantFrom(0, 1, 5, 1000),
    maxParallel: fc.constantFrom(0, 1, 3),
    leaseSeconds: fc.constantFrom(1, 5, 60),
    problemDescription: fc.constantFrom('', 'p'.repeat(16_384)),
  })
  .map(({ space, algorithm, ...rest }) =>
    quasiRandomConfig({ ...rest, algorithm: space && algorithm === 'GRID_SEARCH' ? 'RANDOM_SEARCH' : algorithm, ...(space ? { parameters: space } : {}), gridResolution: 3 }),
  );

const hostileMeasurement = fc.record(
  {
    step: fc.oneof(bigInt, fc.integer({ min: 0, max: 60 })),
    metrics: fc.array(fc.record({ name: fc.oneof(fc.constantFrom('accuracy', 'loss'), text), value: nasty }), { maxLength: 3 }),
    elapsedSeconds: nasty,
  },
  { requiredKeys: [] },
);
const wireMeasurement = fc.oneof(
  { weight: 1, arbitrary: hostileMeasurement },
  { weight: 2, arbitrary:
  fc.tuple(fc.integer({ min: 0, max: 60 }), fc.oneof(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.constantFrom(1e308, -1e308, 0))).map(([step, v]) => measurement(step, v)) },
);

const parameterValue = fc.oneof(
  fc.record({ name: fc.constantFrom('learning_rate', 'layers', 'optimizer', 'momentum', 'x'), doubleValue: nasty }),
  fc.record({ name: fc.constantFrom('layers', 'x'), intValue: bigInt }),
  fc.record({ name: fc.constantFrom('optimizer', 'x'), stringValue: fc.oneof(fc.constantFrom('sgd', 'adam'), text) }),
  fc.record({ name: text }),
);
const wireTrial = fc.record(
  {
    parameters: fc.array(parameterValue, { maxLength: 5 }),
    finalMeasurement: wireMeasurement,
    measurements: fc.array(wireMeasurement, { maxLength: 3 }),
    state: enumOf(['STATE_UNSPECIFIED', 'REQUESTED', 'ACTIVE', 'PAUSED', 'STOPPING', 'SUCCEEDED', 'INFEASIBLE', 'FAILED', 'EARLY_STOPPED']),
    clientId: text,
    infeasibleReason: text,
    note: text,
    name: text,
    id: bigInt,
  },
  { requiredKeys: [] },
);
/** Many valid trials at once (AddTrials' limit is 1,000). */
const manyTrials = fc.constantFrom(999, 1000, 1001).map((n) =>
  Array.from({ length: n }, (_, i) => ({
    parameters: [
      { name: 'learning_rate', doubleValue: 1e-3 },
      { name: 'layers', intValue: 1 + (i % 4) },
      { name: 'optimizer', stringValue: 'adam' },
    ],
    finalMeasurement: measurement(1, (i % 97) / 97),
  })),
);

/** A CreateStudyRequest whose space nests `levels` deep, encoded by hand (protobufjs refuses to encode
 *  past its own nesting limit; a hostile client has no such scruple). Built once per depth. */
const deepBytes = new Map<number, Uint8Array>();
function deepCreateStudyBytes(levels: number): Uint8Array {
  const known = deepBytes.get(levels);
  if (known) return known;
  const varint = (n: number): Buffer => {
    const out: number[] = [];
    for (; n > 127; n >>>= 7) out.push((n & 127) | 128);
    out.push(n);
    return Buffer.from(out);
  };
  const field = (no: number, ...body: Buffer[]): Buffer => {
    const b = Buffer.concat(body);
    return Buffer.concat([varint((no << 3) | 2), varint(b.length), b]);
  };
  const str = (no: number, s: string): Buffer => field(no, Buffer.from(s));
  // ParameterSpec { name = 1; type = 2 (DOUBLE 1, CATEGORICAL 4); max_value = 4 (1.0); categories = 6; children = 8 }
  let spec = Buffer.concat([str(1, `d${levels}`), Buffer.from([0x10, 1, 0x21, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f])]);
  for (let l = levels - 1; l >= 1; l--) {
    const child = field(8, str(1, 'a'), field(3, spec)); // ConditionalParameter { parent_categories = 1; parameter = 3 }
    spec = Buffer.concat([str(1, `d${l}`), Buffer.from([0x10, 4]), str(6, 'a'), str(6, 'b'), child]);
  }
  const config = Buffer.concat([field(1, spec), field(2, str(1, 'loss'), Buffer.from([0x10, 2]))]);
  const bytes = Buffer.concat([str(1, `deep-${levels}`), field(2, config)]);
  deepBytes.set(levels, bytes);
  return bytes;
}

/** Raw request bodies: random bytes, and the classic malformed protobuf encodings. */
const garbage = fc.oneof(
  fc.uint8Array({ maxLength: 64 }),
  fc.constantFrom(
    [0xff],
    [0x0a, 0xff],
    [0x0a, 0x05, 0x61],
    [0x08, 0x80],
    [0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01],
    [0x0b],
    [0x0f, 0x00],
    [0x12, 0x02, 0x0a, 0xff],
    [0x0a, 0x02, 0xc3, 0x28],
    [0x00],
  ).map((b) => Uint8Array.from(b)),
);

/** Page tokens in the server's own format with keys no listing returns. */
const forgedToken = fc
  .tuple(fc.constantFrom('studies', 'trials/3', 'trials/4'), fc.constantFrom(-1, 0, 2 ** 31, 2 ** 40, 2 ** 53 - 1, 1.5))
  .map(([kind, key]) => Buffer.from(JSON.stringify({ kind, filter: '', key })).toString('base64url'));

interface Targets {
  ownStudies: string[];
  /** Study ids above this one are the fuzz's own creations (fair game for DeleteStudy). */
  lastSetUpId: number;
  victimStudies: string[];
  victimTrials: string[];
}

function cases(t: Targets): fc.Arbitrary<Case> {
  const studyRef = fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom(...t.ownStudies) },
    // The fuzz's own creations (ids follow the set-up's).
    { weight: 3, arbitrary: fc.integer({ min: t.lastSetUpId + 1, max: t.lastSetUpId + 60 }).map((n) => `studies/${n}`) },
    { weight: 2, arbitrary: fc.constantFrom(...t.victimStudies) },
    { weight: 1, arbitrary: fc.oneof(bigInt, fc.integer({ min: 0, max: 40 })).map((n) => `studies/${n}`) },
    { weight: 1, arbitrary: fc.oneof(hostileText, fc.constantFrom('studies/', 'studies/1/', 'studies/01', 'studies/1e3', 'studies/-1', 'studies/0x10', 'Studies/1')) },
  );
  const trialRef = fc.oneof(
    { weight: 6, arbitrary: fc.tuple(fc.constantFrom(...t.ownStudies), fc.integer({ min: 1, max: 12 })).map(([s, id]) => `${s}/trials/${id}`) },
    { weight: 4, arbitrary: fc.tuple(studyRef, fc.oneof(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 30 }), fc.constantFrom(2 ** 31, 2 ** 53, -1), fc.constantFrom('x', '1e3', '', '01'))).map(([s, id]) => `${s}/trials/${id}`) },
    { weight: 2, arbitrary: fc.constantFrom(...t.victimTrials) },
    { weight: 1, arbitrary: hostileText },
  );
  const clientId = fc.oneof({ weight: 6, arbitrary: fc.constantFrom('w1', 'w2', 'w3', 'victim-worker') }, { weight: 1, arbitrary: hostileText });
  const pageToken = fc.oneof({ weight: 3, arbitrary: fc.constant('') }, { weight: 1, arbitrary: fc.oneof(text, fc.base64String({ maxLength: 60 }), fc.constantFrom('eyJ9', 'AAAA', 'eyJiZWZvcmUiOi0xfQ=='), forgedToken) });
  const pageSize = fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 0, max: 100 }) }, { weight: 1, arbitrary: int32 });
  const requests: Record<Method, fc.Arbitrary<Record<string, unknown>>> = {
    CreateStudy: fc.record(
      { displayName: fc.oneof(text, fc.constantFrom('pool-0', 'victim-a')), config: fc.oneof(studyConfig, validConfig), ifExists: enumOf(['IF_EXISTS_UNSPECIFIED', 'FAIL', 'RETURN_EXISTING']) },
      { requiredKeys: ['displayName', 'config'] },
    ),
    GetStudy: fc.record({ name: studyRef }),
    ListStudies: fc.record({ pageSize, pageToken }, { requiredKeys: [] }),
    DeleteStudy: fc.record({ name: fc.oneof(fc.constantFrom(...t.victimStudies), fc.integer({ min: t.lastSetUpId + 1, max: t.lastSetUpId + 300 }).map((n) => `studies/${n}`), text) }),
    SuggestTrials: fc.record({ parent: studyRef, count: fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 1, max: 5 }) }, { weight: 1, arbitrary: fc.constantFrom(-2, 0, 99, 100, 101, 2 ** 31 - 1) }), clientId }, { requiredKeys: ['parent', 'clientId'] }),
    ReportIntermediate: fc.record({ name: trialRef, measurement: wireMeasurement, clientId }, { requiredKeys: ['name', 'measurement'] }),
    CompleteTrial: fc.record({ name: trialRef, finalMeasurement: wireMeasurement, infeasible: fc.boolean(), infeasibleReason: text, clientId }, { requiredKeys: ['name'] }),
    FailTrial: fc.record({ name: trialRef, reason: text, clientId }, { requiredKeys: [] }),
    AddTrials: fc.record({ parent: studyRef, trials: fc.oneof({ weight: 8, arbitrary: fc.array(wireTrial, { maxLength: 3 }) }, { weight: 1, arbitrary: manyTrials }) }, { requiredKeys: [] }),
    GetTrial: fc.record({ name: trialRef }),
    ListTrials: fc.record({ parent: studyRef, pageSize, pageToken, states: fc.array(enumOf(['STATE_UNSPECIFIED', 'ACTIVE', 'SUCCEEDED', 'PAUSED']), { maxLength: 3 }) }, { requiredKeys: [] }),
    ListOptimalTrials: fc.record({ parent: studyRef }),
    StopTrial: fc.record({ name: trialRef }),
    Heartbeat: fc.record({ parent: studyRef, clientId, trialName: fc.oneof(fc.constant(''), trialRef) }, { requiredKeys: [] }),
  };
  const wellFormed = fc.oneof(...METHODS.map((method) => requests[method].map((request): Case => ({ method, request }))));
  const raw = fc.tuple(fc.constantFrom(...METHODS), garbage).map(([method, bytes]): Case => ({ method, bytes }));
  const deep = fc.constantFrom(11, 12, 100, 1000).map((levels): Case => ({ method: 'CreateStudy', bytes: deepCreateStudyBytes(levels) }));
  return fc.oneof({ weight: 18, arbitrary: wellFormed }, { weight: 2, arbitrary: raw }, { weight: 1, arbitrary: deep });
}

/** The attacker's own studies: every algorithm and early-stopping mode, short leases so its trials
 *  churn. */
function poolConfigs(): Array<Record<string, unknown>> {
  const lease = { leaseSeconds: 30 };
  return [
    quasiRandomConfig({ ...lease }),
    quasiRandomConfig({ ...lease, algorithm: 'RANDOM_SEARCH' }),
    quasiRandomConfig({ ...lease, algorithm: 'GRID_SEARCH', gridResolution: 3 }),
    quasiRandomConfig({ ...lease, algorithm: 'GP_BANDIT' }),
    quasiRandomConfig({ ...lease, algorithm: 'GP_BANDIT', earlyStopping: { mode: 'MEDIAN', minSteps: 1, minTrials: 1 } }),
    quasiRandomConfig({ ...lease, algorithm: 'GP_BANDIT', earlyStopping: { mode: 'FREEZE_THAW', maxStep: 30 } }),
    quasiRandomConfig({ ...lease, algorithm: 'RANDOM_SEARCH', earlyStopping: { mode: 'ASHA', maxStep: 27 } }),
    quasiRandomConfig({ ...lease, algorithm: 'RANDOM_SEARCH', earlyStopping: { mode: 'HYPERBAND', maxStep: 27 }, maxTrials: 40 }),
  ];
}

describe.each(backends())('fuzz: hostile requests for every RPC on $name', ({ name: backendName, fresh }) => {
  let server: ServerProcess;
  let attacker: RawClient;
  let victim: StudyClient;
  let victimRaw: RawClient;
  let targets: Targets;

  /** Every read of the victim's data, as the bytes the server sends. */
  async function victimSnapshot(): Promise<string[]> {
    const reads: Array<[Method, Record<string, unknown>]> = [['ListStudies', { pageSize: 100 }]];
    for (const s of targets.victimStudies) {
      reads.push(['GetStudy', { name: s }], ['ListTrials', { parent: s, pageSize: 1000 }], ['ListOptimalTrials', { parent: s }]);
    }
    for (const t of targets.victimTrials) reads.push(['GetTrial', { name: t }]);
    const out: string[] = [];
    for (const [method, request] of reads) {
      const a = await victimRaw.call(method, victimRaw.encode(method, request));
      out.push(`${method} ${JSON.stringify(request)} ${a.code} ${a.body?.toString('base64') ?? a.details}`);
    }
    return out;
  }

  beforeAll(async () => {
    const backend = fresh();
    const storage = await openStorage(backend.storageOptions);
    let keys: { attacker: string; victim: string };
    try {
      keys = { attacker: (await createTenant(storage, 'attacker')).apiKey, victim: (await createTenant(storage, 'victim')).apiKey };
    } finally {
      await storage.close();
    }
    server = await startServerProcess({
      ...backend.env,
      HPO_LEASE_CHECK_INTERVAL_MS: '1000',
      // The attacker meets its quotas during the run (answers RESOURCE_EXHAUSTED, which is fine).
      HPO_QUOTAS: JSON.stringify({ tenants: { attacker: { maxStudies: 60, maxActiveTrials: 300 } } }),
    });
    victim = createStudyClient(server.address, keys.victim);
    victimRaw = new RawClient(server.address, keys.victim);
    attacker = new RawClient(server.address, keys.attacker);

    // The victim's studies: finished, infeasible and added trials with curves, and one held ACTIVE.
    const victimStudies: string[] = [];
    const victimTrials: string[] = [];
    for (const [i, algorithm] of ['QUASI_RANDOM_SEARCH', 'GP_BANDIT'].entries()) {
      const study = await victim.CreateStudy({ displayName: `victim-${'ab'[i]}`, config: quasiRandomConfig({ algorithm, leaseSeconds: 86_400 }) });
      victimStudies.push(study.name);
      const { trials } = await victim.SuggestTrials({ parent: study.name, count: 4, clientId: 'victim-worker' });
      for (const [k, trial] of trials.entries()) {
        victimTrials.push(trial.name);
        await victim.ReportIntermediate({ name: trial.name, measurement: measurement(1, 0.1 * k), clientId: 'victim-worker' });
        if (k === 0) await victim.CompleteTrial({ name: trial.name, infeasible: true, infeasibleReason: 'diverged', clientId: 'victim-worker' });
        else if (k < 3) await victim.CompleteTrial({ name: trial.name, finalMeasurement: measurement(2, 0.2 * k), clientId: 'victim-worker' });
      }
      const added = await victim.AddTrials({ parent: study.name, trials: [{ parameters: trials[1].parameters, finalMeasurement: measurement(1, 0.9) }] });
      victimTrials.push(added.trials[0].name);
    }
    const ownStudies: string[] = [];
    const pool = createStudyClient(server.address, keys.attacker);
    for (const [i, config] of poolConfigs().entries()) ownStudies.push((await pool.CreateStudy({ displayName: `pool-${i}`, config })).name);
    // Trials held by the workers the fuzz impersonates, so reports and completions reach live trials.
    for (const study of ownStudies) for (const clientId of ['w1', 'w2', 'w3']) await pool.SuggestTrials({ parent: study, count: 2, clientId });
    pool.close();
    const lastSetUpId = Math.max(...[...ownStudies, ...victimStudies].map((s) => Number(s.split('/')[1])));
    targets = { ownStudies, lastSetUpId, victimStudies, victimTrials };
  }, 120_000);

  afterAll(async () => {
    attacker?.close();
    victimRaw?.close();
    victim?.close();
    await server?.stop();
  });

  it('ids past 32 bits and forged page tokens are INVALID_ARGUMENT (PostgreSQL answered INTERNAL)', async () => {
    const study = targets.ownStudies[0];
    const calls: Array<[Method, Record<string, unknown>]> = [
      ['GetStudy', { name: 'studies/2147483648' }],
      ['GetTrial', { name: `${study}/trials/2147483648` }],
      ['CompleteTrial', { name: `${study}/trials/9007199254740991`, infeasible: true }],
      ['ListStudies', { pageToken: Buffer.from(JSON.stringify({ kind: 'studies', filter: '', key: 2 ** 40 })).toString('base64url') }],
      ['ListTrials', { parent: study, pageToken: Buffer.from(JSON.stringify({ kind: `trials/${study.split('/')[1]}`, filter: '', key: 2 ** 31 })).toString('base64url') }],
    ];
    for (const [method, request] of calls) {
      const a = await attacker.call(method, attacker.encode(method, request));
      expect({ method, code: a.code }).toEqual({ method, code: 'INVALID_ARGUMENT' });
    }
  });

  it(`answers ${RUNS} hostile requests with defined codes in time, stays up, and leaves the other tenant byte-identical`, async () => {
    const before = await victimSnapshot();
    const codes = new Map<string, number>();
    let slowest = { ms: 0, what: '' };
    let n = 0;
    const started = performance.now();
    console.log(`fuzz on ${backendName}: seed ${SEED} (replay with HPO_FUZZ_SEED=${SEED}), ${RUNS} cases`);
    await fc.assert(
      fc.asyncProperty(cases(targets), async (c) => {
        const bytes = 'bytes' in c ? c.bytes : attacker.encode(c.method, c.request);
        const a: Outcome = await attacker.call(c.method, bytes);
        const key = `${c.method}${'bytes' in c ? '(raw)' : ''} ${a.code}`;
        codes.set(key, (codes.get(key) ?? 0) + 1);
        if (process.env.HPO_FUZZ_PROGRESS && a.code !== 'OK' && (codes.get(key) ?? 0) <= 4) console.log(`${key}: ${a.details.slice(0, 200)}`);
        if (a.ms > slowest.ms) slowest = { ms: a.ms, what: key };
        const what = `${c.method} ${'bytes' in c ? `raw ${Buffer.from(c.bytes).toString('hex')}` : JSON.stringify(c.request).slice(0, 300)}`;
        expect({ what, code: a.code, never: NEVER.has(a.code) }).toEqual({ what, code: a.code, never: false });
        expect({ what, ms: a.ms < DEADLINE_MS }).toEqual({ what, ms: true });
        // Messages are short and say something (never the whole input echoed back).
        if (a.code !== 'OK') expect(a.details.length).toBeGreaterThan(5);
        expect(a.details.length).toBeLessThanOrEqual(1024);
        if (++n % 100 === 0) {
          if (process.env.HPO_FUZZ_PROGRESS) console.log(`${n} cases, ${((performance.now() - started) / 1000).toFixed(1)} s`);
          const alive = await victimRaw.call('ListStudies', victimRaw.encode('ListStudies', {}), 5_000);
          expect(alive.code).toBe('OK');
        }
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    const seconds = (performance.now() - started) / 1000;
    const summary = [...codes.entries()].sort().map(([k, v]) => `  ${k}: ${v}`).join('\n');
    console.log(`fuzz on ${backendName}: ${n} cases in ${seconds.toFixed(1)} s (seed ${SEED}); slowest ${slowest.ms.toFixed(0)} ms (${slowest.what})\n${summary}`);

    expect(server.child.exitCode).toBeNull();
    expect(await victimSnapshot()).toEqual(before);
    expect(server.logs()).not.toMatch(/unhandled error in RPC/);
  }, 600_000);
});

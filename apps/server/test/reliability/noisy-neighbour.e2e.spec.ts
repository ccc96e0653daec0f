/** No tenant can stall another (issue 19, finding 2): a bystander tenant runs an ordinary worker loop
 *  (GetStudy, SuggestTrials, 3 x ReportIntermediate, CompleteTrial on a small GP_BANDIT study) for a
 *  while alone, then again while an abusive tenant on the same server keeps creating studies with 1,000
 *  parameters and 16 KiB descriptions (up to 200), asks SuggestTrials count=100 on four of them from four
 *  callers without pause, and holds 100 idle connections. Both runs' latencies are printed.
 *
 *  The bounds, for 2 CPU cores shared with the abuser (and with other suites in CI): the bystander's
 *  median per RPC under abuse stays under 3 s, and its p99 (in practice its slowest call: a phase has
 *  only a few dozen) within the SDKs' 30 s deadline: no bystander call times out, where issue 19 saw
 *  every call from anyone time out. Alone, the median is 10-100 ms. This p99 bound is weak on purpose
 *  and says what is left: on a loaded machine one bystander call in a phase can still take 2-20 s,
 *  because the abuser's main-thread work is linear in count x parameters (about 1.5 s of CPU per
 *  count=100 call on a 1,000-parameter space: validation, keys, rows, wire mapping, and the garbage
 *  collection of 100,000 values) and runs on the event loop. Queues are no longer the cause: policy
 *  threads are shared fairly between tenants (fair-queue.ts) and SQLite reads have their own
 *  connection. */
import { createTenant, openStorage } from '../../src/admin';
import { backends, createStudyClient, measurement, ServerProcess, startServerProcess, StudyClient } from '@hpo/testing';

const MEDIAN_BOUND_MS = 3000;
const P99_BOUND_MS = 30_000;
const PHASE_MS = Number(process.env.HPO_NOISY_PHASE_MS ?? 10_000);

const SMALL_GP = {
  parameters: [
    { name: 'x', type: 'DOUBLE', minValue: 0, maxValue: 1 },
    { name: 'y', type: 'DOUBLE', minValue: 0, maxValue: 1 },
    { name: 'k', type: 'INTEGER', minValue: 1, maxValue: 8 },
  ],
  metrics: [{ name: 'loss', goal: 'MINIMIZE' }],
  algorithm: 'GP_BANDIT',
};

function hugeConfig(): Record<string, unknown> {
  return {
    parameters: Array.from({ length: 1000 }, (_, i) => ({ name: `p${i}`, type: 'DOUBLE', minValue: 0, maxValue: 1 })),
    metrics: [{ name: 'loss', goal: 'MINIMIZE' }],
    algorithm: 'GP_BANDIT',
    problemDescription: 'd'.repeat(16_384),
  };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

type Latencies = Record<string, number[]>;

function summary(l: Latencies): Record<string, { n: number; p50: number; p99: number; max: number }> {
  const out: Record<string, { n: number; p50: number; p99: number; max: number }> = {};
  for (const [rpc, values] of Object.entries(l)) {
    const s = [...values].sort((a, b) => a - b);
    out[rpc] = { n: s.length, p50: Math.round(percentile(s, 50)), p99: Math.round(percentile(s, 99)), max: Math.round(s[s.length - 1]) };
  }
  return out;
}

/** The bystander's worker loop for `ms`: one trial at a time, three reports each, then complete. */
async function bystanderLoop(client: StudyClient, study: string, ms: number, tag: string): Promise<Latencies> {
  const latencies: Latencies = { GetStudy: [], SuggestTrials: [], ReportIntermediate: [], CompleteTrial: [] };
  const timed = async <T>(rpc: string, call: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    const r = await call();
    latencies[rpc].push(performance.now() - t0);
    return r;
  };
  const end = Date.now() + ms;
  let i = 0;
  while (Date.now() < end) {
    await timed('GetStudy', () => client.GetStudy({ name: study }));
    const { trials } = await timed('SuggestTrials', () => client.SuggestTrials({ parent: study, count: 1, clientId: `${tag}-${i}` }));
    const trial = trials[0];
    for (let step = 1; step <= 3; step++) {
      await timed('ReportIntermediate', () => client.ReportIntermediate({ name: trial.name, measurement: { step, metrics: [{ name: 'loss', value: 1 / step + i }] }, clientId: `${tag}-${i}` }));
    }
    await timed('CompleteTrial', () => client.CompleteTrial({ name: trial.name, finalMeasurement: { step: 4, metrics: [{ name: 'loss', value: Math.sin(i) }] }, clientId: `${tag}-${i}` }));
    i++;
  }
  return latencies;
}

describe.each(backends())('noisy neighbour on $name', ({ name: backendName, fresh }) => {
  let server: ServerProcess;
  let keys: { abuser: string; bystander: string };

  beforeAll(async () => {
    const backend = fresh();
    const storage = await openStorage(backend.storageOptions);
    try {
      keys = { abuser: (await createTenant(storage, 'abuser')).apiKey, bystander: (await createTenant(storage, 'bystander')).apiKey };
    } finally {
      await storage.close();
    }
    server = await startServerProcess(backend.env);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it(`keeps the bystander's median under ${MEDIAN_BOUND_MS} ms and p99 under ${P99_BOUND_MS} ms while another tenant abuses the server`, async () => {
    const bystander = createStudyClient(server.address, keys.bystander);
    const abuser = createStudyClient(server.address, keys.abuser);
    const idle: StudyClient[] = [];
    try {
      const study = (await bystander.CreateStudy({ displayName: 'steady', config: SMALL_GP })).name;
      // Some history, so the bystander's suggestions are GP fits, not the initial design.
      await bystander.AddTrials({
        parent: study,
        trials: Array.from({ length: 20 }, (_, i) => ({
          parameters: [{ name: 'x', doubleValue: (i % 7) / 7 }, { name: 'y', doubleValue: (i % 5) / 5 }, { name: 'k', intValue: 1 + (i % 8) }],
          finalMeasurement: measurement(1, i / 20),
        })).map((t) => ({ ...t, finalMeasurement: { step: 1, metrics: [{ name: 'loss', value: Math.cos(t.parameters[0].doubleValue as number) }] } })),
      });

      const alone = summary(await bystanderLoop(bystander, study, PHASE_MS, 'alone'));

      // The abuse: idle connections, many studies, huge spaces with count=100 in parallel.
      for (let c = 0; c < 100; c++) {
        const client = createStudyClient(server.address, keys.abuser);
        idle.push(client);
        await client.ListStudies({ pageSize: 1 });
      }
      let stop = false;
      const abuseCounts = { created: 0, suggested: 0, refused: 0 };
      const huge: string[] = [];
      for (let s = 0; s < 4; s++) huge.push((await abuser.CreateStudy({ displayName: `huge-${s}`, config: hugeConfig() })).name);
      const loops: Array<Promise<void>> = [];
      // Many studies (up to 200 in all), each with a huge space.
      loops.push(
        (async () => {
          for (let s = 4; s < 200 && !stop; s++) {
            try {
              await abuser.CreateStudy({ displayName: `huge-${s}`, config: hugeConfig() });
              abuseCounts.created++;
            } catch {
              abuseCounts.refused++;
            }
          }
        })(),
      );
      // count=100 suggestions on the huge spaces, four callers at a time, never waiting between calls.
      for (let w = 0; w < 4; w++) {
        loops.push(
          (async () => {
            for (let k = 0; !stop; k++) {
              try {
                const r = await abuser.SuggestTrials({ parent: huge[w], count: 100, clientId: `abuser-${w}-${k}` });
                abuseCounts.suggested += r.trials.length;
              } catch {
                abuseCounts.refused++;
              }
            }
          })(),
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const abused = summary(await bystanderLoop(bystander, study, PHASE_MS, 'abused'));
      stop = true;
      await Promise.all(loops);

      console.log(
        `noisy neighbour on ${backendName} (${PHASE_MS} ms per phase): abuser created ${abuseCounts.created + 4} huge studies, got ${abuseCounts.suggested} trials, ${abuseCounts.refused} refusals\n` +
          `  bystander alone:  ${JSON.stringify(alone)}\n  bystander abused: ${JSON.stringify(abused)}\n  bounds (ms): median ${MEDIAN_BOUND_MS}, p99 ${P99_BOUND_MS}`,
      );
      // The abuse happened (otherwise the test proves nothing).
      expect(abuseCounts.suggested).toBeGreaterThan(0);
      for (const [rpc, s] of Object.entries(abused)) {
        expect({ rpc, n: s.n > 0, median: s.p50 <= MEDIAN_BOUND_MS, p99: s.p99 <= P99_BOUND_MS }).toEqual({ rpc, n: true, median: true, p99: true });
      }
    } finally {
      bystander.close();
      abuser.close();
      for (const c of idle) c.close();
    }
  }, 180_000);
});

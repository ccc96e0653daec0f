/** Load harness: N concurrent SDK workers doing suggest → complete cycles against real server
 *  processes, on one study and on many, for SQLite (one replica) and for two replicas on one
 *  PostgreSQL; throughput, p50/p99 latency, and the invariant check afterwards.
 *
 *    npm run build && node dist/bench/src/load.js [--workers 64,256,1024] [--backends sqlite,postgres]
 *        [--layouts one,many] [--algorithm RANDOM_SEARCH] [--trials-per-worker 4] [--pg-url URL]
 *        [--replicas N] [--prefill 20000] [--builds before=/other/clone/dist,after=dist] [--repeat 2] [--per-study 8]
 *
 *  --builds runs every row once per build (another clone's compiled dist/), interleaved, so a change is
 *  measured side by side under the same load on the box. Statements per cycle are read from each
 *  replica's /metrics (hpo_db_statements_total, BEGIN/COMMIT included) around the workers' run.
 *
 *  Writes bench/results/load.md and load.json. The workers and the servers share the machine's cores
 *  (on the 2-core reference box everything competes for two cores), so the figures are a floor. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Pool } from 'pg';
import { HpoClient } from '../../apps/client-sdk/src/client';
import type { StudyConfig } from '../../apps/client-sdk/src/types';
import { ServerProcess, ROUND_ROBIN_CHANNEL_OPTIONS, roundRobinTarget, serverEntry, startCluster, checkInvariants, Ledger, objectiveOf, percentile, runWorkers, serverTrials } from '@hpo/testing';

export interface LoadRow {
  /** The build's label (--builds). */
  build: string;
  backend: 'sqlite' | 'postgres';
  replicas: number;
  workers: number;
  studies: number;
  algorithm: string;
  trials: number;
  seconds: number;
  cyclesPerSecond: number;
  suggestP50: number;
  suggestP99: number;
  completeP50: number;
  completeP99: number;
  cycleP50: number;
  cycleP99: number;
  /** The longest SuggestTrials wait any worker saw (fairness: nobody starved). */
  suggestMax: number;
  /** Trials in each study before the run (AddTrials). */
  prefill: number;
  /** Database statements (BEGIN/COMMIT included) and transactions per cycle, all replicas. */
  statementsPerCycle: number;
  transactionsPerCycle: number;
  /** CPU time the server processes spent per cycle (all threads, all replicas, from /proc): what a cycle
   *  costs the service whatever else competes for the cores. */
  serverCpuMsPerCycle: number;
  errors: Record<string, number>;
  invariantsOk: boolean;
  problems: string[];
  /** The run hit --max-seconds before the studies finished. */
  capped?: boolean;
  serverRssMb: number[];
}

interface Args {
  workers: number[];
  backends: Array<'sqlite' | 'postgres'>;
  layouts: Array<'one' | 'many'>;
  algorithm: string;
  trialsPerWorker: number;
  pgUrl: string;
  out: string;
  gpRow: boolean;
  /** Cap on one run's duration; a run that hits it is measured on what finished (no max_trials check). */
  maxSeconds: number;
  /** Deadline of one call attempt (the SDK's default is 30 s; the table runs use 120 s to measure the tail). */
  timeoutMs: number;
  /** Replicas per run (default: 1 on SQLite, 2 on PostgreSQL). */
  replicas?: number;
  /** Finished trials added to each study before the run (a big study's cost). */
  prefill: number;
  /** label → standalone.js of a build. */
  builds: Array<{ label: string; entry: string }>;
  repeat: number;
  /** Workers a study in the "many" layout. */
  perStudy: number;
}

/** "before=/x/dist,after=dist" → the standalone.js of each build's dist directory. */
function parseBuilds(spec: string | undefined): Args['builds'] {
  if (!spec) return [{ label: 'current', entry: serverEntry() }];
  return spec.split(',').map((part) => {
    const [label, dir] = part.split('=');
    const entry = path.resolve(dir, 'apps/server/src/standalone.js');
    if (!label || !dir || !fs.existsSync(entry)) throw new Error(`--builds ${part}: want label=DIST_DIR with ${entry} in it`);
    return { label, entry };
  });
}

function parseArgs(argv: string[]): Args {
  const get = (flag: string, fallback: string): string => {
    const i = argv.indexOf(flag);
    return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : fallback;
  };
  return {
    workers: get('--workers', '64,256,1024').split(',').map(Number),
    backends: get('--backends', 'sqlite,postgres').split(',') as Args['backends'],
    layouts: get('--layouts', 'one,many').split(',') as Args['layouts'],
    algorithm: get('--algorithm', 'RANDOM_SEARCH'),
    trialsPerWorker: Number(get('--trials-per-worker', '4')),
    pgUrl: get('--pg-url', process.env.HPO_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test'),
    out: get('--out', path.resolve(__dirname, '../../../bench/results')),
    gpRow: !argv.includes('--no-gp'),
    maxSeconds: Number(get('--max-seconds', '60')),
    timeoutMs: Number(get('--timeout-ms', '120000')),
    replicas: argv.includes('--replicas') ? Number(get('--replicas', '1')) : undefined,
    prefill: Number(get('--prefill', '0')),
    builds: parseBuilds(argv.includes('--builds') ? get('--builds', '') : undefined),
    repeat: Number(get('--repeat', '1')),
    perStudy: Number(get('--per-study', '8')),
  };
}

function config(algorithm: string, maxTrials: number): StudyConfig {
  return {
    parameters: [
      { name: 'x1', type: 'DOUBLE', min: -5, max: 10 },
      { name: 'x2', type: 'DOUBLE', min: 0, max: 15 },
      { name: 'lr', type: 'DOUBLE', min: 1e-5, max: 1, scale: 'LOG' },
      { name: 'layers', type: 'INTEGER', min: 1, max: 8 },
    ],
    metrics: [{ name: 'objective', goal: 'MINIMIZE' }],
    algorithm: algorithm as StudyConfig['algorithm'],
    maxTrials,
    leaseSeconds: 120,
  };
}

/** Resident memory of a process in MB (Linux /proc), to see whether queues grow. */
function rssMb(pid: number | undefined): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
    return Math.round(kb / 1024);
  } catch {
    return NaN;
  }
}

/** Load runs measure the service, not the rate limiter: quotas are lifted (0 = unlimited); the
 *  backpressure bound stays at its default. */
const UNLIMITED_QUOTAS = JSON.stringify({ defaults: { maxStudies: 0, maxActiveTrials: 0, requestsPerSecond: 0 } });

export interface LoadRunOptions {
  backend: 'sqlite' | 'postgres';
  workers: number;
  layout: 'one' | 'many';
  algorithm: string;
  trialsPerWorker: number;
  pgUrl: string;
  maxSeconds?: number;
  timeoutMs?: number;
  replicas?: number;
  prefill?: number;
  build?: { label: string; entry: string };
  /** Workers a study in the "many" layout (default 8). */
  perStudy?: number;
}

/** CPU seconds a process has used so far (user + system, all its threads; Linux /proc). */
function cpuSeconds(pid: number | undefined): number {
  try {
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return NaN;
  }
}
/** USER_HZ: 100 on every Linux the project runs on. */
const CLOCK_TICKS = 100;

/** Statements each replica has sent to the database so far, from its /metrics. */
async function statementCounts(replicas: ServerProcess[]): Promise<{ statements: number; transactions: number }> {
  let statements = 0;
  let transactions = 0;
  for (const r of replicas) {
    if (r.metricsPort === undefined) return { statements: NaN, transactions: NaN };
    const text = await (await fetch(`http://127.0.0.1:${r.metricsPort}/metrics`)).text();
    for (const m of text.matchAll(/^hpo_db_statements_total\{kind="(\w+)"\} (\d+)/gm)) {
      statements += Number(m[2]);
      if (m[1] === 'begin') transactions += Number(m[2]);
    }
  }
  return { statements, transactions };
}

/** Finished trials evaluated elsewhere, so the study starts big. */
async function prefillStudy(admin: HpoClient, study: string, count: number, space: StudyConfig['parameters']): Promise<void> {
  for (let done = 0; done < count; ) {
    const n = Math.min(1000, count - done);
    const trials = Array.from({ length: n }, (_, i) => {
      const k = done + i;
      const parameters = { x1: -5 + (k % 150) / 10, x2: (k % 97) / 7, lr: 10 ** (-4 + (k % 40) / 10), layers: 1 + (k % 8) };
      return { parameters, finalMeasurement: { step: 1, metrics: { objective: objectiveOf(parameters) } } };
    });
    await admin.addTrials({ parent: study, trials, space });
    done += n;
  }
}

export async function runLoad(o: LoadRunOptions): Promise<LoadRow> {
  const { backend, workers, layout, algorithm, trialsPerWorker, pgUrl } = o;
  const maxSeconds = o.maxSeconds ?? 60;
  const prefill = o.prefill ?? 0;
  const replicasWanted = o.replicas ?? (backend === 'postgres' ? 2 : 1);
  const schema = `hpo_load_${process.pid}_${workers}_${layout}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hpo-load-'));
  const common = { HPO_QUOTAS: UNLIMITED_QUOTAS, HPO_METRICS_PORT: '0' };
  const env: Record<string, string> =
    backend === 'postgres'
      ? { HPO_DATABASE_URL: pgUrl, HPO_POSTGRES_SCHEMA: schema, ...common }
      : { HPO_DATA_DIR: dataDir, ...common };
  const replicas: ServerProcess[] = await startCluster(replicasWanted, env, { entry: o.build?.entry });
  const target = roundRobinTarget(replicas);
  const channelOptions = replicas.length > 1 ? ROUND_ROBIN_CHANNEL_OPTIONS : {};
  const admin = new HpoClient({ address: target, channelOptions, timeoutMs: 120_000 });
  try {
    const studyCount = layout === 'one' ? 1 : Math.max(2, Math.round(workers / (o.perStudy ?? 8)));
    const totalTrials = workers * trialsPerWorker;
    const perStudy = Math.ceil(totalTrials / studyCount);
    const studies: string[] = [];
    for (let s = 0; s < studyCount; s++) {
      const c = config(algorithm, perStudy + prefill);
      const study = (await admin.createStudy({ displayName: `load-${layout}-${s}`, config: c })).name;
      if (prefill > 0) await prefillStudy(admin, study, prefill, c.parameters);
      studies.push(study);
    }
    const ledger = new Ledger();
    let peakRss = replicas.map(() => 0);
    const sampler = setInterval(() => {
      peakRss = replicas.map((r, i) => Math.max(peakRss[i], rssMb(r.child.pid)));
    }, 500);
    const before = await statementCounts(replicas);
    const cpuBefore = replicas.reduce((n, x) => n + cpuSeconds(x.child.pid), 0);
    const r = await runWorkers({
      target,
      channelOptions,
      studies,
      workers,
      ledger,
      channels: Math.min(workers, 64),
      timeoutMs: o.timeoutMs ?? 120_000,
      durationMs: maxSeconds * 1000,
    });
    const after = await statementCounts(replicas);
    const cpuAfter = replicas.reduce((n, x) => n + cpuSeconds(x.child.pid), 0);
    clearInterval(sampler);
    const capped = r.elapsedMs >= maxSeconds * 1000;
    // The prefilled trials (ids 1..prefill) were never handed out: the invariants cover the run's.
    const stored = (await serverTrials(admin, studies)).filter((t) => Number(t.name.split('/').pop()) > prefill);
    const report = checkInvariants(ledger, stored, capped ? {} : { maxTrials: perStudy * studyCount });
    return {
      build: o.build?.label ?? 'current',
      backend,
      replicas: replicas.length,
      workers,
      studies: studyCount,
      algorithm,
      prefill,
      trials: capped ? ledger.acked.size : perStudy * studyCount,
      capped,
      seconds: r.elapsedMs / 1000,
      cyclesPerSecond: r.cycles / (r.elapsedMs / 1000),
      suggestP50: percentile(r.suggestMs, 50),
      suggestP99: percentile(r.suggestMs, 99),
      suggestMax: percentile(r.suggestMs, 100),
      completeP50: percentile(r.completeMs, 50),
      completeP99: percentile(r.completeMs, 99),
      cycleP50: percentile(r.cycleMs, 50),
      cycleP99: percentile(r.cycleMs, 99),
      statementsPerCycle: (after.statements - before.statements) / r.cycles,
      transactionsPerCycle: (after.transactions - before.transactions) / r.cycles,
      serverCpuMsPerCycle: ((cpuAfter - cpuBefore) * 1000) / r.cycles,
      errors: ledger.errorCounts(),
      invariantsOk: report.ok,
      problems: report.problems,
      serverRssMb: peakRss,
    };
  } finally {
    admin.close();
    await Promise.all(replicas.map((x) => x.stop()));
    fs.rmSync(dataDir, { recursive: true, force: true });
    if (backend === 'postgres') {
      const pool = new Pool({ connectionString: pgUrl, max: 1 });
      await pool.query(`drop schema if exists "${schema}" cascade`).finally(() => pool.end());
    }
  }
}

const f = (x: number, digits = 1): string => (Number.isFinite(x) ? x.toFixed(digits) : '—');

export function markdownTable(rows: LoadRow[]): string {
  const head =
    '| build | backend | replicas | workers | studies | algorithm | prefill | trials | s | cycles/s | statements / tx per cycle | server CPU ms per cycle | suggest p50 / p99 / max ms | complete p50 / p99 ms | cycle p50 / p99 ms | server peak RSS MB | errors (retried) | invariants |\n' +
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n';
  return (
    head +
    rows
      .map(
        (r) =>
          `| ${r.build} | ${r.backend} | ${r.replicas} | ${r.workers} | ${r.studies} | ${r.algorithm} | ${r.prefill} | ${r.trials}${r.capped ? ' (cap)' : ''} | ${f(r.seconds)} | ${f(r.cyclesPerSecond)} | ${f(r.statementsPerCycle)} / ${f(r.transactionsPerCycle, 2)} | ${f(r.serverCpuMsPerCycle, 2)} | ${f(r.suggestP50)} / ${f(r.suggestP99)} / ${f(r.suggestMax, 0)} | ${f(r.completeP50)} / ${f(r.completeP99)} | ${f(r.cycleP50)} / ${f(r.cycleP99)} | ${r.serverRssMb.join(' + ')} | ${
            Object.entries(r.errors)
              .map(([k, v]) => `${k}: ${v}`)
              .join('; ') || '0'
          } | ${r.invariantsOk ? 'ok' : 'FAILED: ' + r.problems.slice(0, 3).join('; ')} |`,
      )
      .join('\n') +
    '\n'
  );
}

/** Whether PostgreSQL answers at `url` (the PostgreSQL rows are skipped, with a message, when not). */
async function postgresReachable(url: string): Promise<boolean> {
  const pool = new Pool({ connectionString: url, max: 1, connectionTimeoutMillis: 3000 });
  try {
    await pool.query('select 1');
    return true;
  } catch (error) {
    process.stderr.write(`load: PostgreSQL at ${url} is not reachable (${(error as Error).message}): its rows are skipped\n`);
    return false;
  } finally {
    await pool.end().catch(() => undefined);
  }
}

async function main(): Promise<void> {
  const a = parseArgs(process.argv.slice(2));
  if (a.backends.includes('postgres') && !(await postgresReachable(a.pgUrl))) a.backends = a.backends.filter((b) => b !== 'postgres');
  const rows: LoadRow[] = [];
  const plan: Array<[LoadRow['backend'], number, 'one' | 'many', string]> = [];
  for (const b of a.backends) for (const l of a.layouts) for (const w of a.workers) plan.push([b, w, l, a.algorithm]);
  if (a.gpRow) plan.push([a.backends[0], a.workers[0], 'one', 'GP_BANDIT']);
  // Builds interleaved within each point (and repeats), so the box's load hits them alike.
  for (const [b, w, l, alg] of plan) for (let k = 0; k < a.repeat; k++) for (const build of a.builds) {
    process.stderr.write(`load: ${build.label} ${b} ${l} study, ${w} workers, ${alg}, prefill ${a.prefill} ...\n`);
    const row = await runLoad({
      backend: b,
      workers: w,
      layout: l,
      algorithm: alg,
      trialsPerWorker: alg === 'GP_BANDIT' ? 2 : a.trialsPerWorker,
      pgUrl: a.pgUrl,
      maxSeconds: a.maxSeconds,
      timeoutMs: a.timeoutMs,
      replicas: a.replicas,
      prefill: a.prefill,
      build,
      perStudy: a.perStudy,
    });
    rows.push(row);
    process.stderr.write(markdownTable([row]).split('\n')[2] + '\n');
  }
  const table = markdownTable(rows);
  process.stdout.write(table);
  fs.mkdirSync(a.out, { recursive: true });
  fs.writeFileSync(path.join(a.out, 'load.json'), JSON.stringify({ date: new Date().toISOString(), cpus: os.cpus().length, node: process.version, args: a, rows }, null, 2) + '\n');
  const mdFile = path.join(a.out, 'load.md');
  // Hand-written findings below the generated table survive a re-run.
  const previous = fs.existsSync(mdFile) ? fs.readFileSync(mdFile, 'utf8') : '';
  const findings = previous.includes('\n## Findings') ? previous.slice(previous.indexOf('\n## Findings')) : '';
  const header =
    `# Load: concurrent SDK workers, suggest → complete cycles\n\n` +
    `\`npm run build && node dist/bench/src/load.js ${process.argv.slice(2).join(' ')}\` on ${os.cpus().length} cores, ${process.version}, ` +
    `${new Date().toISOString().slice(0, 10)}. Workers (one Node process, ${'≤'}64 HTTP/2 connections) and server replicas share the cores. ` +
    `Quotas lifted for the run; backpressure bound at its default; per-call deadline ${a.timeoutMs} ms. "one": every worker on one study; "many": ${a.perStudy} workers a study. ` +
    `Latencies are per call as the SDK sees them, retries included; errors are answers the workers retried.\n\n`;
  fs.writeFileSync(mdFile, header + table + findings);
}

if (require.main === module) {
  main().catch((error) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}

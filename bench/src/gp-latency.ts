/** GP_BANDIT suggest latency: p50/p95 of one suggestion for d = 2, 10, 20 at n = 10, 100, 300, 1000
 *  completed trials, in two regimes:
 *  - steady: consecutive calls at n, n+1, …, each given the previous call's modelState, as the server
 *    runs a study (so the distribution includes the scheduled warm refits and reuses);
 *  - cold: no modelState, a full multi-start hyperparameter fit inside the call (first call after a
 *    restart, or a client that does not keep state).
 *  Trials are a uniform random design on Levy-d (a smooth multimodal function defined for every d).
 *  Both wall-clock and process CPU time are recorded: the CPU time is what the call costs, the wall time
 *  also shows contention from whatever else runs on the machine (load average printed).
 *  Usage: node dist/bench/src/gp-latency.js [--reps N] [--dims 2,10,20] [--sizes 10,100,300,1000] [--out bench/results]
 *  Writes gp-latency.md and gp-latency.json. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { createGpBanditPolicy, type GpBanditOptions } from '@hpo/core';
import type { PolicyState, SuggestRequest, TrialView } from '@hpo/core';
import { Rng } from '@hpo/space';
import { levy, benchmarkConfig, quantile } from '@hpo/testing';

interface Row {
  variant: string;
  d: number;
  n: number;
  regime: 'steady' | 'cold';
  reps: number;
  p50: number;
  p95: number;
  cpuP50: number;
  cpuP95: number;
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

/** The variants timed side by side in one run: today's policy, and the previous version of each latency
 *  change (so the comparison shares the machine's load). */
const VARIANTS: { label: string; options: GpBanditOptions }[] = [
  { label: 'incremental Cholesky', options: {} },
  { label: 'refactor every call (previous)', options: { incrementalCholesky: false } },
];

async function measure(variant: (typeof VARIANTS)[number], d: number, n: number, reps: number, coldReps: number): Promise<Row[]> {
  const f = levy(d);
  const config = { ...benchmarkConfig(f, 'GP_BANDIT', 'LOG_EI', 1) };
  const rng = new Rng(d * 7919 + n);
  const trials: TrialView[] = [];
  for (let i = 0; i < n + reps; i++) {
    const x = f.lower.map((lo, k) => lo + (f.upper[k] - lo) * rng.uniform());
    const parameters = Object.fromEntries(x.map((v, k) => [`x${k + 1}`, v]));
    trials.push({ id: i + 1, state: 'SUCCEEDED', parameters, measurements: [], finalMeasurement: { step: 0, metrics: { value: f.evaluate(x) }, elapsedSeconds: 0 } });
  }
  const policy = createGpBanditPolicy(config, variant.options);
  const wall: number[] = [];
  const cpu: number[] = [];
  let state: PolicyState = {};
  const time = async (request: SuggestRequest, into: { wall: number[]; cpu: number[] }): Promise<void> => {
    const cpuStart = process.cpuUsage();
    const started = performance.now();
    const result = await policy.suggest(request);
    into.wall.push(performance.now() - started);
    const used = process.cpuUsage(cpuStart);
    into.cpu.push((used.user + used.system) / 1000);
    state = result.state;
  };
  // The state a study at n − 1 trials would hold, then consecutive calls from n on.
  await time({ study: { config, trials: trials.slice(0, n - 1) }, count: 1, seed: 0 }, { wall: [], cpu: [] });
  const steady = { wall, cpu };
  for (let r = 0; r < reps; r++) await time({ study: { config, trials: trials.slice(0, n + r) }, count: 1, seed: r + 1, state }, steady);
  const cold = { wall: [] as number[], cpu: [] as number[] };
  for (let r = 0; r < coldReps; r++) await time({ study: { config, trials: trials.slice(0, n) }, count: 1, seed: r + 1 }, cold);
  const row = (regime: 'steady' | 'cold', xs: { wall: number[]; cpu: number[] }): Row => ({
    variant: variant.label, d, n, regime, reps: xs.wall.length,
    p50: quantile(xs.wall, 0.5), p95: quantile(xs.wall, 0.95), cpuP50: quantile(xs.cpu, 0.5), cpuP95: quantile(xs.cpu, 0.95),
  });
  return [row('steady', steady), row('cold', cold)];
}

async function main(): Promise<void> {
  const outDir = arg('out', join('bench', 'results'));
  const baseReps = Number(arg('reps', '20'));
  const loadBefore = loadavg()[0];
  const rows: Row[] = [];
  const dims = arg('dims', '2,10,20').split(',').map(Number);
  const sizes = arg('sizes', '10,100,300,1000').split(',').map(Number);
  for (const d of dims) {
    for (const n of sizes) {
      for (const variant of VARIANTS) {
        // Fewer cold repetitions (each a full fit), and fewer of everything where one call takes ~1 s.
        const reps = n >= 1000 ? Math.max(5, Math.round(baseReps / 2)) : baseReps;
        const coldReps = Math.max(3, Math.round(reps / 4));
        const [steady, cold] = await measure(variant, d, n, reps, coldReps);
        rows.push(steady, cold);
        console.log(`${variant.label} d=${d} n=${n}: steady p50 ${steady.p50.toFixed(1)} ms p95 ${steady.p95.toFixed(1)} ms (cpu p50 ${steady.cpuP50.toFixed(1)}) | cold p50 ${cold.p50.toFixed(1)} ms (cpu ${cold.cpuP50.toFixed(1)}) [load ${loadavg()[0].toFixed(1)}]`);
      }
    }
  }
  const loadAfter = loadavg()[0];
  const lines = [
    '# GP_BANDIT suggest latency',
    '',
    `One suggestion (count = 1), LOG_EI, Matérn-5/2 ARD, trials a uniform random design on Levy-d. Node ${process.version}, 2 cores shared with the other engineers' jobs: 1-min load average ${loadBefore.toFixed(1)} at the start, ${loadAfter.toFixed(1)} at the end.`,
    '',
    `Command: \`npm run build && node dist/bench/src/gp-latency.js${process.argv.slice(2).length ? ' ' + process.argv.slice(2).join(' ') : ''}\``,
    '',
    `Variants side by side in this run (each the same trials and seeds): ${VARIANTS.map((v) => v.label).join('; ')}. Optuna's GPSampler is not installed here (no PyPI; Debian's python3-optuna 3.1 predates GPSampler), so the comparison is with our own previous version, in the same process.`,
    '',
    '- steady: consecutive calls at n, n+1, … each with the previous call\'s modelState (the server\'s steady state: scheduled warm refits and reuses included in the distribution).',
    '- cold: no modelState, a full multi-start hyperparameter fit inside the call.',
    '- wall = elapsed time; cpu = this process\'s CPU time for the call (what it costs without contention).',
    '',
    'Bars (issue 15): p50 ≤ 15 ms at n=100, d=10; ≤ 300 ms at n=1000, d=10.',
    '',
    '| variant | d | n | steady wall p50 (ms) | steady wall p95 (ms) | steady cpu p50 (ms) | steady cpu p95 (ms) | cold wall p50 (ms) | cold cpu p50 (ms) | reps (steady/cold) |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (let i = 0; i < rows.length; i += 2) {
    const w = rows[i];
    const c = rows[i + 1];
    lines.push(`| ${w.variant} | ${w.d} | ${w.n} | ${w.p50.toFixed(1)} | ${w.p95.toFixed(1)} | ${w.cpuP50.toFixed(1)} | ${w.cpuP95.toFixed(1)} | ${c.p50.toFixed(1)} | ${c.cpuP50.toFixed(1)} | ${w.reps}/${c.reps} |`);
  }
  lines.push('', 'n = 10 rows: with d = 10 and 20 a cold call is still in the initial design (max(5, d+1) points, no model); the steady rows run n = 10 … 10+reps−1 and so include the first model-based calls (and, for d = 20, mostly initial design).');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'gp-latency.md'), lines.join('\n') + '\n');
  writeFileSync(join(outDir, 'gp-latency.json'), JSON.stringify({ node: process.version, loadAverage: [loadBefore, loadAfter], rows }, null, 2) + '\n');
  console.log(`wrote ${join(outDir, 'gp-latency.md')}`);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});

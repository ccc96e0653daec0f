/** GP_BANDIT suggest latency: p50/p95 of one suggestion for d = 2, 10, 20 at n = 10, 100, 300, 1000
 *  completed trials, in two regimes:
 *  - warm: the server's steady state, SuggestRequest.modelState from the previous call (n − 1 trials);
 *  - cold: no modelState, a full multi-start hyperparameter fit inside the call.
 *  Trials are a uniform random design on Levy-d (a smooth multimodal function defined for every d).
 *  Usage: node dist/bench/src/gp-latency.js [--reps N] [--out bench/results]
 *  Writes gp-latency.md and gp-latency.json. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createGpBanditPolicy } from '../../libs/core/src/policies/gp-bandit';
import type { SuggestRequest, TrialView } from '../../libs/core/src/types';
import { Rng } from '../../libs/space/src/rng';
import { levy } from './functions/standard-functions';
import { benchmarkConfig, quantile } from './gp-harness';

interface Row {
  d: number;
  n: number;
  regime: 'warm' | 'cold';
  reps: number;
  p50: number;
  p95: number;
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

async function measure(d: number, n: number, reps: number): Promise<Row[]> {
  const f = levy(d);
  const config = { ...benchmarkConfig(f, 'GP_BANDIT', 'LOG_EI', 1) };
  const rng = new Rng(d * 7919 + n);
  const trials: TrialView[] = [];
  for (let i = 0; i < n; i++) {
    const x = f.lower.map((lo, k) => lo + (f.upper[k] - lo) * rng.uniform());
    const parameters = Object.fromEntries(x.map((v, k) => [`x${k + 1}`, v]));
    trials.push({ id: i + 1, state: 'SUCCEEDED', parameters, measurements: [], finalMeasurement: { step: 0, metrics: { value: f.evaluate(x) }, elapsedSeconds: 0 } });
  }
  const policy = createGpBanditPolicy(config);
  const time = async (request: SuggestRequest): Promise<number> => {
    const started = performance.now();
    await policy.suggestWithState(request);
    return performance.now() - started;
  };
  // Warm: the state the previous call (n − 1 trials) would have handed back.
  const previous = await policy.suggestWithState({ study: { config, trials: trials.slice(0, n - 1) }, count: 1, seed: 0 });
  await time({ study: { config, trials }, count: 1, seed: 0, modelState: previous.modelState }); // JIT warm-up
  const warm: number[] = [];
  const cold: number[] = [];
  for (let r = 0; r < reps; r++) {
    warm.push(await time({ study: { config, trials }, count: 1, seed: r + 1, modelState: previous.modelState }));
    cold.push(await time({ study: { config, trials }, count: 1, seed: r + 1 }));
  }
  const row = (regime: 'warm' | 'cold', xs: number[]): Row => ({ d, n, regime, reps, p50: quantile(xs, 0.5), p95: quantile(xs, 0.95) });
  return [row('warm', warm), row('cold', cold)];
}

async function main(): Promise<void> {
  const outDir = arg('out', join('bench', 'results'));
  const baseReps = Number(arg('reps', '15'));
  const rows: Row[] = [];
  for (const d of [2, 10, 20]) {
    for (const n of [10, 100, 300, 1000]) {
      // Fewer repetitions where one call takes ~1 s, so the whole bench stays within minutes.
      const reps = n >= 1000 ? Math.max(5, Math.round(baseReps / 3)) : baseReps;
      const [warm, cold] = await measure(d, n, reps);
      rows.push(warm, cold);
      console.log(`d=${d} n=${n}: warm p50 ${warm.p50.toFixed(1)} ms p95 ${warm.p95.toFixed(1)} ms | cold p50 ${cold.p50.toFixed(1)} ms p95 ${cold.p95.toFixed(1)} ms (${reps} reps)`);
    }
  }
  const lines = [
    '# GP_BANDIT suggest latency',
    '',
    `One suggestion (count = 1), LOG_EI, Matérn-5/2 ARD. Node ${process.version}, ${new Date().toISOString().slice(0, 10)}.`,
    'Command: `npm run build && node dist/bench/src/gp-latency.js`' + (baseReps !== 15 ? ` --reps ${baseReps}` : '') + '.',
    'warm = with the previous call\'s modelState (the server\'s steady state: a short warm-started refit);',
    'cold = no modelState (full multi-start hyperparameter fit in the call). Bars: p50 ≤ 50 ms at n=100, d=10; ≤ 1 s at n=1000, d=10.',
    '',
    '| d | n | warm p50 (ms) | warm p95 (ms) | cold p50 (ms) | cold p95 (ms) | reps |',
    '|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (let i = 0; i < rows.length; i += 2) {
    const w = rows[i];
    const c = rows[i + 1];
    lines.push(`| ${w.d} | ${w.n} | ${w.p50.toFixed(1)} | ${w.p95.toFixed(1)} | ${c.p50.toFixed(1)} | ${c.p95.toFixed(1)} | ${w.reps} |`);
  }
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'gp-latency.md'), lines.join('\n') + '\n');
  writeFileSync(join(outDir, 'gp-latency.json'), JSON.stringify({ node: process.version, rows }, null, 2) + '\n');
  console.log(`wrote ${join(outDir, 'gp-latency.md')}`);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});

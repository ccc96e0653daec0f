/** `npm run bench`: every benchmark in turn, each in its own process (so one's heap and worker pools do
 *  not skew the next one's timings), each writing its table under bench/results/.
 *  Usage: node dist/bench/src/run-all.js [--only name,name] [--list]
 *  The full set takes about two hours on a 2-core machine; `--only gp-latency` runs one. */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const BENCHMARKS: ReadonlyArray<{ name: string; script: string; what: string; args?: string[] }> = [
  { name: 'gp-latency', script: 'gp-latency.js', what: 'GP_BANDIT suggest latency, d = 2/10/20 × n = 10…1000' },
  { name: 'gp-quality', script: 'gp-quality.js', what: 'simple regret on standard functions, GP_BANDIT vs random/quasi-random', args: ['--seeds', '10'] },
  {
    name: 'gp-prior', script: 'gp-quality.js', what: 'GP_BANDIT hyperparameter-prior ablation (paired by seed)',
    args: ['--seeds', '10', '--priors', 'DIMENSION_SCALED,DIMENSION_SCALED_WEAK_NOISE', '--out', 'bench/results/gp-prior'],
  },
  {
    name: 'gp-output-warping', script: 'gp-quality.js', what: 'GP_BANDIT output-warping ablation (paired by seed)',
    args: ['--seeds', '10', '--warpings', 'NONE,HALF_RANK,HALF_RANK_LOG,HALF_RANK_COMPRESS', '--out', 'bench/results/gp-output-warping'],
  },
  { name: 'multi-objective', script: 'multi-objective.js', what: 'hypervolume on ZDT1/2/3 and DTLZ2, constrained Gramacy: GP_BANDIT vs quasi-random, random, Optuna NSGA-II and TPE', args: ['--seeds', '10'] },
  { name: 'user-prior', script: 'user-prior.js', what: 'πBO user priors: a good prior\'s gain and a misleading prior\'s cost, paired by seed', args: ['--seeds', '20'] },
  { name: 'gp-real-task', script: 'gp-real-task.js', what: 'tuning the digits MLP, GP_BANDIT vs random' },
  { name: 'early-stopping', script: 'early-stopping.js', what: 'epochs to a near-best trial, FREEZE_THAW vs MEDIAN vs NONE' },
  { name: 'llm', script: 'llm.js', what: 'regret with good / misleading / no LLM advice', args: ['--seeds', '200'] },
  {
    name: 'llm-bar', script: 'llm.js', what: 'misleading advice vs plain GP at budget, 1000 paired seeds',
    args: ['--seeds', '1000', '--arms', 'misleading', '--no-local', '--out', 'llm.bar'],
  },
  {
    name: 'llm-surrogate', script: 'llm.js', what: 'the LLM surrogate on and off, good and misleading advice, 200 seeds',
    args: ['--seeds', '200', '--arms', 'good,misleading,good-surrogate,misleading-surrogate', '--no-local', '--out', 'llm.surrogate'],
  },
  { name: 'llm-digits', script: 'llm-digits.js', what: 'LLM advice on the digits MLP' },
  { name: 'load', script: 'load.js', what: 'concurrent SDK workers on SQLite and two PostgreSQL replicas' },
];

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function main(): void {
  if (process.argv.includes('--list')) {
    for (const b of BENCHMARKS) console.log(`${b.name.padEnd(18)} ${b.what}`);
    return;
  }
  const only = option('only')?.split(',');
  const unknown = only?.filter((n) => !BENCHMARKS.some((b) => b.name === n)) ?? [];
  if (unknown.length > 0) {
    console.error(`unknown benchmark(s): ${unknown.join(', ')} (see --list)`);
    process.exit(2);
  }
  const chosen = BENCHMARKS.filter((b) => !only || only.includes(b.name));
  const failed: string[] = [];
  for (const b of chosen) {
    console.log(`\n=== ${b.name}: ${b.what}`);
    const started = Date.now();
    const run = spawnSync(process.execPath, [path.join(__dirname, b.script), ...(b.args ?? [])], { stdio: 'inherit' });
    console.log(`=== ${b.name}: exit ${run.status ?? run.signal} after ${((Date.now() - started) / 1000).toFixed(0)} s`);
    if (run.status !== 0) failed.push(b.name);
  }
  if (failed.length > 0) {
    console.error(`failed: ${failed.join(', ')}`);
    process.exit(1);
  }
}

main();

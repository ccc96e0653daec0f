/** Search quality in 20 and 50 dimensions (issue 15): GP_BANDIT with its trust region (TuRBO-style, in the
 *  acquisition search), the plain global GP_BANDIT, QUASI_RANDOM_SEARCH and RANDOM_SEARCH, side by side on
 *  the same seeds, on Ackley, Levy and Rosenbrock, a sum of Hartmann-6 copies and Hartmann-6 embedded in
 *  d dimensions (6 effective of d). Simple regret at 25/50/100 % of the budget, ms per suggestion, and
 *  paired-by-seed comparisons. Markdown + JSON under --out.
 *  Usage: node dist/bench/src/gp-high-dim.js [--seeds 10] [--dims 20,50] [--budget 200]
 *         [--functions Ackley-20,Levy-50] [--methods TR,PLAIN,QR,RS] [--out bench/results/gp-high-dim]
 *         [--merge a/gp-high-dim.json,b/gp-high-dim.json]   (one report from parallel parts, no re-run) */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import type { AcquisitionName, AlgorithmName, GpBanditOptions } from '@hpo/core';
import { ackley, hartmann6, levy, quantile, rosenbrock, runBenchmark, type BenchmarkFunction } from '@hpo/testing';
import { pairedComparison } from './paired-comparison';

interface Method {
  key: string;
  label: string;
  algorithm: AlgorithmName;
  acquisition: AcquisitionName;
  options?: GpBanditOptions;
}

const METHODS: Method[] = [
  { key: 'TR', label: 'GP_BANDIT log-EI, trust region', algorithm: 'GP_BANDIT', acquisition: 'LOG_EI', options: { trustRegion: 'ON' } },
  { key: 'PLAIN', label: 'GP_BANDIT log-EI, global (no trust region)', algorithm: 'GP_BANDIT', acquisition: 'LOG_EI', options: { trustRegion: 'OFF' } },
  { key: 'TR_UCB', label: 'GP_BANDIT UCB, trust region', algorithm: 'GP_BANDIT', acquisition: 'UCB', options: { trustRegion: 'ON' } },
  { key: 'QR', label: 'QUASI_RANDOM_SEARCH', algorithm: 'QUASI_RANDOM_SEARCH', acquisition: 'LOG_EI' },
  { key: 'RS', label: 'RANDOM_SEARCH', algorithm: 'RANDOM_SEARCH', acquisition: 'LOG_EI' },
];

/** Σ of ⌊d/6⌋ Hartmann-6 copies on consecutive blocks of coordinates; leftover coordinates are inert. */
export function hartmann6Sum(dimension: number): BenchmarkFunction {
  const copies = Math.floor(dimension / 6);
  return {
    name: `Hartmann-6×${copies} (d=${dimension})`, dimension, lower: Array(dimension).fill(0), upper: Array(dimension).fill(1),
    evaluate: (x) => {
      let s = 0;
      for (let c = 0; c < copies; c++) s += hartmann6.evaluate(x.slice(6 * c, 6 * c + 6));
      return s;
    },
    minimum: copies * hartmann6.minimum, noise: 0,
  };
}

/** Hartmann-6 on 6 of d coordinates (spread over the vector: 0, ⌊d/6⌋, 2⌊d/6⌋, …), the rest inert: the
 *  low-effective-dimension case of REMBO / BAxUS / SAASBO. */
export function embeddedHartmann6(dimension: number): BenchmarkFunction {
  const step = Math.floor(dimension / 6);
  const active = Array.from({ length: 6 }, (_, i) => i * step + Math.floor(step / 2));
  return {
    name: `Hartmann-6 in ${dimension}-D`, dimension, lower: Array(dimension).fill(0), upper: Array(dimension).fill(1),
    evaluate: (x) => hartmann6.evaluate(active.map((i) => x[i])),
    minimum: hartmann6.minimum, noise: 0,
  };
}

export function highDimFunctions(dims: number[]): BenchmarkFunction[] {
  return dims.flatMap((d) => [ackley(d), levy(d), rosenbrock(d), hartmann6Sum(d), embeddedHartmann6(d)]);
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const fmt = (v: number): string => (v === 0 ? '0' : v.toExponential(2));

interface Entry {
  regret: number[][];
  suggestMs: number[];
  runSeconds: number[];
}
interface Results {
  parts: { command: string; runTime: string }[];
  seeds: number;
  budget: number;
  methods: { key: string; label: string }[];
  results: Record<string, Record<string, Entry>>;
}

async function main(): Promise<void> {
  const outDir = arg('out', join('bench', 'results', 'gp-high-dim'));
  mkdirSync(outDir, { recursive: true });
  const merge = arg('merge', '');
  if (merge) {
    const loaded = merge.split(',').map((f) => JSON.parse(readFileSync(f, 'utf8')) as Results);
    const first = loaded[0];
    if (loaded.some((l) => l.budget !== first.budget)) throw new Error('--merge: the parts differ in budget');
    const results = Object.assign({}, ...loaded.map((l) => l.results));
    const methods = [...new Map(loaded.flatMap((l) => l.methods).map((m) => [m.key, m])).values()];
    return write(outDir, { parts: loaded.flatMap((l) => l.parts), seeds: Math.max(...loaded.map((l) => l.seeds)), budget: first.budget, methods, results });
  }
  const seeds = Number(arg('seeds', '10'));
  const budget = Number(arg('budget', '200'));
  const dims = arg('dims', '20,50').split(',').map(Number);
  const only = arg('functions', '');
  const functions = highDimFunctions(dims).filter((f) => !only || only.split(',').includes(f.name));
  const methodKeys = arg('methods', 'TR,PLAIN,QR,RS').split(',');
  const methods = methodKeys.map((k) => {
    const m = METHODS.find((x) => x.key === k);
    if (!m) throw new Error(`unknown method '${k}' (known: ${METHODS.map((x) => x.key).join(', ')})`);
    return m;
  });
  const checkpoints = [0.25, 0.5, 1].map((q) => Math.round(q * budget));
  const started = performance.now();
  const results: Results['results'] = {};
  for (const f of functions) results[f.name] = Object.fromEntries(methods.map((m) => [m.key, { regret: [], suggestMs: [], runSeconds: [] }]));
  const command = `node dist/bench/src/gp-high-dim.js ${process.argv.slice(2).join(' ')}`.trim();
  // Seed-major, and the report rewritten after every seed: a run stopped early still leaves a paired
  // report of the seeds it completed (the report states how many).
  for (let seed = 1; seed <= seeds; seed++) {
    for (const f of functions) {
      for (const m of methods) {
        const entry = results[f.name][m.key];
        const t0 = performance.now();
        const r = await runBenchmark(f, m.algorithm, m.acquisition, budget, seed, m.options, []);
        entry.runSeconds.push((performance.now() - t0) / 1000);
        entry.regret.push(checkpoints.map((c) => r.regret[c - 1]));
        entry.suggestMs.push(...r.suggestMs);
        console.log(`seed ${seed} ${f.name} ${m.key}: ${checkpoints.map((c) => fmt(r.regret[c - 1])).join('  ')}  (${fmt(quantile(r.suggestMs, 0.5))} ms)`);
      }
    }
    const runTime = `${((performance.now() - started) / 60000).toFixed(1)} min, 1-min load average ${loadavg()[0].toFixed(1)} at the end`;
    write(outDir, { parts: [{ command, runTime }], seeds: seed, budget, methods: methods.map(({ key, label }) => ({ key, label })), results });
  }
}

function write(outDir: string, r: Results): void {
  const pct = ['25 %', '50 %', '100 %'];
  const checkpoints = [0.25, 0.5, 1].map((q) => Math.round(q * r.budget));
  const lines = [
    '# GP_BANDIT in 20 and 50 dimensions',
    '',
    `Simple regret (best noise-free value evaluated minus the known minimum), median [25th–75th percentile] over the seeds 1..k in the seeds column (at most ${r.seeds}), ` +
      `at ${checkpoints.join(' / ')} of a budget of ${r.budget} evaluations, one suggestion at a time with modelState threaded as the server does.`,
    '',
    `Command${r.parts.length > 1 ? 's (parts run in parallel, merged with --merge)' : ''}: ${r.parts.map((p) => `\`npm run build && ${p.command}\` (${p.runTime})`).join('; ')}.`,
    `Machine: ${cpus().length} cores shared with other engineers' jobs, Node ${process.version}.`,
    '',
    `| function | method | seeds | ${pct.map((p) => `regret @${p}`).join(' | ')} | suggest p50 (ms) |`,
    '|---|---|---:|---:|---:|---:|---:|',
  ];
  const label = (key: string) => r.methods.find((m) => m.key === key)?.label ?? key;
  for (const [name, byMethod] of Object.entries(r.results)) {
    for (const [key, e] of Object.entries(byMethod)) {
      const cells = checkpoints.map((_, i) => {
        const v = e.regret.map((x) => x[i]);
        return `${fmt(quantile(v, 0.5))} [${fmt(quantile(v, 0.25))}–${fmt(quantile(v, 0.75))}]`;
      });
      lines.push(`| ${name} | ${label(key)} | ${e.regret.length} | ${cells.join(' | ')} | ${quantile(e.suggestMs, 0.5).toFixed(1)} |`);
    }
  }
  lines.push(
    '', '## Paired by seed', '',
    'Ratio of median regrets (method / reference) with a seed-bootstrap 90 % interval, and seeds where the method is more than 10 % better / worse (bench/src/paired-comparison.ts), at 100 % of the budget and at 50 %.',
    '',
    '| function | method | reference | ratio @100 % [90 %] | better / worse @100 % | ratio @50 % | better / worse @50 % |',
    '|---|---|---|---:|---:|---:|---:|',
  );
  const pairs: [string, string][] = [['TR', 'QR'], ['TR', 'PLAIN'], ['PLAIN', 'QR'], ['TR_UCB', 'TR']];
  for (const [name, byMethod] of Object.entries(r.results)) {
    for (const [a, b] of pairs) {
      if (!byMethod[a] || !byMethod[b]) continue;
      const at = (key: string, i: number) => byMethod[key].regret.map((x) => x[i]);
      const full = pairedComparison(at(a, 2), at(b, 2), 100);
      const half = pairedComparison(at(a, 1), at(b, 1), 50);
      lines.push(`| ${name} | ${label(a)} | ${label(b)} | ${full.ratio.toPrecision(3)} [${full.ratioCi[0].toPrecision(3)}, ${full.ratioCi[1].toPrecision(3)}] | ${full.better} / ${full.worse} of ${full.n} | ${half.ratio.toPrecision(3)} | ${half.better} / ${half.worse} of ${half.n} |`);
    }
  }
  writeFileSync(join(outDir, 'gp-high-dim.md'), lines.join('\n') + '\n');
  writeFileSync(join(outDir, 'gp-high-dim.json'), JSON.stringify(r) + '\n');
  console.log(`wrote ${join(outDir, 'gp-high-dim.md')}`);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});

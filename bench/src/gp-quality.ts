/** Search quality: simple regret (best noise-free value found minus the known minimum) of GP_BANDIT with
 *  log-EI and with UCB against RANDOM_SEARCH and QUASI_RANDOM_SEARCH, side by side in one run, on
 *  Branin, Hartmann-3/6, Ackley-5/10, Levy-10, Rosenbrock-4 and Hartmann-6 with observation noise.
 *  Median and quartiles over seeds at budgets 25/50/100 (read off the same runs), a markdown table, a JSON
 *  file and one SVG plot per function, all under bench/results/.
 *  Usage: node dist/bench/src/gp-quality.js [--seeds 5] [--budget 100] [--functions Branin,Hartmann-6]
 *         [--out bench/results] [--warpings NONE,HALF_RANK,HALF_RANK_LOG,HALF_RANK_COMPRESS]
 *  --warpings: the output-warping ablation instead: GP_BANDIT log-EI once per warping, side by side. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GpBanditOptions } from '@hpo/core';
import type { AcquisitionName, AlgorithmName } from '@hpo/core';
import { parseOutputWarping, type OutputWarping } from '@hpo/gp';
import { QUALITY_FUNCTIONS } from './functions/standard-functions';
import { quantile, runBenchmark } from './gp-harness';
import { pairedCells, pairedComparison } from './paired-comparison';
import { regretPlotSvg } from './gp-svg-plot';

interface Method {
  label: string;
  algorithm: AlgorithmName;
  acquisition: AcquisitionName;
  colour: string;
  options?: GpBanditOptions;
}

const METHODS: Method[] = [
  { label: 'GP_BANDIT log-EI', algorithm: 'GP_BANDIT', acquisition: 'LOG_EI', colour: '#1f77b4' },
  { label: 'GP_BANDIT UCB', algorithm: 'GP_BANDIT', acquisition: 'UCB', colour: '#2ca02c' },
  { label: 'RANDOM_SEARCH', algorithm: 'RANDOM_SEARCH', acquisition: 'LOG_EI', colour: '#d62728' },
  { label: 'QUASI_RANDOM_SEARCH', algorithm: 'QUASI_RANDOM_SEARCH', acquisition: 'LOG_EI', colour: '#ff7f0e' },
];

/** One colour per warping, so every line of the ablation's plots can be told apart. */
const WARPING_COLOURS: Record<OutputWarping, string> = { NONE: '#7f7f7f', HALF_RANK: '#ff7f0e', HALF_RANK_LOG: '#9467bd', HALF_RANK_COMPRESS: '#1f77b4' };

function warpingMethods(list: string): Method[] {
  return list.split(',').map((name) => {
    const outputWarping = parseOutputWarping(name);
    return { label: `GP_BANDIT log-EI, warping ${outputWarping}`, algorithm: 'GP_BANDIT', acquisition: 'LOG_EI', colour: WARPING_COLOURS[outputWarping], options: { outputWarping } };
  });
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

function fmt(v: number): string {
  return v === 0 ? '0' : v.toExponential(2);
}

/** The warping ablation, paired by seed against the first warping listed. */
function warpingPairedTable(
  names: string[], methods: Method[], json: Record<string, Record<string, { regret: number[][] }>>, budgets: number[],
): string[] {
  const [reference, ...others] = methods;
  const out = [
    `Paired by seed against ${reference.label}: median Δ = log10 regret − log10 regret(reference) with a seed-bootstrap 90 % interval,`,
    'ratio of median regrets, seeds more than 10 % better / worse (bench/src/paired-comparison.ts).',
    '',
    '| function | method | @ | median Δ [90 %] | ratio of medians [90 %] | better / worse seeds | 10 % bar |',
    '|---|---|---:|---:|---:|---:|---|',
  ];
  for (const name of names) {
    for (const m of others) {
      for (const b of budgets) {
        const at = (label: string) => json[name][label].regret.map((r) => r[b - 1]);
        out.push(`| ${name} | ${m.label} | ${b} | ${pairedCells(pairedComparison(at(m.label), at(reference.label), b))} |`);
      }
    }
  }
  return out;
}

async function main(): Promise<void> {
  const seeds = Number(arg('seeds', '5'));
  const budget = Number(arg('budget', '100'));
  const outDir = arg('out', join('bench', 'results'));
  const only = arg('functions', '');
  const functions = only ? QUALITY_FUNCTIONS.filter((f) => only.split(',').includes(f.name)) : QUALITY_FUNCTIONS;
  const warpings = arg('warpings', '');
  const methods = warpings ? warpingMethods(warpings) : METHODS;
  const budgets = [25, 50, 100].filter((b) => b <= budget);
  const command = `node dist/bench/src/gp-quality.js${process.argv.slice(2).length ? ' ' + process.argv.slice(2).join(' ') : ''}`;
  mkdirSync(outDir, { recursive: true });
  const json: Record<string, Record<string, { regret: number[][]; suggestMsMedian: number }>> = {};
  const table: string[] = [
    '# GP_BANDIT search quality',
    '',
    `Simple regret = best noise-free value among the evaluated points minus the known minimum; median [25th–75th percentile] over ${seeds} seeds (1..${seeds}); budgets read off the same runs. Each trial is suggested one at a time (count = 1), with modelState threaded between calls as the server does.`,
    '',
    `Command: \`npm run build && ${command}\``,
    '',
    `| function | method | ${budgets.map((b) => `regret @${b}`).join(' | ')} | suggest p50 (ms) |`,
    `|---|---|${budgets.map(() => '---:').join('|')}|---:|`,
  ];
  for (const f of functions) {
    json[f.name] = {};
    const series = [];
    for (const m of methods) {
      const runs: number[][] = [];
      const ms: number[] = [];
      for (let seed = 1; seed <= seeds; seed++) {
        const r = await runBenchmark(f, m.algorithm, m.acquisition, budget, seed, m.options);
        runs.push(r.regret);
        ms.push(...r.suggestMs);
      }
      const at = (t: number, q: number) => quantile(runs.map((r) => r[t]), q);
      const cells = budgets.map((b) => `${fmt(at(b - 1, 0.5))} [${fmt(at(b - 1, 0.25))}–${fmt(at(b - 1, 0.75))}]`);
      const p50 = quantile(ms, 0.5);
      table.push(`| ${f.name} | ${m.label} | ${cells.join(' | ')} | ${p50.toFixed(1)} |`);
      json[f.name][m.label] = { regret: runs, suggestMsMedian: p50 };
      const steps = Array.from({ length: budget }, (_, t) => t);
      series.push({ label: m.label, colour: m.colour, median: steps.map((t) => at(t, 0.5)), lower: steps.map((t) => at(t, 0.25)), upper: steps.map((t) => at(t, 0.75)) });
      console.log(`${f.name} ${m.label}: ${cells.join('  ')}`);
    }
    writeFileSync(join(outDir, `gp-quality-${slug(f.name)}.svg`), regretPlotSvg(`${f.name}: simple regret, ${seeds} seeds`, series));
  }
  if (warpings) table.push('', ...warpingPairedTable(functions.map((f) => f.name), methods, json, budgets));
  table.push('', 'Plots: ' + functions.map((f) => `[${f.name}](gp-quality-${slug(f.name)}.svg)`).join(', ') + '.');
  writeFileSync(join(outDir, 'gp-quality.md'), table.join('\n') + '\n');
  writeFileSync(join(outDir, 'gp-quality.json'), JSON.stringify({ command, seeds, budget, results: json }) + '\n');
  console.log(`wrote ${join(outDir, 'gp-quality.md')}`);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});

/** Search quality: simple regret (best noise-free value found minus the known minimum) of GP_BANDIT with
 *  log-EI and with UCB against RANDOM_SEARCH and QUASI_RANDOM_SEARCH, side by side in one run, on
 *  Branin, Hartmann-3/6, Ackley-5/10, Levy-10, Rosenbrock-4 and Hartmann-6 with observation noise.
 *  Median and quartiles over seeds at budgets 25/50/100 (read off the same runs), a markdown table, a JSON
 *  file and one SVG plot per function, all under bench/results/.
 *  Usage: node dist/bench/src/gp-quality.js [--seeds 5] [--budget 100] [--functions Branin,Hartmann-6]
 *         [--out bench/results] [--warpings NONE,HALF_RANK,HALF_RANK_LOG,HALF_RANK_COMPRESS]
 *         [--priors DIMENSION_SCALED,OPTUNA,VIZIER,DIMENSION_SCALED_FLOOR]
 *  --warpings: the output-warping ablation instead: GP_BANDIT log-EI once per warping, side by side.
 *         [--merge part1/gp-quality.json,part2/gp-quality.json]  (one report from parallel runs, no re-run)
 *  --priors: the hyperparameter-prior ablation: GP_BANDIT log-EI once per prior, paired by seed against
 *  the first listed. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import type { GpBanditOptions } from '@hpo/core';
import type { AcquisitionName, AlgorithmName } from '@hpo/core';
import { parseHyperparameterPrior, parseOutputWarping, type OutputWarping } from '@hpo/gp';
import { QUALITY_FUNCTIONS, quantile, runBenchmark, type RunResult } from '@hpo/testing';
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

const ABLATION_COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#7f7f7f'];

/** The prior ablation: GP_BANDIT log-EI once per hyperparameter prior (libs/gp/src/hyperparameters.ts). */
function priorMethods(list: string): Method[] {
  return list.split(',').map((name, i) => {
    const prior = parseHyperparameterPrior(name);
    return { label: `GP_BANDIT log-EI, prior ${prior}`, algorithm: 'GP_BANDIT', acquisition: 'LOG_EI', colour: ABLATION_COLOURS[i % ABLATION_COLOURS.length], options: { prior } };
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

/** An ablation, paired by seed against the first variant listed. */
function ablationPairedTable(
  names: string[], methods: { label: string }[], json: Record<string, Record<string, { regret: number[][] }>>, budgets: number[],
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

type Results = Record<string, Record<string, { regret: number[][]; suggestMsMedian: number; recommendedRegret: RunResult['recommended'][] }>>;

interface Part {
  command: string;
  /** Wall-clock minutes, with the load at the end. */
  runTime: string;
}

async function main(): Promise<void> {
  const seeds = Number(arg('seeds', '5'));
  const budget = Number(arg('budget', '100'));
  const outDir = arg('out', join('bench', 'results'));
  const merge = arg('merge', '');
  mkdirSync(outDir, { recursive: true });
  if (merge) return mergeParts(merge.split(','), outDir);
  const only = arg('functions', '');
  const functions = only ? QUALITY_FUNCTIONS.filter((f) => only.split(',').includes(f.name)) : QUALITY_FUNCTIONS;
  const warpings = arg('warpings', '');
  const priors = arg('priors', '');
  const methods = warpings ? warpingMethods(warpings) : priors ? priorMethods(priors) : METHODS;
  const started = performance.now();
  const budgets = [25, 50, 100].filter((b) => b <= budget);
  const command = `node dist/bench/src/gp-quality.js${process.argv.slice(2).length ? ' ' + process.argv.slice(2).join(' ') : ''}`;
  const json: Results = {};
  for (const f of functions) {
    json[f.name] = {};
    for (const m of methods) {
      const runs: number[][] = [];
      const ms: number[] = [];
      const recommended: RunResult['recommended'][] = [];
      for (let seed = 1; seed <= seeds; seed++) {
        const r = await runBenchmark(f, m.algorithm, m.acquisition, budget, seed, m.options, budgets);
        runs.push(r.regret);
        recommended.push(r.recommended);
        ms.push(...r.suggestMs);
      }
      json[f.name][m.label] = { regret: runs, suggestMsMedian: quantile(ms, 0.5), recommendedRegret: recommended };
      console.log(`${f.name} ${m.label}: ${budgets.map((b) => fmt(quantile(runs.map((r) => r[b - 1]), 0.5))).join('  ')}`);
    }
  }
  const runTime = `${((performance.now() - started) / 60000).toFixed(1)} min (1-min load average ${loadavg()[0].toFixed(1)} at the end)`;
  const parts = [{ command, runTime }];
  writeReport(outDir, parts, seeds, budget, methods.map((m) => ({ label: m.label, colour: m.colour })), json, methods !== METHODS);
  writeFileSync(join(outDir, 'gp-quality.json'), JSON.stringify({ parts, seeds, budget, methods: methods.map((m) => ({ label: m.label, colour: m.colour })), results: json }) + '\n');
  console.log(`wrote ${join(outDir, 'gp-quality.md')}`);
}

/** --merge a/gp-quality.json,b/gp-quality.json: one report from runs made in parallel on disjoint
 *  functions (same seeds, budget and methods), without re-running anything. */
function mergeParts(files: string[], outDir: string): void {
  const loaded = files.map((file) => JSON.parse(readFileSync(file, 'utf8')) as {
    parts?: Part[]; command?: string; seeds: number; budget: number; methods?: { label: string; colour: string }[]; results: Results;
  });
  const first = loaded[0];
  if (loaded.some((l) => l.seeds !== first.seeds || l.budget !== first.budget)) throw new Error('--merge: the parts differ in seeds or budget');
  const results: Results = Object.assign({}, ...loaded.map((l) => l.results));
  const labels = Object.keys(Object.values(first.results)[0]);
  const known = [...METHODS, ...(first.methods ?? [])];
  const methods = labels.map((label, i) => ({ label, colour: known.find((m) => m.label === label)?.colour ?? ABLATION_COLOURS[i % ABLATION_COLOURS.length] }));
  const parts = loaded.flatMap((l, i) => l.parts ?? [{ command: l.command ?? '?', runTime: runTimeOf(files[i]) }]);
  writeReport(outDir, parts, first.seeds, first.budget, methods, results, true);
  writeFileSync(join(outDir, 'gp-quality.json'), JSON.stringify({ parts, seeds: first.seeds, budget: first.budget, methods, results }) + '\n');
  console.log(`wrote ${join(outDir, 'gp-quality.md')}`);
}

/** The "Run time" line of the markdown next to a part's JSON (parts written before the JSON kept it). */
function runTimeOf(jsonFile: string): string {
  try {
    const md = readFileSync(join(dirname(jsonFile), 'gp-quality.md'), 'utf8');
    return /Run time (.*?) on \d+ cores/.exec(md)?.[1] ?? 'not recorded';
  } catch {
    return 'not recorded';
  }
}

function writeReport(
  outDir: string, parts: Part[], seeds: number, budget: number, methods: { label: string; colour: string }[], json: Results, paired: boolean,
): void {
  const budgets = [25, 50, 100].filter((b) => b <= budget);
  const names = Object.keys(json);
  const table: string[] = [
    '# GP_BANDIT search quality',
    '',
    `Simple regret = best noise-free value among the evaluated points minus the known minimum; median [25th–75th percentile] over ${seeds} seeds (1..${seeds}); budgets read off the same runs. Each trial is suggested one at a time (count = 1), with modelState threaded between calls as the server does.`,
    '',
    `Command${parts.length > 1 ? 's (run in parallel on disjoint functions, then merged with --merge)' : ''}: ${parts.map((p) => `\`npm run build && ${p.command}\` (${p.runTime})`).join('; ')}. Machine: ${cpus().length} cores shared with other engineers' jobs, Node ${process.version}.`,
    '',
    `| function | method | ${budgets.map((b) => `regret @${b}`).join(' | ')} | suggest p50 (ms) |`,
    `|---|---|${budgets.map(() => '---:').join('|')}|---:|`,
  ];
  const recommendedRows: string[] = [];
  for (const name of names) {
    const series = [];
    for (const m of methods) {
      const entry = json[name][m.label];
      if (!entry) continue;
      const runs = entry.regret;
      const at = (t: number, q: number) => quantile(runs.map((r) => r[t]), q);
      const cells = budgets.map((b) => `${fmt(at(b - 1, 0.5))} [${fmt(at(b - 1, 0.25))}–${fmt(at(b - 1, 0.75))}]`);
      table.push(`| ${name} | ${m.label} | ${cells.join(' | ')} | ${entry.suggestMsMedian.toFixed(1)} |`);
      const recommendedCells = budgets.map((b) => {
        const rs = entry.recommendedRegret.map((r) => r[b]);
        const byMean = rs.filter((r) => r.byPosteriorMean).length;
        // Parts run before bestObservedRegret was recorded lack it.
        const observed = rs.every((r) => r.bestObservedRegret !== undefined) ? ` / ${fmt(quantile(rs.map((r) => r.bestObservedRegret), 0.5))}` : '';
        return `${fmt(quantile(rs.map((r) => r.regret), 0.5))}${observed} (${byMean}/${rs.length})`;
      });
      recommendedRows.push(`| ${name} | ${m.label} | ${recommendedCells.join(' | ')} |`);
      const steps = Array.from({ length: budget }, (_, t) => t);
      series.push({ label: m.label, colour: m.colour, median: steps.map((t) => at(t, 0.5)), lower: steps.map((t) => at(t, 0.25)), upper: steps.map((t) => at(t, 0.75)) });
    }
    writeFileSync(join(outDir, `gp-quality-${slug(name)}.svg`), regretPlotSvg(`${name}: simple regret, ${seeds} seeds`, series));
  }
  table.push(
    '', '## Regret at the trial ListOptimalTrials returns', '',
    'optimalTrials (libs/core): in a GP study whose fitted noise variance is ≥ NOISY_VARIANCE (standardised units), the trial with the best posterior mean; otherwise the best observed. Median regret of that trial (noise-free value minus the minimum), then (where recorded) of the best observed trial, what ListOptimalTrials returned before; in brackets, the seeds where the trial was chosen by posterior mean. The table above is an oracle view (best noise-free value evaluated); this one is what a user is handed.', '',
    `| function | method | ${budgets.map((b) => `@${b}`).join(' | ')} |`, `|---|---|${budgets.map(() => '---:').join('|')}|`, ...recommendedRows,
  );
  if (paired) table.push('', ...ablationPairedTable(names, methods, json, budgets));
  table.push('', 'Plots: ' + names.map((n) => `[${n}](gp-quality-${slug(n)}.svg)`).join(', ') + '.');
  writeFileSync(join(outDir, 'gp-quality.md'), table.join('\n') + '\n');
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});

/** User priors on the optimum (πBO, ParameterSpec.prior): what a good prior gains and a misleading one
 *  costs, GP_BANDIT log-EI paired by seed against the same study without priors, side by side in one run.
 *
 *  - "good": every parameter's prior centred 5 % of its range off the known minimiser (a random
 *    direction per seed and coordinate), default width (15 % of the range): a practitioner who knows
 *    roughly where the optimum is.
 *  - "misleading": every centre 45 % of the range away from the minimiser (towards the far side of the
 *    box), same width: a confident belief that is wrong.
 *  Goals (issue 18): a good prior reaches the plain GP's budget-end regret in ≤ ⅓ of the evaluations; a
 *  misleading prior costs ≤ 10 % at budget end (the bar the LLM advice is held to: the paired log10
 *  regret difference's 90 % interval below log10 1.1).
 *  Usage: node dist/bench/src/user-prior.js [--seeds 20] [--budget 60] [--functions Branin,Hartmann-6]
 *         [--out bench/results]   (writes user-prior.md and user-prior.json) */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import type { StudyConfig } from '@hpo/core';
import { branin, hartmann3, hartmann6, rosenbrock, runBenchmark, type BenchmarkFunction } from '@hpo/testing';
import { median, mixSeed, Rng } from '@hpo/space';
import { bootstrap90, pairedCells, pairedComparison } from './paired-comparison';

interface PriorProblem {
  f: BenchmarkFunction;
  /** A global minimiser (Branin: the one at (π, 2.275); the prior is about one of its three). */
  minimiser: number[];
}

const PROBLEMS: PriorProblem[] = [
  { f: branin, minimiser: [Math.PI, 2.275] },
  { f: hartmann3, minimiser: [0.114614, 0.555649, 0.852547] },
  { f: hartmann6, minimiser: [0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573] },
  { f: rosenbrock(4), minimiser: [1, 1, 1, 1] },
];

type Arm = 'plain' | 'good' | 'misleading';
const ARMS: Arm[] = ['plain', 'good', 'misleading'];
const GOOD_OFFSET = 0.05;
const MISLEADING_OFFSET = 0.45;

/** Each parameter's prior centre for the arm (in the parameter's own units), seeded per problem and seed. */
function priorCentres(problem: PriorProblem, arm: Arm, seed: number): number[] {
  const rng = new Rng(mixSeed(seed, 0x9121));
  return problem.minimiser.map((m, i) => {
    const [lo, hi] = [problem.f.lower[i], problem.f.upper[i]];
    const unit = (m - lo) / (hi - lo);
    const direction = rng.uniform() < 0.5 ? -1 : 1;
    const moved = arm === 'good'
      ? Math.min(1, Math.max(0, unit + direction * GOOD_OFFSET))
      : unit < 0.5 ? unit + MISLEADING_OFFSET : unit - MISLEADING_OFFSET;
    return lo + moved * (hi - lo);
  });
}

function withPriors(centres: number[]): (config: StudyConfig) => StudyConfig {
  return (config) => ({ ...config, parameters: config.parameters.map((p, i) => ({ ...p, prior: { center: centres[i] } })) });
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const fmt = (v: number): string => (v === 0 ? '0' : Math.abs(v) >= 1e-2 && Math.abs(v) < 1e3 ? v.toPrecision(3) : v.toExponential(2));

/** Per seed: the first evaluation count at which the arm's regret is at most the plain run's at budget. */
function evaluationsToMatch(arm: number[][], plain: number[][], budget: number): number[] {
  return arm.map((regret, s) => {
    const target = plain[s][budget - 1];
    const t = regret.findIndex((r) => r <= target);
    return t < 0 ? Number.POSITIVE_INFINITY : t + 1;
  });
}

async function main(): Promise<void> {
  const seeds = Number(arg('seeds', '20'));
  const budget = Number(arg('budget', '60'));
  const only = arg('functions', PROBLEMS.map((p) => p.f.name).join(',')).split(',');
  const out = arg('out', 'bench/results');
  const started = Date.now();
  const results: Record<string, Record<Arm, number[][]>> = {};
  const lines: string[] = [];
  for (const problem of PROBLEMS.filter((p) => only.includes(p.f.name))) {
    const regret = { plain: [], good: [], misleading: [] } as Record<Arm, number[][]>;
    for (const arm of ARMS) {
      for (let seed = 1; seed <= seeds; seed++) {
        const configure = arm === 'plain' ? undefined : withPriors(priorCentres(problem, arm, seed));
        const run = await runBenchmark(problem.f, 'GP_BANDIT', 'LOG_EI', budget, seed, undefined, [], configure);
        regret[arm].push(run.regret);
      }
      process.stderr.write(`${problem.f.name} ${arm}: median regret ${fmt(median(regret[arm].map((r) => r[budget - 1])))} at ${budget}\n`);
    }
    results[problem.f.name] = regret;
  }

  lines.push('# User priors on the optimum (πBO): a good prior\'s gain, a misleading prior\'s cost');
  lines.push('');
  lines.push(`Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, load ${loadavg()[0].toFixed(1)} at the end; Node ${process.version}; ${new Date().toISOString().slice(0, 10)}; ${((Date.now() - started) / 1000).toFixed(0)} s.`);
  lines.push(`Command: \`npm run build && node dist/bench/src/user-prior.js${process.argv.slice(2).length ? ' ' + process.argv.slice(2).join(' ') : ''}\``);
  lines.push('');
  lines.push(`GP_BANDIT log-EI, ${seeds} seeds paired (seed s: the same study seed in every arm), budget ${budget}, one suggestion at a time. ` +
    `"good": each parameter's prior centred ${GOOD_OFFSET * 100} % of its range off the known minimiser (random direction per seed), default width (15 % of the range); ` +
    `"misleading": centred ${MISLEADING_OFFSET * 100} % of the range away, same width. Simple regret = best value found minus the minimum.`);
  lines.push('');
  lines.push('## Regret (median over seeds)');
  lines.push('');
  const checkpoints = [Math.round(budget / 6), Math.round(budget / 3), Math.round(budget / 2), budget];
  lines.push(`| function | arm | ${checkpoints.map((c) => `@${c}`).join(' | ')} |`);
  lines.push(`|---|---|${checkpoints.map(() => '---:').join('|')}|`);
  for (const [name, regret] of Object.entries(results)) {
    for (const arm of ARMS) lines.push(`| ${name} | ${arm} | ${checkpoints.map((c) => fmt(median(regret[arm].map((r) => r[c - 1])))).join(' | ')} |`);
  }
  lines.push('');
  lines.push(`## Goals`);
  lines.push('');
  lines.push(`Good prior: evaluations until its regret is at most the plain run's regret at ${budget} (per seed, paired; ∞ when never within the budget), as a fraction of the budget, median [seed-bootstrap 90 %]; goal ≤ ⅓. ` +
    'Misleading prior: paired log10 regret difference against plain at budget end (Δ > 0: the prior costs), ratio of medians, seeds more than 10 % better / worse, and the 10 % bar.');
  lines.push('');
  lines.push('| function | good: evaluations to plain\'s budget-end regret, fraction [90 %] | ≤ ⅓ | misleading vs plain @budget: median Δ [90 %] | ratio [90 %] | better / worse seeds | 10 % bar |');
  lines.push('|---|---:|---|---:|---:|---:|---|');
  const summary: Record<string, unknown> = {};
  for (const [name, regret] of Object.entries(results)) {
    const fractions = evaluationsToMatch(regret.good, regret.plain, budget).map((t) => t / budget);
    const m = median(fractions);
    const ci = bootstrap90(fractions.length, (ix) => median(ix.map((i) => fractions[i])), 7);
    const misleading = pairedComparison(regret.misleading.map((r) => r[budget - 1]), regret.plain.map((r) => r[budget - 1]), 11);
    lines.push(`| ${name} | ${fmt(m)} [${fmt(ci[0])}, ${fmt(ci[1])}] | ${ci[1] <= 1 / 3 ? 'met (shown)' : m <= 1 / 3 ? 'median met, interval not' : 'not met'} | ${pairedCells(misleading)} |`);
    summary[name] = { goodFractionMedian: m, goodFractionCi: ci, misleading };
  }
  lines.push('');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'user-prior.md'), lines.join('\n'));
  writeFileSync(join(out, 'user-prior.json'), JSON.stringify({ seeds, budget, summary, regret: results }, null, 1));
  process.stdout.write(lines.join('\n') + '\n');
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});

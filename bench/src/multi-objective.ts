/** Multi-objective and constrained search quality (issue 18), side by side in one run, paired by seed:
 *  GP_BANDIT (one GP per objective/constraint, random hypervolume scalarizations, probability of
 *  feasibility) against QUASI_RANDOM_SEARCH and RANDOM_SEARCH (ours, in process) and Optuna 3.1's
 *  NSGA-II and (MO)TPE (Debian's python3-optuna, driven by ask-and-tell over a pipe so the problems are
 *  defined once, here).
 *  - ZDT1/ZDT2/ZDT3 (Zitzler, Deb & Thiele 2000; 2 objectives, d = 6) and DTLZ2 (Deb et al. 2002; 3
 *    objectives, d = 6): hypervolume at budget, reference points as in BoTorch's test problems (11, 11)
 *    and (1.1, 1.1, 1.1).
 *  - Gramacy (Gramacy et al. 2016, "Modeling an augmented Lagrangian for blackbox constrained
 *    optimization"): min x1 + x2 under two constraints; best feasible value found (optimum ≈ 0.5998),
 *    against the same GP searching the objective alone and filtering afterwards (the constraints TRACKED).
 *  - digits-MLP: the demo's network, validation error against parameter count (a real 2-objective task;
 *    run it on its own: --problems digits-MLP --seeds 4 --budget 30, minutes of training a seed).
 *  Usage: node dist/bench/src/multi-objective.js [--seeds 10] [--budget 100] [--problems ZDT1,DTLZ2]
 *         [--no-optuna] [--gp-only] [--out bench/results]   (writes multi-objective.md and .json) */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { hypervolume } from '@hpo/acquisition';
import { createSuggestionPolicy, studyConfig } from '@hpo/core';
import type { AlgorithmName, MetricSpec, PolicyState, StudyConfig, TrialView } from '@hpo/core';
import { median } from '@hpo/space';
import { createEncoder } from '@hpo/space';
import { digitsBenchmarkConfig, digitsValidationAccuracy } from './gp-real-task-objective';
import { bootstrap90 } from './paired-comparison';

interface Evaluation {
  /** Minimised. */
  objectives: number[];
  /** Feasible when every value ≤ 0 (Optuna's convention). */
  constraints: number[];
}

interface Problem {
  name: string;
  d: number;
  objectives: number;
  constraints: number;
  evaluate(x: number[]): Evaluation | Promise<Evaluation>;
  /** Several objectives: the hypervolume reference point (minimisation). */
  reference?: number[];
  /** Constrained single objective: the known best feasible value. */
  optimum?: number;
}

const zdtG = (x: number[]): number => 1 + (9 * x.slice(1).reduce((a, b) => a + b, 0)) / (x.length - 1);

const PROBLEMS: Problem[] = [
  { name: 'ZDT1', d: 6, objectives: 2, constraints: 0, reference: [11, 11], evaluate: (x) => {
    const g = zdtG(x);
    return { objectives: [x[0], g * (1 - Math.sqrt(x[0] / g))], constraints: [] };
  } },
  { name: 'ZDT2', d: 6, objectives: 2, constraints: 0, reference: [11, 11], evaluate: (x) => {
    const g = zdtG(x);
    return { objectives: [x[0], g * (1 - (x[0] / g) ** 2)], constraints: [] };
  } },
  { name: 'ZDT3', d: 6, objectives: 2, constraints: 0, reference: [11, 11], evaluate: (x) => {
    const g = zdtG(x);
    const r = x[0] / g;
    return { objectives: [x[0], g * (1 - Math.sqrt(r) - r * Math.sin(10 * Math.PI * x[0]))], constraints: [] };
  } },
  { name: 'DTLZ2', d: 6, objectives: 3, constraints: 0, reference: [1.1, 1.1, 1.1], evaluate: (x) => {
    const g = x.slice(2).reduce((a, v) => a + (v - 0.5) ** 2, 0);
    const [a, b] = [x[0] * Math.PI / 2, x[1] * Math.PI / 2];
    return { objectives: [(1 + g) * Math.cos(a) * Math.cos(b), (1 + g) * Math.cos(a) * Math.sin(b), (1 + g) * Math.sin(a)], constraints: [] };
  } },
  { name: 'Gramacy', d: 2, objectives: 1, constraints: 2, optimum: 0.5998, evaluate: ([x1, x2]) => ({
    objectives: [x1 + x2],
    constraints: [1.5 - x1 - 2 * x2 - 0.5 * Math.sin(2 * Math.PI * (x1 * x1 - 2 * x2)), x1 * x1 + x2 * x2 - 1.5],
  }) },
];

/** The real task: examples/digits-mlp's network trained DIGITS_EPOCHS epochs; validation error against
 *  the parameter count (64·h + h + 10·h + 10 for h hidden units), both minimised. Every arm searches
 *  the example's space through its unit-cube encoding (decoded as the GP decodes it), so all search the
 *  same box. */
const DIGITS_EPOCHS = 5;
const digitsEncoder = createEncoder({ parameters: digitsBenchmarkConfig('GP_BANDIT', DIGITS_EPOCHS, 1).parameters });
PROBLEMS.push({
  name: 'digits-MLP', d: digitsEncoder.dimension, objectives: 2, constraints: 0, reference: [1, 10_000],
  evaluate: async (x) => {
    const params = digitsEncoder.decode(x);
    const accuracy = await digitsValidationAccuracy(params, DIGITS_EPOCHS);
    return { objectives: [1 - accuracy, 75 * Number(params.hidden_units) + 10], constraints: [] };
  },
});

type Arm =
  | { label: string; kind: 'ours'; algorithm: AlgorithmName; constraintsAs: 'CONSTRAINT' | 'TRACKED'; givenReference?: boolean }
  | { label: string; kind: 'optuna'; sampler: 'NSGAII' | 'TPE' };

const ARMS: Arm[] = [
  { label: 'GP_BANDIT', kind: 'ours', algorithm: 'GP_BANDIT', constraintsAs: 'CONSTRAINT' },
  { label: 'GP_BANDIT, reference point given', kind: 'ours', algorithm: 'GP_BANDIT', constraintsAs: 'CONSTRAINT', givenReference: true },
  { label: 'GP_BANDIT, constraints filtered afterwards', kind: 'ours', algorithm: 'GP_BANDIT', constraintsAs: 'TRACKED' },
  { label: 'QUASI_RANDOM_SEARCH', kind: 'ours', algorithm: 'QUASI_RANDOM_SEARCH', constraintsAs: 'CONSTRAINT' },
  { label: 'RANDOM_SEARCH', kind: 'ours', algorithm: 'RANDOM_SEARCH', constraintsAs: 'CONSTRAINT' },
  { label: 'Optuna NSGA-II', kind: 'optuna', sampler: 'NSGAII' },
  { label: 'Optuna TPE', kind: 'optuna', sampler: 'TPE' },
];

const PYTHON = '/usr/bin/python3';
const ASK_TELL = join(__dirname, '..', '..', '..', 'bench', 'python', 'optuna_ask_tell.py');

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

function config(problem: Problem, algorithm: AlgorithmName, constraintsAs: 'CONSTRAINT' | 'TRACKED', seed: number, givenReference = false): StudyConfig {
  const metrics: MetricSpec[] = [
    ...Array.from({ length: problem.objectives }, (_, i): MetricSpec => ({
      name: `f${i + 1}`, goal: 'MINIMIZE', ...(givenReference && problem.reference ? { referencePoint: problem.reference[i] } : {}),
    })),
    ...Array.from({ length: problem.constraints }, (_, j): MetricSpec => (
      constraintsAs === 'CONSTRAINT' ? { name: `c${j + 1}`, goal: 'MINIMIZE', role: 'CONSTRAINT', threshold: 0 } : { name: `c${j + 1}`, goal: 'MINIMIZE', role: 'TRACKED' })),
  ];
  return studyConfig({
    parameters: Array.from({ length: problem.d }, (_, i) => ({ name: `x${i}`, type: 'DOUBLE' as const, min: 0, max: 1, scale: 'LINEAR' as const })),
    metrics, algorithm, seed, leaseSeconds: 60, problemDescription: problem.name,
  });
}

/** The evaluated points in order, with the milliseconds each suggestion took. */
interface Run { points: Evaluation[]; suggestMs: number[] }

async function runOurs(problem: Problem, arm: Extract<Arm, { kind: 'ours' }>, budget: number, seed: number): Promise<Run> {
  const c = config(problem, arm.algorithm, arm.constraintsAs, seed, arm.givenReference);
  const policy = createSuggestionPolicy(c);
  const trials: TrialView[] = [];
  const points: Evaluation[] = [];
  const suggestMs: number[] = [];
  let state: PolicyState = {};
  while (trials.length < budget) {
    const started = performance.now();
    const result = await policy.suggest({ study: { config: c, trials }, count: 1, seed: seed * 100_003 + trials.length, state });
    suggestMs.push(performance.now() - started);
    state = result.state;
    const x = c.parameters.map((p) => result.suggestions[0].parameters[p.name] as number);
    const e = await problem.evaluate(x);
    points.push(e);
    const metrics: Record<string, number> = {};
    e.objectives.forEach((v, i) => (metrics[`f${i + 1}`] = v));
    e.constraints.forEach((v, j) => (metrics[`c${j + 1}`] = v));
    trials.push({ id: trials.length + 1, state: 'SUCCEEDED', parameters: result.suggestions[0].parameters, finalMeasurement: { step: 0, metrics, elapsedSeconds: 0 }, measurements: [] });
  }
  return { points, suggestMs };
}

async function runOptuna(problem: Problem, sampler: 'NSGAII' | 'TPE', budget: number, seed: number): Promise<Run> {
  const child: ChildProcessWithoutNullStreams = spawn(PYTHON, [ASK_TELL], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (b) => (stderr += String(b)));
  const lines: Interface = createInterface({ input: child.stdout });
  const iterator = lines[Symbol.asyncIterator]();
  child.stdin.write(JSON.stringify({
    sampler, seed, d: problem.d, budget, constrained: problem.constraints > 0,
    directions: Array.from({ length: problem.objectives }, () => 'minimize'),
  }) + '\n');
  const points: Evaluation[] = [];
  const suggestMs: number[] = [];
  for (let t = 0; t < budget; t++) {
    const started = performance.now();
    const next = await iterator.next();
    suggestMs.push(performance.now() - started);
    if (next.done) throw new Error(`optuna ${sampler} ended early: ${stderr}`);
    const e = await problem.evaluate(JSON.parse(next.value) as number[]);
    points.push(e);
    child.stdin.write(JSON.stringify({ values: e.objectives, constraints: e.constraints }) + '\n');
  }
  child.stdin.end();
  await new Promise((resolve) => child.on('close', resolve));
  return { points, suggestMs };
}

/** Quality after `n` evaluations: hypervolume of the feasible points (several objectives), or the best
 *  feasible value's regret (NaN when none is feasible yet; counted as the worst). */
function quality(problem: Problem, points: Evaluation[], n: number): number {
  const feasible = points.slice(0, n).filter((e) => e.constraints.every((c) => c <= 0));
  if (problem.reference) return hypervolume(feasible.map((e) => e.objectives.map((v) => -v)), problem.reference.map((v) => -v));
  return feasible.length ? Math.min(...feasible.map((e) => e.objectives[0])) - problem.optimum! : Number.POSITIVE_INFINITY;
}

function applicable(problem: Problem, arm: Arm): boolean {
  if (arm.kind === 'ours' && arm.constraintsAs === 'TRACKED') return problem.constraints > 0;
  if (arm.kind === 'ours' && arm.givenReference) return problem.reference !== undefined;
  return true;
}

function fmt(v: number): string {
  if (!Number.isFinite(v)) return '∞';
  return Math.abs(v) >= 100 ? v.toFixed(1) : Math.abs(v) >= 0.01 ? v.toFixed(3) : v.toExponential(2);
}

async function main(): Promise<void> {
  const seeds = Number(arg('seeds', '10'));
  const budget = Number(arg('budget', '100'));
  const only = arg('problems', PROBLEMS.filter((p) => p.name !== 'digits-MLP').map((p) => p.name).join(',')).split(',');
  const out = arg('out', 'bench/results');
  // Debian's python3-optuna under /usr/bin/python3; without it the Optuna arms are left out (said in the table).
  const optuna = !process.argv.includes('--no-optuna') && existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import optuna']).status === 0;
  const gpOnly = process.argv.includes('--gp-only');
  const checkpoints = [Math.round(budget / 2), budget];
  const results: Record<string, Record<string, { quality: Record<number, number[]>; suggestMs: number[] }>> = {};
  const started = Date.now();
  for (const problem of PROBLEMS.filter((p) => only.includes(p.name))) {
    results[problem.name] = {};
    for (const arm of ARMS.filter((a) => applicable(problem, a) && (a.kind === 'ours' || optuna) && (!gpOnly || a.label.startsWith('GP_BANDIT')))) {
      const cell = { quality: Object.fromEntries(checkpoints.map((c) => [c, [] as number[]])), suggestMs: [] as number[] };
      for (let seed = 1; seed <= seeds; seed++) {
        const run = arm.kind === 'ours' ? await runOurs(problem, arm, budget, seed) : await runOptuna(problem, arm.sampler, budget, seed);
        for (const c of checkpoints) cell.quality[c].push(quality(problem, run.points, c));
        cell.suggestMs.push(...run.suggestMs);
      }
      results[problem.name][arm.label] = cell;
      process.stderr.write(`${problem.name} ${arm.label}: median ${fmt(median(cell.quality[budget]))} at ${budget}\n`);
    }
  }
  const report = render(results, checkpoints, seeds, budget, optuna, (Date.now() - started) / 1000);
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'multi-objective.md'), report);
  writeFileSync(join(out, 'multi-objective.json'), JSON.stringify({ seeds, budget, results }, null, 1));
  process.stdout.write(report);
}

function render(
  results: Record<string, Record<string, { quality: Record<number, number[]>; suggestMs: number[] }>>,
  checkpoints: number[], seeds: number, budget: number, optuna: boolean, seconds: number,
): string {
  const lines = [
    '# Several objectives and constraints: GP_BANDIT against quasi-random, random and Optuna',
    '',
    `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, load ${loadavg()[0].toFixed(1)} at the end; Node ${process.version}; ${new Date().toISOString().slice(0, 10)}; ${seconds.toFixed(0)} s.`,
    `Command: \`npm run build && node dist/bench/src/multi-objective.js${process.argv.slice(2).length ? ' ' + process.argv.slice(2).join(' ') : ''}\``,
    '',
    `${seeds} seeds, paired (seed s is the same study seed for every arm of ours and Optuna's sampler seed), budget ${budget}, one suggestion at a time.` +
      (optuna ? ' Optuna 3.1 (Debian python3-optuna): NSGA-II with population 20, TPE multivariate (MOTPE for several objectives), both with constraints_func on Gramacy.' : ' Optuna not run (--no-optuna, or no /usr/bin/python3 with python3-optuna).'),
    '',
    `Several objectives: hypervolume of the points found (larger is better; reference (11, 11) for ZDT, (1.1, 1.1, 1.1) for DTLZ2, (1, 10000) for digits-MLP's validation error and parameter count after ${DIGITS_EPOCHS} epochs). Gramacy: best feasible x1 + x2 minus the optimum 0.5998 (smaller is better; ∞ when nothing feasible was found). Median over seeds with a seed-bootstrap 90 % interval; "vs GP" is the paired per-seed difference (arm − GP_BANDIT) with its interval and the seeds where GP_BANDIT is better.`,
    '',
  ];
  for (const [problem, arms] of Object.entries(results)) {
    const larger = problem !== 'Gramacy';
    lines.push(`## ${problem}`, '', `| arm | ${checkpoints.map((c) => `median at ${c} [90 % CI]`).join(' | ')} | vs GP at ${budget}: median diff [90 % CI] | GP better | suggest ms p50 |`, `|---|${checkpoints.map(() => '---:').join('|')}|---:|---:|---:|`);
    const gp = arms.GP_BANDIT?.quality[budget];
    for (const [label, cell] of Object.entries(arms)) {
      const cells = checkpoints.map((c) => {
        const v = cell.quality[c];
        const [lo, hi] = bootstrap90(v.length, (ix) => median(ix.map((i) => v[i])), 7);
        return `${fmt(median(v))} [${fmt(lo)}, ${fmt(hi)}]`;
      });
      let versus = '—';
      let better = '—';
      if (gp && label !== 'GP_BANDIT') {
        const v = cell.quality[budget];
        const diff = v.map((x, i) => (Number.isFinite(x) && Number.isFinite(gp[i]) ? x - gp[i] : larger ? -Infinity : Infinity));
        const [lo, hi] = bootstrap90(diff.length, (ix) => median(ix.map((i) => diff[i])), 11);
        versus = `${fmt(median(diff))} [${fmt(lo)}, ${fmt(hi)}]`;
        better = `${v.filter((x, i) => (larger ? gp[i] > x : gp[i] < x)).length}/${v.length}`;
      }
      lines.push(`| ${label} | ${cells.join(' | ')} | ${versus} | ${better} | ${median(cell.suggestMs).toFixed(1)} |`);
    }
    lines.push('');
  }
  return lines.join('\n') + '\n';
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});

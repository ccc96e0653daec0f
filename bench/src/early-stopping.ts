/** Early-stopping benchmark: FREEZE_THAW vs MEDIAN vs NONE on learning-curve tasks (synthetic
 *  families and real curves recorded from training an MLP on digits), over several seeds.
 *
 *  For each run: the total epochs spent until a trial within 1% of the best achievable final value has
 *  been trained to max_step, and the final regret (best true final value among trials trained to
 *  max_step, minus the best achievable) at a fixed epoch budget of 10 full trainings.
 *
 *  Run: npm run build && node dist/bench/src/early-stopping.js [seeds=5] [tasks=comma-separated names]
 *  Writes bench/results/early-stopping.md and .json. Each task runs in its own child process, two at a
 *  time (the machine's two cores); a child given ES_BENCH_CHILD=1 prints its runs as JSON instead. */
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Table from 'cli-table3';
import type { EarlyStoppingMode } from '@hpo/core';
import { RunResult, simulateStudy } from './early-stopping-simulate';
import { CurveTask, digitsTask, syntheticTasks } from './early-stopping-tasks';
import { median } from '@hpo/space';

const METHODS: EarlyStoppingMode[] = ['NONE', 'MEDIAN', 'ASHA', 'HYPERBAND', 'FREEZE_THAW'];
/** Runs read the regret after this many full trainings' worth of epochs. */
const BUDGET_TRAININGS = 10;
const TOLERANCE = 0.01;
/** Both rules wait for 3 reports and 3 other curves, the usual warm-up (Optuna's n_warmup_steps /
 *  n_startup_trials are of this order). */
const MIN_STEPS = 3;
const MIN_TRIALS = 3;

interface Summary {
  task: string;
  method: EarlyStoppingMode;
  runs: number;
  found: number;
  medianEpochsToFind: number | null;
  meanEpochsToFind: number | null;
  /** Median over seeds of (epochs to find with this method) / (epochs with NONE), same seed. */
  medianEpochRatioVsNone: number | null;
  medianRegret: number;
  meanRegret: number;
  paused: number;
  stopped: number;
  thawed: number;
  policySecondsPerRun: number;
}

/** The median, or null for no values (shown as "—"). */
const medianOrNull = (v: number[]): number | null => (v.length === 0 ? null : median(v));
const mean = (v: number[]): number | null => (v.length ? v.reduce((a, b) => a + b, 0) / v.length : null);

function summarise(results: RunResult[]): Summary[] {
  const out: Summary[] = [];
  const tasks = [...new Set(results.map((r) => r.task))];
  for (const task of tasks) {
    for (const method of METHODS) {
      const rs = results.filter((r) => r.task === task && r.method === method);
      if (rs.length === 0) continue;
      const found = rs.filter((r) => r.epochsToFind !== null).map((r) => r.epochsToFind as number);
      const ratios: number[] = [];
      for (const r of rs) {
        const none = results.find((q) => q.task === task && q.method === 'NONE' && q.seed === r.seed);
        // A run that never found the target counts as the whole pool's cost (a lower bound on its ratio).
        if (none?.epochsToFind) ratios.push((r.epochsToFind ?? Number.POSITIVE_INFINITY) / none.epochsToFind);
      }
      out.push({
        task,
        method,
        runs: rs.length,
        found: found.length,
        medianEpochsToFind: medianOrNull(found),
        meanEpochsToFind: mean(found),
        medianEpochRatioVsNone: medianOrNull(ratios),
        medianRegret: median(rs.map((r) => r.regretAtBudget)),
        meanRegret: mean(rs.map((r) => r.regretAtBudget)) as number,
        paused: rs.reduce((s, r) => s + r.paused, 0),
        stopped: rs.reduce((s, r) => s + r.stopped, 0),
        thawed: rs.reduce((s, r) => s + r.thawed, 0),
        policySecondsPerRun: rs.reduce((s, r) => s + r.policyMs, 0) / rs.length / 1000,
      });
    }
  }
  return out;
}

const fmt = (v: number | null, digits = 0): string => (v === null ? '—' : !Number.isFinite(v) ? '∞' : v.toFixed(digits));
const fmtRegret = (v: number): string => (v === 0 ? '0' : v < 1e-3 ? v.toExponential(1) : v.toFixed(4));

function markdown(summaries: Summary[], seeds: number, tasks: CurveTask[], wallSeconds: number): string {
  const lines = [
    '# Early stopping: FREEZE_THAW vs MEDIAN vs NONE',
    '',
    `Command: \`npm run build && node dist/bench/src/early-stopping.js ${seeds}\` (${wallSeconds.toFixed(0)} s wall on this machine).`,
    '',
    `Each run simulates one study with one worker training one epoch at a time, using the real policies`,
    `(libs/core: \`createEarlyStoppingPolicy(config).decide\` at every report, \`withFreezeThaw\` around the suggestion`,
    `policy). New configurations come from the task's pool in a seeded random order, identical for the three`,
    `methods (paired runs): the comparison isolates early stopping from the search. min_steps = ${MIN_STEPS},`,
    `min_trials = ${MIN_TRIALS}. A PAUSED trial keeps its curve and can be thawed; a STOPPED one ends there.`,
    '',
    `- **epochs to find**: total epochs spent (all trials) when a trial whose true final value is within`,
    `  ${TOLERANCE * 100}% of the pool's best has been trained to max_step. Runs continue until then (or until the`,
    `  pool is exhausted: "found" counts the runs that got there). **ratio vs NONE**: per seed, epochs to`,
    `  find / NONE's, median over seeds (∞ when the method never found it).`,
    `- **regret @ budget**: best true final value among trials trained to max_step within ${BUDGET_TRAININGS} x max_step`,
    `  epochs, minus the pool's best (median over seeds). 0 = the best configuration was found and finished.`,
    '',
    'Tasks:',
    ...tasks.map((t) => `- **${t.name}**: ${t.description}; max_step ${t.maxStep}, pool of ${t.configurations.length} configurations.`),
    '',
    '| task | method | found | median epochs to find | mean epochs to find | ratio vs NONE | median regret @ budget | mean regret @ budget | paused | stopped | thawed | policy s/run |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...summaries.map((s) =>
      `| ${s.task} | ${s.method} | ${s.found}/${s.runs} | ${fmt(s.medianEpochsToFind)} | ${fmt(s.meanEpochsToFind)} | ${fmt(s.medianEpochRatioVsNone, 2)} | ${fmtRegret(s.medianRegret)} | ${fmtRegret(s.meanRegret)} | ${s.paused} | ${s.stopped} | ${s.thawed} | ${s.policySecondsPerRun.toFixed(1)} |`),
    '',
  ];
  return lines.join('\n');
}

const TASK_NAMES = ['exponential', 'power-law', 'crossing', 'divergent', 'digits'];

function tasksFor(seed: number, names: string[]): CurveTask[] {
  const wanted = (t: CurveTask): boolean => names.some((n) => t.name.startsWith(n));
  const synthetic = syntheticTasks(seed).filter(wanted);
  return names.some((n) => n.startsWith('digits')) ? [...synthetic, digitsTask()] : synthetic;
}

async function runTasks(seeds: number, names: string[], log: (line: string) => void): Promise<RunResult[]> {
  const results: RunResult[] = [];
  for (let seed = 1; seed <= seeds; seed++) {
    for (const task of tasksFor(seed, names)) {
      for (const method of METHODS) {
        const r = await simulateStudy(task, method, seed, {
          budget: BUDGET_TRAININGS * task.maxStep,
          minSteps: MIN_STEPS,
          minTrials: MIN_TRIALS,
          tolerance: TOLERANCE,
        });
        results.push(r);
        log(`${task.name.padEnd(18)} ${method.padEnd(12)} seed ${seed}: epochs to find ${r.epochsToFind ?? 'never'}, regret ${fmtRegret(r.regretAtBudget)}, trials ${r.trialsStarted}, paused ${r.paused}, stopped ${r.stopped}, thawed ${r.thawed}, policy ${(r.policyMs / 1000).toFixed(1)} s`);
      }
    }
  }
  return results;
}

/** Runs one task in a child process (this same script) and returns its runs. */
function runChild(seeds: number, name: string): Promise<RunResult[]> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [__filename, String(seeds), name], { env: { ...process.env, ES_BENCH_CHILD: '1' }, maxBuffer: 1 << 26 }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`task ${name}: ${error.message}\n${stderr}`));
      const lines = stdout.trim().split('\n');
      for (const line of lines.slice(0, -1)) console.log(line);
      resolve(JSON.parse(lines[lines.length - 1]) as RunResult[]);
    });
  });
}

async function main(): Promise<void> {
  const seeds = Number(process.argv[2] ?? 5);
  const names = process.argv[3]?.split(',') ?? TASK_NAMES;
  if (process.env.ES_BENCH_CHILD === '1') {
    const lines: string[] = [];
    const results = await runTasks(seeds, names, (l) => lines.push(l));
    process.stdout.write(lines.join('\n') + '\n' + JSON.stringify(results) + '\n');
    return;
  }
  const started = Date.now();
  const queue = [...names];
  const byTask = new Map<string, RunResult[]>();
  const worker = async (): Promise<void> => {
    for (let name = queue.shift(); name !== undefined; name = queue.shift()) byTask.set(name, await runChild(seeds, name));
  };
  await Promise.all([worker(), worker()]);
  const results = names.flatMap((n) => byTask.get(n) ?? []);
  const usedTasks = tasksFor(1, names);
  const summaries = summarise(results);
  const table = new Table({ head: ['task', 'method', 'found', 'median epochs', 'ratio vs NONE', 'median regret', 'paused', 'stopped', 'thawed'] });
  for (const s of summaries) table.push([s.task, s.method, `${s.found}/${s.runs}`, fmt(s.medianEpochsToFind), fmt(s.medianEpochRatioVsNone, 2), fmtRegret(s.medianRegret), s.paused, s.stopped, s.thawed]);
  console.log(table.toString());
  const wall = (Date.now() - started) / 1000;
  const dir = join(__dirname, '..', '..', '..', 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'early-stopping.md'), markdown(summaries, seeds, usedTasks, wall));
  writeFileSync(join(dir, 'early-stopping.json'), JSON.stringify({ seeds, tolerance: TOLERANCE, budgetTrainings: BUDGET_TRAININGS, minSteps: MIN_STEPS, minTrials: MIN_TRIALS, summaries, runs: results }, null, 1) + '\n');
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}

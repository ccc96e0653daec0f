/** Early stopping with GP_BANDIT on recorded and synthetic learning curves (issue 13's bench).
 *
 *  Arms: NONE, MEDIAN, ASHA, HYPERBAND, FREEZE_THAW, each with GP_BANDIT choosing new configurations
 *  (the registry's policies and decorators, as the server builds them, default warm-up). Tasks are
 *  finite pools of configurations with recorded curves (tabular benchmarks, as LCBench or HPOBench):
 *  the GP's suggestion is snapped to the nearest configuration of the pool not yet tried, in the space's
 *  unit-cube encoding. One worker trains one epoch at a time; the policy state is threaded through both
 *  sides as the server stores it; paused trials left at the end are early-stopped. Runs are paired by
 *  seed (same pool, same GP seed).
 *
 *  Per run: epochs until a trial trained to max_step is a top-5 % configuration of the pool (by its
 *  true final value); the best true final value among trials trained to max_step within the budget
 *  (30 full trainings); the share of new trials after the initial design that came from the GP's
 *  acquisition; milliseconds per decision and per suggestion (p50); pause/thaw flips per trial.
 *
 *  Run: npm run build && node dist/bench/src/early-stopping-gp.js [seeds=5] [tasks=digits-mlp,sgd-linear,crossing] [arms=all]
 *  Each run is appended to bench/results/early-stopping-gp.runs.jsonl as it ends (a long run that is
 *  stopped keeps what it did; runs already in the file are skipped, so the command resumes); the table
 *  (bench/results/early-stopping-gp.md and .json) is written from every run in that file. Runs of another
 *  version of the code (e.g. the previous FREEZE_THAW) can be appended under their own arm label. */
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createEarlyStoppingPolicy, createSuggestionPolicy, studyConfig } from '@hpo/core';
import type { EarlyStoppingMode, PolicyState, StudyView, TrialView } from '@hpo/core';
import { createEncoder, median, mixSeed } from '@hpo/space';
import { CurveTask, digitsTask, syntheticTasks } from './early-stopping-tasks';
import type { RecordedCurves } from './early-stopping-record-curves';

const ARMS: string[] = ['NONE', 'MEDIAN', 'ASHA', 'HYPERBAND', 'FREEZE_THAW', 'QUASI_RANDOM+NONE'];
const BUDGET_TRAININGS = 30;
const TOP_FRACTION = 0.05;
/** HPO_BENCH_TRACE=1: every suggestion and every PAUSE/STOP with its reason, on stderr. */
const TRACE = process.env.HPO_BENCH_TRACE === '1';

export interface GpRun {
  task: string;
  /** An early-stopping mode, or a label such as 'FREEZE_THAW@e0e91d1' for a run of another version. */
  arm: string;
  seed: number;
  epochsToTop: number | null;
  bestFinal: number;
  newTrials: number;
  gpShareAfterDesign: number;
  decisionMs: number[];
  suggestionMs: number[];
  maxFlips: number;
  meanFlips: number;
  paused: number;
  thawed: number;
  stopped: number;
  /** Trials left PAUSED or EARLY_STOPPED whose configuration is a top-5 % one (a thaw would have found it). */
  frozenTop?: number;
}

/** The SGD softmax-regression curves (early-stopping-record-sgd.ts). */
export function sgdTask(): CurveTask {
  const recorded = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'bench', 'results', 'early-stopping.sgd-curves.json'), 'utf8')) as RecordedCurves;
  const maxStep = recorded.epochs;
  const curves = recorded.curves.map((c) => c.validationLoss);
  const trueFinal = curves.map((c) => {
    const tail = c.slice(maxStep - 3);
    return tail.some((v) => v === null) ? Number.POSITIVE_INFINITY : (tail as number[]).reduce((s, v) => s + v, 0) / 3;
  });
  return {
    name: 'sgd-linear (real)',
    description: `validation cross-entropy of softmax regression by SGD with step-size decay on ${recorded.dataset}`,
    goal: 'MINIMIZE',
    maxStep,
    parameters: [
      { name: 'learning_rate', type: 'DOUBLE', min: 1e-3, max: 30, scale: 'LOG' },
      { name: 'decay', type: 'DOUBLE', min: 1e-3, max: 3, scale: 'LOG' },
      { name: 'l2', type: 'DOUBLE', min: 1e-6, max: 1e-1, scale: 'LOG' },
      { name: 'batch_size', type: 'DISCRETE', values: [8, 32, 128] },
    ],
    configurations: recorded.curves.map((c) => ({ learning_rate: c.configuration.learningRate, decay: c.configuration.hiddenUnits, l2: c.configuration.l2, batch_size: c.configuration.batchSize })),
    curves,
    trueFinal,
  };
}

function tasksByName(names: string[]): CurveTask[] {
  const all: Record<string, () => CurveTask> = {
    'digits-mlp': digitsTask,
    'sgd-linear': sgdTask,
    crossing: () => syntheticTasks(7).find((t) => t.name === 'crossing') as CurveTask,
  };
  return names.map((n) => {
    const make = all[n];
    if (!make) throw new Error(`unknown task ${n} (known: ${Object.keys(all).join(', ')})`);
    return make();
  });
}

/** The baseline without a model: quasi-random configurations, each trained to max_step. */
export const QUASI_RANDOM_ARM = 'QUASI_RANDOM+NONE';

export async function runGpStudy(task: CurveTask, armName: EarlyStoppingMode | typeof QUASI_RANDOM_ARM, seed: number): Promise<GpRun> {
  const quasiRandom = armName === QUASI_RANDOM_ARM;
  const arm: EarlyStoppingMode = quasiRandom ? 'NONE' : (armName as EarlyStoppingMode);
  const config = studyConfig({
    parameters: task.parameters,
    metrics: [{ name: 'objective', goal: task.goal }],
    algorithm: quasiRandom ? 'QUASI_RANDOM_SEARCH' : 'GP_BANDIT',
    earlyStopping: { mode: arm, maxStep: task.maxStep, minSteps: 0, minTrials: 0, maxStepsTotal: 0 },
    maxParallel: 1,
    // The pool is the space: once every configuration is tried no new one may start (as at max_trials).
    maxTrials: task.configurations.length,
    seed,
  });
  const encoder = createEncoder({ parameters: task.parameters });
  const pool = task.configurations.map((c) => encoder.encode(c));
  const suggester = createSuggestionPolicy(config);
  const stopper = createEarlyStoppingPolicy(config);
  const study: StudyView = { config, trials: [] };
  const poolIndex = new Map<number, number>();
  const finite = task.trueFinal.filter(Number.isFinite).sort((a, b) => (task.goal === 'MINIMIZE' ? a - b : b - a));
  const topThreshold = finite[Math.max(0, Math.ceil(TOP_FRACTION * task.trueFinal.length) - 1)];
  const isTop = (v: number): boolean => Number.isFinite(v) && (task.goal === 'MINIMIZE' ? v <= topThreshold : v >= topThreshold);
  const better = (a: number, b: number): boolean => (task.goal === 'MINIMIZE' ? a < b : a > b);
  const budget = BUDGET_TRAININGS * task.maxStep;
  const flips = new Map<number, number>();
  const run: GpRun = {
    task: task.name, arm: armName, seed, epochsToTop: null, bestFinal: task.goal === 'MINIMIZE' ? Infinity : -Infinity, newTrials: 0, gpShareAfterDesign: 0,
    decisionMs: [], suggestionMs: [], maxFlips: 0, meanFlips: 0, paused: 0, thawed: 0, stopped: 0,
  };
  let afterDesign = 0;
  let fromGp = 0;
  let state: PolicyState = {};
  let epochs = 0;
  const used = new Set<number>();
  while (epochs < budget) {
    let t0 = performance.now();
    const result = await suggester.suggest({ study, count: 1, seed: mixSeed(seed, study.trials.length), state, newTrialsAllowed: study.trials.length < pool.length });
    run.suggestionMs.push(performance.now() - t0);
    state = result.state;
    const s = result.suggestions[0];
    if (TRACE) process.stderr.write(`  [${epochs} epochs] suggest: ${s ? `${s.origin}${s.resumeTrialId ? ` trial ${s.resumeTrialId}` : ''}: ${s.reason}` : 'nothing'}\n`);
    if (!s) break;
    let trial: TrialView;
    if (s.resumeTrialId !== undefined) {
      trial = study.trials.find((t) => t.id === s.resumeTrialId) as TrialView;
      trial.state = 'ACTIVE';
      trial.resumeFromStep = (trial.measurements[trial.measurements.length - 1]?.step ?? 0) + 1;
      run.thawed++;
      flips.set(trial.id, (flips.get(trial.id) ?? 0) + 1);
    } else {
      // Snap to the nearest configuration of the pool not yet tried.
      const x = encoder.encode(s.parameters);
      let best = -1;
      let bestD = Infinity;
      pool.forEach((p, i) => {
        if (used.has(i)) return;
        let d = 0;
        for (let j = 0; j < p.length; j++) d += (p[j] - x[j]) ** 2;
        if (d < bestD) (bestD = d), (best = i);
      });
      if (best < 0) break;
      used.add(best);
      trial = { id: study.trials.length + 1, state: 'ACTIVE', parameters: task.configurations[best], measurements: [] };
      poolIndex.set(trial.id, best);
      study.trials.push(trial);
      run.newTrials++;
      if (s.origin !== 'design') {
        afterDesign++;
        if (s.origin === 'gp') fromGp++;
      }
    }
    const k = poolIndex.get(trial.id) as number;
    const from = (trial.measurements[trial.measurements.length - 1]?.step ?? 0) + 1;
    for (let step = from; step <= task.maxStep && epochs < budget; step++) {
      epochs++;
      const v = task.curves[k][step - 1];
      if (v === null) {
        trial.state = 'INFEASIBLE';
        break;
      }
      const m = { step, metrics: { objective: v }, elapsedSeconds: step };
      trial.measurements.push(m);
      if (step === task.maxStep) {
        trial.state = 'SUCCEEDED';
        trial.finalMeasurement = m;
        const f = task.trueFinal[k];
        if (better(f, run.bestFinal)) run.bestFinal = f;
        if (run.epochsToTop === null && isTop(f)) run.epochsToTop = epochs;
        break;
      }
      t0 = performance.now();
      const decided = stopper.decide({ study, trialIds: [trial.id], state });
      run.decisionMs.push(performance.now() - t0);
      state = decided.state;
      const d = decided.decisions[0];
      if (TRACE && d.decision !== 'CONTINUE') process.stderr.write(`  [${epochs} epochs] trial ${trial.id} step ${step}: ${d.decision}: ${d.reason}\n`);
      if (d.decision === 'PAUSE') {
        trial.state = 'PAUSED';
        run.paused++;
        flips.set(trial.id, (flips.get(trial.id) ?? 0) + 1);
        break;
      }
      if (d.decision === 'STOP') {
        trial.state = 'EARLY_STOPPED';
        trial.finalMeasurement = m;
        run.stopped++;
        break;
      }
    }
    if (trial.state === 'ACTIVE') break; // the budget ran out mid-trial
  }
  run.frozenTop = study.trials.filter((t) => (t.state === 'PAUSED' || t.state === 'EARLY_STOPPED') && isTop(task.trueFinal[poolIndex.get(t.id) as number])).length;
  if (TRACE) {
    for (const t of study.trials) {
      const k = poolIndex.get(t.id) as number;
      if (t.state === 'PAUSED' || isTop(task.trueFinal[k])) process.stderr.write(`  trial ${t.id} ${t.state} at step ${t.measurements[t.measurements.length - 1]?.step}: true final ${fmt(task.trueFinal[k])}${isTop(task.trueFinal[k]) ? ' (top-5 %)' : ''}\n`);
    }
    process.stderr.write(`  top-5 % threshold ${fmt(topThreshold)}\n`);
  }
  const perTrial = study.trials.map((t) => flips.get(t.id) ?? 0);
  run.maxFlips = Math.max(0, ...perTrial);
  run.meanFlips = perTrial.length ? perTrial.reduce((a, b) => a + b, 0) / perTrial.length : 0;
  run.gpShareAfterDesign = afterDesign ? fromGp / afterDesign : 0;
  return run;
}

const p50 = (v: number[]): number => (v.length ? median(v) : NaN);
const fmt = (v: number | null, digits = 3): string => (v === null || !Number.isFinite(v) ? '—' : Number(v.toPrecision(digits)).toString());

/** A 95 % bootstrap interval of the mean of `v` (2,000 resamples, seeded). */
function bootstrapMean(v: number[], seed: number): [number, number, number] {
  const mean = (x: number[]): number => x.reduce((a, b) => a + b, 0) / x.length;
  let s = seed >>> 0 || 1;
  const rand = (): number => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const boots: number[] = [];
  for (let b = 0; b < 2000; b++) boots.push(mean(v.map(() => v[Math.floor(rand() * v.length)])));
  boots.sort((a, b) => a - b);
  return [mean(v), boots[50], boots[1949]];
}

/** FREEZE_THAW against each other arm, paired by seed: the ratio of epochs to a top-5 % configuration
 *  (geometric mean, a run that never got there counting as the budget) and the difference of best finals
 *  (FREEZE_THAW − other, in the metric's units; negative is better for a loss), each with a 95 %
 *  bootstrap interval, and how many seeds FREEZE_THAW was better / tied / worse on the best final. */
function versusLines(tasks: CurveTask[], all: GpRun[], arms: string[]): string[] {
  const lines = [
    '',
    '## FREEZE_THAW against each arm, paired by seed',
    '',
    'Epochs ratio < 1: FREEZE_THAW found a top-5 % configuration sooner. Best-final difference < 0: FREEZE_THAW ended better (these metrics are losses). W/T/L: seeds where its best final was better / equal (within 1e-9) / worse.',
    '',
    '| task | FREEZE_THAW vs | epochs ratio [95 %] | best-final difference [95 %] | W/T/L |',
    '|---|---|---|---|---|',
  ];
  for (const task of tasks) {
    const budget = BUDGET_TRAININGS * task.maxStep;
    const ft = all.filter((r) => r.task === task.name && r.arm === 'FREEZE_THAW');
    for (const arm of arms) {
      if (arm === 'FREEZE_THAW') continue;
      const logs: number[] = [];
      const diffs: number[] = [];
      for (const r of ft) {
        const o = all.find((q) => q.task === task.name && q.arm === arm && q.seed === r.seed);
        if (!o) continue;
        logs.push(Math.log((r.epochsToTop ?? budget) / (o.epochsToTop ?? budget)));
        diffs.push(r.bestFinal - o.bestFinal);
      }
      if (logs.length === 0) continue;
      const [lm, llo, lhi] = bootstrapMean(logs, 17);
      const [dm, dlo, dhi] = bootstrapMean(diffs, 23);
      const sign = task.goal === 'MINIMIZE' ? 1 : -1;
      const wins = diffs.filter((d) => sign * d < -1e-9).length;
      const losses = diffs.filter((d) => sign * d > 1e-9).length;
      lines.push(
        `| ${task.name} | ${arm} | ${fmt(Math.exp(lm), 2)} [${fmt(Math.exp(llo), 2)}, ${fmt(Math.exp(lhi), 2)}] | ${fmt(dm, 2)} [${fmt(dlo, 2)}, ${fmt(dhi, 2)}] | ${wins}/${diffs.length - wins - losses}/${losses} |`,
      );
    }
  }
  return lines;
}

/** Mean of paired log-ratios arm/NONE of epochs to a top-5 % configuration, with a 95 % bootstrap
 *  interval, as a ratio; a run that never got there counts as the whole budget. */
function pairedRatio(runs: GpRun[], none: GpRun[], budget: number, seed: number): string {
  const logs: number[] = [];
  for (const r of runs) {
    const n = none.find((q) => q.seed === r.seed);
    if (!n) continue;
    logs.push(Math.log((r.epochsToTop ?? budget) / (n.epochsToTop ?? budget)));
  }
  if (logs.length === 0) return '—';
  const mean = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length;
  let s = seed >>> 0 || 1;
  const rand = (): number => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const boots: number[] = [];
  for (let b = 0; b < 2000; b++) boots.push(mean(logs.map(() => logs[Math.floor(rand() * logs.length)])));
  boots.sort((a, b) => a - b);
  return `${fmt(Math.exp(mean(logs)), 2)} [${fmt(Math.exp(boots[50]), 2)}, ${fmt(Math.exp(boots[1949]), 2)}]`;
}

const RESULTS = join(__dirname, '..', '..', '..', 'bench', 'results');
const RUNS_FILE = join(RESULTS, 'early-stopping-gp.runs.jsonl');

function readRuns(): GpRun[] {
  if (!existsSync(RUNS_FILE)) return [];
  return readFileSync(RUNS_FILE, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as GpRun);
}

async function main(): Promise<void> {
  const seeds = Number(process.argv[2] ?? 5);
  const tasks = tasksByName((process.argv[3] ?? 'digits-mlp,sgd-linear,crossing').split(','));
  const arms = process.argv[4] && process.argv[4] !== 'all' ? process.argv[4].split(',') : ARMS;
  mkdirSync(RESULTS, { recursive: true });
  const done = new Set(readRuns().map((r) => `${r.task}|${r.arm}|${r.seed}`));
  for (const task of tasks) {
    for (let seed = 1; seed <= seeds; seed++) {
      for (const arm of arms) {
        if (done.has(`${task.name}|${arm}|${seed}`)) continue;
        const t0 = performance.now();
        const r = await runGpStudy(task, arm as EarlyStoppingMode, seed);
        appendFileSync(RUNS_FILE, JSON.stringify({ ...r, decisionMs: p50(r.decisionMs), suggestionMs: p50(r.suggestionMs) }) + '\n');
        process.stderr.write(`${task.name} ${arm} seed ${seed}: epochs to top-5% ${r.epochsToTop ?? '—'}, best ${fmt(r.bestFinal)}, GP share ${fmt(r.gpShareAfterDesign, 2)}, max flips ${r.maxFlips}, pauses ${r.paused}, thaws ${r.thawed} (${((performance.now() - t0) / 1000).toFixed(0)} s)\n`);
      }
    }
  }
  writeTable(tasks, seeds);
}

/** The table from every run in the runs file for these tasks and seeds 1..seeds. */
function writeTable(tasks: CurveTask[], seeds: number): void {
  const all = readRuns().filter((r) => r.seed <= seeds);
  const arms = [...ARMS as string[], ...[...new Set(all.map((r) => r.arm))].filter((a) => !(ARMS as string[]).includes(a)).sort()];
  const lines = [
    '# Early stopping with GP_BANDIT (issue 13)',
    '',
    `Command: \`npm run build && node dist/bench/src/early-stopping-gp.js ${seeds} ${tasks.map((t) => t.name.split(' ')[0]).join(',')}\` (${new Date().toISOString().slice(0, 10)}).`,
    `Budget ${BUDGET_TRAININGS} full trainings; seeds 1..${seeds} per arm, paired by seed; top-5 % = the pool's best ${TOP_FRACTION * 100} % by true final value.`,
    'Epochs: median over seeds (runs that never reached a top-5 % configuration count as the budget in the ratio, and are left out of the median);',
    'ratio vs NONE: geometric mean of paired ratios with a 95 % bootstrap interval. Best final: median over seeds of the best true final value among trials trained to max_step.',
    '',
    '| task | arm | epochs to top-5 % (p50) | found | ratio vs NONE [95 %] | best final (p50) | GP share after design | ms/decision p50 | ms/suggestion p50 | max flips/trial | pauses | thaws | stops | top-5 % left paused/stopped |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const task of tasks) {
    const budget = BUDGET_TRAININGS * task.maxStep;
    const none = all.filter((r) => r.task === task.name && r.arm === 'NONE');
    for (const arm of arms) {
      const rs = all.filter((r) => r.task === task.name && r.arm === arm);
      if (rs.length === 0) continue;
      const found = rs.filter((r) => r.epochsToTop !== null).map((r) => r.epochsToTop as number);
      lines.push(
        `| ${task.name} | ${arm} | ${found.length ? fmt(median(found)) : '—'} | ${found.length}/${rs.length} | ${arm === 'NONE' ? '1' : pairedRatio(rs, none, budget, 17)} | ${fmt(median(rs.map((r) => r.bestFinal)), 4)} | ${fmt(median(rs.map((r) => r.gpShareAfterDesign)), 2)} | ${fmt(median(rs.map((r) => r.decisionMs as unknown as number).filter(Number.isFinite)), 2)} | ${fmt(median(rs.map((r) => r.suggestionMs as unknown as number)), 2)} | ${Math.max(...rs.map((r) => r.maxFlips))} | ${rs.reduce((s, r) => s + r.paused, 0)} | ${rs.reduce((s, r) => s + r.thawed, 0)} | ${rs.reduce((s, r) => s + r.stopped, 0)} | ${rs.reduce((s, r) => s + (r.frozenTop ?? 0), 0)} |`,
      );
    }
  }
  lines.push(...versusLines(tasks, all, arms));
  writeFileSync(join(RESULTS, 'early-stopping-gp.md'), lines.join('\n') + '\n');
  writeFileSync(join(RESULTS, 'early-stopping-gp.json'), JSON.stringify(all, null, 1));
  process.stdout.write(lines.join('\n') + '\n');
}

if (require.main === module) {
  main().catch((e) => {
    process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  });
}

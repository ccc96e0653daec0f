/** Early stopping with GP_BANDIT through the real gRPC server (issue 13): the in-process bench's loop
 *  (early-stopping-gp.ts) driven over the wire like training code — SuggestTrials (new or thawed with
 *  resume_from_step), one ReportIntermediate per epoch, CompleteTrial at max_step — on a server from
 *  dist/ with a fresh SQLite database. It measures what the in-process bench cannot: the service's
 *  latency per report (a decision) and per suggestion, and that the server's own bookkeeping (PAUSED,
 *  EARLY_STOPPED, study end at max_trials) gives the same search.
 *
 *  The server's suggestion is snapped to the nearest untried configuration of the task's pool (its
 *  unit-cube encoding) and that configuration's recorded curve is reported; the trial keeps the
 *  suggested parameters, so the model learns curves at points up to one pool spacing away from where
 *  they were recorded (the in-process bench stores the pool's point instead).
 *
 *  Run: npm run build && node dist/bench/src/early-stopping-gp-server.js [task=crossing] [arms=FREEZE_THAW,ASHA] [seed=1] [budget=30]
 *  (budget in full trainings; task crossing-240 is the crossing task with a pool of 240 configurations,
 *  for the latency goal at 200 trials x 30 steps)
 *  Prints one line per run; appends them to bench/results/early-stopping-gp-server.jsonl. */
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createEncoder, median } from '@hpo/space';
import type { Assignment, ParameterSpec } from '@hpo/space';
import { createStudyClient, freshSqliteBackend, startServerProcess } from '@hpo/testing';
import { quantile } from '@hpo/testing';
import { digitsTask, syntheticTasks } from './early-stopping-tasks';
import type { CurveTask } from './early-stopping-tasks';
import { sgdTask } from './early-stopping-gp';

let BUDGET_TRAININGS = 30;
const TOP_FRACTION = 0.05;

function wireParameter(p: ParameterSpec): object {
  switch (p.type) {
    case 'DOUBLE':
      return { name: p.name, type: 'DOUBLE', minValue: p.min, maxValue: p.max, scale: p.scale ?? 'LINEAR' };
    case 'INTEGER':
      return { name: p.name, type: 'INTEGER', minValue: p.min, maxValue: p.max, scale: p.scale ?? 'LINEAR' };
    case 'DISCRETE':
      return { name: p.name, type: 'DISCRETE', discreteValues: p.values };
    default:
      throw new Error(`parameter type ${p.type} is not used by these tasks`);
  }
}

function assignmentOf(wire: Array<{ name: string; doubleValue?: number; intValue?: number | string; stringValue?: string; value?: string }>): Assignment {
  const out: Assignment = {};
  for (const p of wire) out[p.name] = p.value === 'stringValue' ? (p.stringValue as string) : p.value === 'intValue' ? Number(p.intValue) : Number(p.doubleValue);
  return out;
}

async function run(task: CurveTask, arm: string, seed: number): Promise<object> {
  const server = await startServerProcess({ ...freshSqliteBackend().env, HPO_LOG_LEVEL: 'error' });
  const client = createStudyClient(server.address);
  try {
    const study = await client.CreateStudy({
      displayName: `${task.name} ${arm} ${seed}`,
      config: {
        parameters: task.parameters.map(wireParameter),
        metrics: [{ name: 'objective', goal: task.goal }],
        algorithm: 'GP_BANDIT',
        earlyStopping: { mode: arm, maxStep: task.maxStep },
        maxTrials: task.configurations.length,
        seed,
      },
    });
    const encoder = createEncoder({ parameters: task.parameters });
    const pool = task.configurations.map((c) => encoder.encode(c));
    const finite = task.trueFinal.filter(Number.isFinite).sort((a, b) => (task.goal === 'MINIMIZE' ? a - b : b - a));
    const topThreshold = finite[Math.max(0, Math.ceil(TOP_FRACTION * task.trueFinal.length) - 1)];
    const isTop = (v: number): boolean => Number.isFinite(v) && (task.goal === 'MINIMIZE' ? v <= topThreshold : v >= topThreshold);
    const better = (a: number, b: number): boolean => (task.goal === 'MINIMIZE' ? a < b : a > b);
    const used = new Set<number>();
    const poolOf = new Map<string, number>();
    const reportMs: number[] = [];
    const suggestMs: number[] = [];
    const budget = BUDGET_TRAININGS * task.maxStep;
    let epochs = 0;
    let epochsToTop: number | null = null;
    let bestFinal = task.goal === 'MINIMIZE' ? Infinity : -Infinity;
    let pauses = 0;
    let thaws = 0;
    let stops = 0;
    while (epochs < budget) {
      let t0 = performance.now();
      const reply = await client.SuggestTrials({ parent: study.name, count: 1, clientId: 'worker' });
      suggestMs.push(performance.now() - t0);
      const trial = reply.trials[0];
      if (!trial) break;
      let k = poolOf.get(trial.name);
      if (k === undefined) {
        const x = encoder.encode(assignmentOf(trial.parameters));
        let bestD = Infinity;
        pool.forEach((p, i) => {
          if (used.has(i)) return;
          let d = 0;
          for (let j = 0; j < p.length; j++) d += (p[j] - x[j]) ** 2;
          if (d < bestD) (bestD = d), (k = i);
        });
        if (k === undefined) break;
        used.add(k);
        poolOf.set(trial.name, k);
      } else {
        thaws++;
      }
      const from = Number(trial.resumeFromStep) > 0 ? Number(trial.resumeFromStep) : 1;
      let ended = false;
      for (let step = from; step <= task.maxStep && epochs < budget; step++) {
        epochs++;
        const v = task.curves[k][step - 1];
        if (v === null) {
          await client.CompleteTrial({ name: trial.name, infeasible: true, infeasibleReason: 'NaN' });
          ended = true;
          break;
        }
        const measurement = { step, metrics: [{ name: 'objective', value: v }], elapsedSeconds: step };
        if (step === task.maxStep) {
          await client.CompleteTrial({ name: trial.name, finalMeasurement: measurement });
          const f = task.trueFinal[k];
          if (better(f, bestFinal)) bestFinal = f;
          if (epochsToTop === null && isTop(f)) epochsToTop = epochs;
          ended = true;
          break;
        }
        t0 = performance.now();
        const r = await client.ReportIntermediate({ name: trial.name, measurement });
        reportMs.push(performance.now() - t0);
        if (r.decision === 'PAUSE') pauses++;
        if (r.decision === 'STOP') stops++;
        if (r.decision !== 'CONTINUE') {
          ended = true;
          break;
        }
      }
      if (!ended) break; // the budget ran out mid-trial
    }
    const counts = (await client.GetStudy({ name: study.name })).trialCounts;
    return {
      task: task.name, arm, seed, epochsToTop, bestFinal, trials: used.size, pauses, thaws, stops,
      budgetTrainings: BUDGET_TRAININGS, reports: reportMs.length, suggestions: suggestMs.length,
      reportMsP50: median(reportMs), reportMsP90: quantile(reportMs, 0.9), suggestMsP50: median(suggestMs), suggestMsP90: quantile(suggestMs, 0.9),
      // The last 500 reports and 50 suggestions: the study at its largest.
      lateReportMsP50: median(reportMs.slice(-500)), lateSuggestMsP50: median(suggestMs.slice(-50)), counts,
    };
  } finally {
    client.close();
    await server.stop();
  }
}

async function main(): Promise<void> {
  const taskName = process.argv[2] ?? 'crossing';
  const arms = (process.argv[3] ?? 'FREEZE_THAW,ASHA').split(',');
  const seed = Number(process.argv[4] ?? 1);
  BUDGET_TRAININGS = Number(process.argv[5] ?? 30);
  const tasks: Record<string, () => CurveTask> = {
    crossing: () => syntheticTasks(7).find((t) => t.name === 'crossing') as CurveTask,
    'crossing-240': () => ({ ...(syntheticTasks(7, 240).find((t) => t.name === 'crossing') as CurveTask), name: 'crossing-240' }),
    'sgd-linear': sgdTask,
    'digits-mlp': digitsTask,
  };
  const make = tasks[taskName];
  if (!make) throw new Error(`unknown task ${taskName} (known: ${Object.keys(tasks).join(', ')})`);
  const out = join(__dirname, '..', '..', '..', 'bench', 'results');
  mkdirSync(out, { recursive: true });
  for (const arm of arms) {
    const r = await run(make(), arm, seed);
    appendFileSync(join(out, 'early-stopping-gp-server.jsonl'), JSON.stringify(r) + '\n');
    process.stdout.write(JSON.stringify(r) + '\n');
  }
}

if (require.main === module) {
  main().catch((e) => {
    process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  });
}

/** One simulated study on a learning-curve task, driven by the real policies (libs/core's registry:
 *  createEarlyStoppingPolicy(config).decide at every report, withFreezeThaw around the suggestion
 *  policy), with one worker training one epoch at a time — the server's loop without the server.
 *  New configurations come from the task's pool in a seeded random order (the same order for every
 *  method, so runs are paired): the comparison isolates early stopping from the search. */
import { createEarlyStoppingPolicy } from '@hpo/core';
import { withFreezeThaw } from '@hpo/core';
import { studyConfig } from '@hpo/core';
import type { EarlyStoppingMode, PolicyState, StudyView, Suggestion, SuggestionPolicy, TrialView } from '@hpo/core';
import { Rng, mixSeed } from '@hpo/space';
import type { Assignment } from '@hpo/space';
import type { CurveTask } from './early-stopping-tasks';

export interface SimulationOptions {
  /** Epoch budget at which the final regret is read. */
  budget: number;
  minSteps: number;
  minTrials: number;
  /** "Found" means a trial trained to max_step whose true final value is within this fraction of the best. */
  tolerance: number;
}

export interface RunResult {
  task: string;
  method: EarlyStoppingMode;
  seed: number;
  /** Epochs spent when a trial within tolerance of the best achievable final value completed; null if never. */
  epochsToFind: number | null;
  /** Best true final value among trials trained to max_step within the budget, minus the pool's best. */
  regretAtBudget: number;
  trialsStarted: number;
  paused: number;
  stopped: number;
  thawed: number;
  failed: number;
  policyMs: number;
}

/** Hands out the pool's configurations in a seeded random order, skipping those already in the study. */
function poolOrderPolicy(pool: Assignment[], seed: number): SuggestionPolicy {
  const rng = new Rng(seed);
  const order = pool.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.integer(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return {
    name: 'POOL_ORDER',
    async suggest({ study, count, state = {} }) {
      const used = new Set(study.trials.map((t) => t.parameters));
      const out: Suggestion[] = [];
      for (const i of order) {
        if (out.length === count) break;
        if (!used.has(pool[i])) out.push({ parameters: pool[i], origin: 'random', reason: 'random order' });
      }
      return { suggestions: out, state };
    },
  };
}

export async function simulateStudy(task: CurveTask, method: EarlyStoppingMode, seed: number, options: SimulationOptions): Promise<RunResult> {
  const config = studyConfig({
    parameters: task.parameters,
    metrics: [{ name: 'objective', goal: task.goal }],
    algorithm: 'RANDOM_SEARCH',
    earlyStopping: { mode: method, maxStep: task.maxStep, minSteps: options.minSteps, minTrials: options.minTrials },
    problemDescription: task.description,
    maxParallel: 1,
    seed,
    leaseSeconds: 60,
  });
  const indexOf = new Map(task.configurations.map((c, i) => [c, i] as const));
  const inner = poolOrderPolicy(task.configurations, mixSeed(seed, 7));
  const suggester = method === 'FREEZE_THAW' ? withFreezeThaw(inner, config) : inner;
  const stopper = createEarlyStoppingPolicy(config);
  const study: StudyView = { config, trials: [] };
  const finite = task.trueFinal.filter(Number.isFinite);
  const best = task.goal === 'MINIMIZE' ? Math.min(...finite) : Math.max(...finite);
  const worst = task.goal === 'MINIMIZE' ? Math.max(...finite) : Math.min(...finite);
  const isWithin = (v: number): boolean => Number.isFinite(v) && Math.abs(v - best) <= options.tolerance * Math.abs(best);

  let epochs = 0;
  let epochsToFind: number | null = null;
  let bestAtBudget: number | undefined;
  const counts = { paused: 0, stopped: 0, thawed: 0, failed: 0 };
  let policyMs = 0;
  let state: PolicyState = {};
  while (epochsToFind === null || epochs < options.budget) {
    let t0 = performance.now();
    // One policy state for both sides, threaded as the server threads the study's stored state.
    const suggested = await suggester.suggest({ study, count: 1, seed: mixSeed(seed, study.trials.length), state });
    state = suggested.state;
    const [s] = suggested.suggestions;
    policyMs += performance.now() - t0;
    if (!s) break; // pool exhausted and nothing left to thaw
    let trial: TrialView;
    if (s.resumeTrialId !== undefined) {
      trial = study.trials.find((t) => t.id === s.resumeTrialId) as TrialView;
      if (trial.state !== 'PAUSED') throw new Error(`thawed trial ${trial.id} is ${trial.state}, not PAUSED`);
      trial.state = 'ACTIVE';
      counts.thawed++;
    } else {
      trial = { id: study.trials.length + 1, state: 'ACTIVE', parameters: s.parameters, measurements: [] };
      study.trials.push(trial);
    }
    const k = indexOf.get(trial.parameters) as number;
    const from = trial.measurements.length === 0 ? 1 : trial.measurements[trial.measurements.length - 1].step + 1;
    for (let step = from; step <= task.maxStep; step++) {
      epochs++;
      const v = task.curves[k][step - 1];
      if (v === null) {
        trial.state = 'INFEASIBLE';
        counts.failed++;
        break;
      }
      const m = { step, metrics: { objective: v }, elapsedSeconds: step };
      trial.measurements.push(m);
      if (step === task.maxStep) {
        trial.state = 'SUCCEEDED';
        trial.finalMeasurement = m;
        const f = task.trueFinal[k];
        if (epochs <= options.budget && (bestAtBudget === undefined || (task.goal === 'MINIMIZE' ? f < bestAtBudget : f > bestAtBudget))) bestAtBudget = f;
        if (epochsToFind === null && isWithin(f)) epochsToFind = epochs;
        break;
      }
      t0 = performance.now();
      const decided = stopper.decide({ study, trialIds: [trial.id], state });
      state = decided.state;
      const d = decided.decisions[0];
      policyMs += performance.now() - t0;
      if (d.decision === 'PAUSE') {
        trial.state = 'PAUSED';
        counts.paused++;
        break;
      }
      if (d.decision === 'STOP') {
        // The worker completes the trial with its last report (what the SDK does on STOP).
        trial.state = 'SUCCEEDED';
        trial.finalMeasurement = m;
        counts.stopped++;
        break;
      }
    }
  }
  const regretAtBudget = Math.abs((bestAtBudget ?? worst) - best);
  return { task: task.name, method, seed, epochsToFind, regretAtBudget, trialsStarted: study.trials.length, ...counts, policyMs };
}

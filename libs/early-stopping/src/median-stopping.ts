/** The median stopping rule (Golovin et al. 2017, Google Vizier §3.2.2; Optuna's MedianPruner): at the
 *  trial's latest step t, stop it if its best value so far is strictly worse than the median of the
 *  other trials' best values up to t. Reference trials are the other trials whose curves reached step t
 *  (completed ones, and running, paused or stopped ones that got that far), so each is judged on the
 *  same training length. No decision before min_steps reports or with fewer than min_trials references. */
import { median } from '@hpo/space';
import type { Goal } from '@hpo/space';

export { median };
export type MedianGoal = Goal;

export interface MedianCurve {
  steps: readonly number[];
  values: readonly number[];
}

export interface MedianStoppingInput {
  goal: MedianGoal;
  trial: MedianCurve;
  others: readonly MedianCurve[];
  /** Reports the trial must have made before it can be stopped (at least 1). */
  minSteps: number;
  /** Reference trials needed (at least 1). */
  minTrials: number;
}

export interface MedianStoppingDecision {
  decision: 'CONTINUE' | 'STOP';
  reason: string;
}

/** Best value (min for MINIMIZE, max for MAXIMIZE) over reports at steps ≤ t; undefined when none. */
export function bestValueUpTo(curve: MedianCurve, t: number, goal: MedianGoal): number | undefined {
  let best: number | undefined;
  for (let i = 0; i < curve.steps.length && curve.steps[i] <= t; i++) {
    const v = curve.values[i];
    if (best === undefined || (goal === 'MINIMIZE' ? v < best : v > best)) best = v;
  }
  return best;
}

export function medianStoppingDecision(input: MedianStoppingInput): MedianStoppingDecision {
  const { trial, goal } = input;
  const n = trial.steps.length;
  if (n === 0 || n < Math.max(input.minSteps, 1)) return { decision: 'CONTINUE', reason: `${n} of min_steps ${input.minSteps} reports` };
  const t = trial.steps[n - 1];
  const own = bestValueUpTo(trial, t, goal) as number;
  const references: number[] = [];
  for (const other of input.others) {
    if (other.steps.length === 0 || other.steps[other.steps.length - 1] < t) continue;
    // A curve that went past t but started after it (first report at step 10, judged at step 5) has no
    // value up to t: it is no reference for this step.
    const best = bestValueUpTo(other, t, goal);
    if (best !== undefined) references.push(best);
  }
  if (references.length < Math.max(input.minTrials, 1)) {
    return { decision: 'CONTINUE', reason: `${references.length} other trials reached step ${t}; min_trials is ${input.minTrials}` };
  }
  const m = median(references);
  const worse = goal === 'MINIMIZE' ? own > m : own < m;
  const text = `best ${own.toPrecision(4)} by step ${t} vs median ${m.toPrecision(4)} of ${references.length} trials`;
  return worse ? { decision: 'STOP', reason: `${text}: worse than the median` } : { decision: 'CONTINUE', reason: text };
}

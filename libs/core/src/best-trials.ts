/** ListOptimalTrials: the best feasible trial, or the feasible Pareto set when the study has several
 *  objectives. TRACKED metrics play no part; a trial that misses a CONSTRAINT is never optimal. */
import { isFeasible, objectiveMetrics, orientedValue } from './metric-roles';
import { isBetter, objectiveValue } from './objective';
import type { StudyConfig, StudyView, TrialView } from './types';

/** One objective: the best SUCCEEDED trial (ties go to the earliest), as a one-element list. Several
 *  objectives: every SUCCEEDED trial not dominated by another (no worse in every objective, better in one),
 *  in id order. Trials whose final measurement lacks a metric are left out. EARLY_STOPPED trials take
 *  part only when they reached max_step: a value read half-way through training is not a result. */
export function bestTrials(study: StudyView): TrialView[] {
  const { config } = study;
  const { maxStep } = config.earlyStopping;
  const candidate = (t: TrialView): boolean =>
    t.state === 'SUCCEEDED' || (t.state === 'EARLY_STOPPED' && maxStep > 0 && (t.finalMeasurement?.step ?? -1) >= maxStep);
  const done = study.trials
    .filter((t) => candidate(t) && t.finalMeasurement !== undefined && isFeasible(config, t.finalMeasurement))
    .sort((a, b) => a.id - b.id);
  if (objectiveMetrics(config).length === 1) {
    let best: { trial: TrialView; value: number } | undefined;
    for (const trial of done) {
      const value = objectiveValue(config, trial.finalMeasurement);
      if (value !== undefined && (best === undefined || isBetter(config, value, best.value))) best = { trial, value };
    }
    return best ? [best.trial] : [];
  }
  const scored = done
    .map((trial) => ({ trial, score: orientedScores(config, trial) }))
    .filter((s): s is { trial: TrialView; score: number[] } => s.score !== undefined);
  return scored.filter((s) => !scored.some((o) => dominates(o.score, s.score))).map((s) => s.trial);
}

/** Objective values turned so that larger is better for every objective; undefined if any is missing. */
function orientedScores(config: StudyConfig, trial: TrialView): number[] | undefined {
  const out: number[] = [];
  for (const m of objectiveMetrics(config)) {
    const v = trial.finalMeasurement?.metrics[m.name];
    if (typeof v !== 'number' || !Number.isFinite(v)) return undefined;
    out.push(orientedValue(m, v));
  }
  return out;
}

/** Pareto dominance on larger-is-better scores. */
export function dominates(a: number[], b: number[]): boolean {
  let strictly = false;
  for (let i = 0; i < a.length; i++) {
    if (a[i] < b[i]) return false;
    if (a[i] > b[i]) strictly = true;
  }
  return strictly;
}

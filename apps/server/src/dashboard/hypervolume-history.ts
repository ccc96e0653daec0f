/** The dashboard's hypervolume over time for studies with several objectives: after each completed
 *  feasible trial (in completion order), the hypervolume of the feasible Pareto front so far. The
 *  reference point is the user's `reference_point` where given, else the worst value of each objective
 *  among the study's completed feasible trials, so the curve is on one scale for the whole study
 *  (it is recomputed, and may rescale, as the study grows). The front is kept incrementally: a dominated
 *  newcomer leaves the hypervolume unchanged. */
import { hypervolume } from '@hpo/acquisition';
import { isFeasible, objectiveMetrics, orientedValue, type Measurement, type StudyConfig, type TrialState } from '@hpo/core';

export interface HypervolumePoint {
  trialId: number;
  hypervolume: number;
}

interface CompletedTrial {
  id: number;
  state: TrialState;
  finalMeasurement?: Measurement;
  completeTime: number | null;
}

export function hypervolumeHistory(config: StudyConfig, trials: CompletedTrial[]): HypervolumePoint[] {
  const objectives = objectiveMetrics(config);
  if (objectives.length < 2) return [];
  const scored = trials
    .filter((t) => t.state === 'SUCCEEDED' && isFeasible(config, t.finalMeasurement))
    .map((t) => ({ trial: t, y: objectives.map((m) => orientedValue(m, t.finalMeasurement?.metrics[m.name] ?? Number.NaN)) }))
    .filter((s) => s.y.every(Number.isFinite))
    .sort((a, b) => (a.trial.completeTime ?? 0) - (b.trial.completeTime ?? 0) || a.trial.id - b.trial.id);
  if (scored.length === 0) return [];
  const reference = objectives.map((m, i) =>
    m.referencePoint !== undefined ? orientedValue(m, m.referencePoint) : Math.min(...scored.map((s) => s.y[i])));
  let front: number[][] = [];
  let volume = 0;
  return scored.map(({ trial, y }) => {
    if (!front.some((f) => dominatesOrEquals(f, y))) {
      front = [...front.filter((f) => !dominatesOrEquals(y, f)), y];
      volume = hypervolume(front, reference);
    }
    return { trialId: trial.id, hypervolume: volume };
  });
}

function dominatesOrEquals(a: number[], b: number[]): boolean {
  return a.every((v, i) => v >= b[i]);
}

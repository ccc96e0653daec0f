/** The study as the LLM module reads it: the objective, the completed observations and the points
 *  already handed out (pending), from a StudyView. */
import type { Goal, StudyView } from '@hpo/core';
import type { Assignment } from '@hpo/space';

export interface Observation {
  trialId: number;
  parameters: Assignment;
  value: number;
}

export interface StudyHistory {
  objective: string;
  goal: Goal;
  /** SUCCEEDED trials with a finite objective value, in trial order. */
  observations: Observation[];
  /** Configurations of trials not finished yet (REQUESTED, ACTIVE, PAUSED, STOPPING) and of failed or
   *  infeasible ones: proposals must not repeat them either. */
  otherConfigurations: Assignment[];
}

export function studyHistory(study: StudyView): StudyHistory {
  const metric = study.config.metrics[0];
  if (!metric) throw new Error('config.metrics: at least one metric is required');
  const observations: Observation[] = [];
  const otherConfigurations: Assignment[] = [];
  for (const t of study.trials) {
    const value = t.state === 'SUCCEEDED' ? t.finalMeasurement?.metrics[metric.name] : undefined;
    if (value !== undefined && Number.isFinite(value)) observations.push({ trialId: t.id, parameters: t.parameters, value });
    else otherConfigurations.push(t.parameters);
  }
  return { objective: metric.name, goal: metric.goal, observations, otherConfigurations };
}

/** Whether a is better than b under the goal. */
export function isBetter(a: number, b: number, goal: Goal): boolean {
  return goal === 'MINIMIZE' ? a < b : a > b;
}

/** Observations ordered from worst to best, so the best sit next to the question (LLAMBO orders the
 *  few-shot examples by performance the same way). Ties keep trial order. */
export function worstToBest(observations: Observation[], goal: Goal): Observation[] {
  const sign = goal === 'MINIMIZE' ? -1 : 1;
  return [...observations].sort((a, b) => sign * (a.value - b.value) || a.trialId - b.trialId);
}

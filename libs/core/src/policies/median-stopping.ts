/** MEDIAN: the median stopping rule (Vizier's automated stopping, Optuna's MedianPruner) over the
 *  study's curves; the rule itself lives in libs/early-stopping. */
import { MedianCurve, medianStoppingDecision } from '@hpo/early-stopping';
import { objectiveValue } from '../objective';
import type { EarlyStoppingPolicy, StudyConfig, TrialView } from '../types';
import { decideEach } from './decide-each';
import { earlyStoppingWarmUp } from './early-stopping-warm-up';

/** The objective's learning curve of a trial (reports with a finite objective, in step order; a
 *  completed trial's final measurement is appended when it is past the last report). */
export function objectiveCurve(config: StudyConfig, trial: TrialView): MedianCurve {
  const steps: number[] = [];
  const values: number[] = [];
  const push = (step: number, v: number | undefined): void => {
    if (v === undefined || (steps.length > 0 && step <= steps[steps.length - 1])) return;
    steps.push(step);
    values.push(v);
  };
  for (const m of trial.measurements) push(m.step, objectiveValue(config, m));
  if (trial.finalMeasurement) push(trial.finalMeasurement.step, objectiveValue(config, trial.finalMeasurement));
  return { steps, values };
}

export function createMedianStoppingPolicy(config: StudyConfig): EarlyStoppingPolicy {
  return {
    name: 'MEDIAN',
    decide(request) {
      const { study } = request;
      return decideEach('MEDIAN', request, (trial) => {
        const others = study.trials.filter((t) => t.id !== trial.id && t.state !== 'INFEASIBLE').map((t) => objectiveCurve(config, t));
        return medianStoppingDecision({ goal: config.metrics[0].goal, trial: objectiveCurve(config, trial), others, ...earlyStoppingWarmUp(config) });
      });
    },
  };
}

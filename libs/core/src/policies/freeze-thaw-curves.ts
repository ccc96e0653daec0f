/** The study's learning curves as the freeze-thaw model takes them: every trial with at least one
 *  finite objective report (except INFEASIBLE ones), its configuration on the space's unit cube. */
import type { TrialLearningCurve } from '@hpo/early-stopping';
import { createEncoder } from '@hpo/space';
import type { SpaceEncoder } from '@hpo/space';
import type { StudyConfig, StudyView } from '../types';
import { objectiveCurve } from './median-stopping';

export function studyEncoder(config: StudyConfig): SpaceEncoder {
  return createEncoder({ parameters: config.parameters });
}

export function studyLearningCurves(study: StudyView, encoder: SpaceEncoder): TrialLearningCurve[] {
  const curves: TrialLearningCurve[] = [];
  for (const trial of study.trials) {
    if (trial.state === 'INFEASIBLE') continue;
    const c = objectiveCurve(study.config, trial);
    if (c.steps.length === 0) continue;
    curves.push({ trialId: trial.id, x: encoder.encode(trial.parameters), steps: c.steps, values: c.values });
  }
  return curves;
}

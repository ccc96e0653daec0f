/** What a policy sees of a study: its config and its trials as plain data (it crosses to a worker). */
import type { StudyConfig, StudyView, TrialView } from '@hpo/core';
import type { TrialRecord } from '../storage/storage';

export function toView(config: StudyConfig, trials: TrialRecord[]): StudyView {
  return {
    config,
    trials: trials.map(
      (t): TrialView => ({
        id: t.id,
        state: t.state,
        parameters: t.parameters,
        finalMeasurement: t.finalMeasurement,
        measurements: t.measurements,
        resumeFromStep: t.resumeFromStep,
        origin: t.origin,
      }),
    ),
  };
}

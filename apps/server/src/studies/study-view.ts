/** What a policy sees of a study: its config and its trials as plain data (it crosses to a worker). */
import type { StudyConfig, StudyView, TrialView } from '@hpo/core';
import type { TrialRecord } from '../storage/storage';

/** Views made, per record: the replica's held history hands out the same record for a finished trial on
 *  every read (records are read-only), so a big study's view is not made again for each suggestion. */
const made = new WeakMap<TrialRecord, TrialView>();

function viewOf(t: TrialRecord): TrialView {
  let view = made.get(t);
  if (!view) {
    view = {
      id: t.id,
      state: t.state,
      parameters: t.parameters,
      finalMeasurement: t.finalMeasurement,
      measurements: t.measurements,
      resumeFromStep: t.resumeFromStep,
      origin: t.origin,
    };
    made.set(t, view);
  }
  return view;
}

export function toView(config: StudyConfig, trials: TrialRecord[]): StudyView {
  return { config, trials: trials.map(viewOf) };
}

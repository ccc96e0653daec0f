/** A PAUSED trial that will not be resumed ends EARLY_STOPPED with its last measurement (Vizier and
 *  Optuna keep a stopped trial's last value; the models read it as a partial curve), or INFEASIBLE when
 *  it never reported one. Used by StopTrial and when a study at its budget declines to resume its paused
 *  trials. A paused trial that had already reached max_step is simply SUCCEEDED. */
import type { StudyTransaction, TrialRecord } from '../storage/storage';

export async function finishPausedTrial(tx: StudyTransaction, trial: TrialRecord, reason: string): Promise<TrialRecord> {
  const last = trial.measurements[trial.measurements.length - 1];
  const { maxStep } = tx.study.config.earlyStopping;
  const state = maxStep > 0 && last && last.step >= maxStep ? ('SUCCEEDED' as const) : ('EARLY_STOPPED' as const);
  const patch = last
    ? { state, finalMeasurement: last, completeTime: tx.now, statusReason: reason }
    : { state: 'INFEASIBLE' as const, infeasibleReason: `${reason} (before any measurement)`, completeTime: tx.now, statusReason: reason };
  await tx.updateTrial(trial.id, patch);
  return { ...trial, ...patch };
}

/** A PAUSED trial that will not be resumed ends as an early-stopped trial: SUCCEEDED with its last
 *  measurement (Vizier and Optuna keep a stopped trial's last value), or INFEASIBLE when it never
 *  reported one. Used by StopTrial and when a study at max_trials declines to resume its paused trials. */
import type { StudyTransaction, TrialRecord } from '../storage/storage';

export async function finishPausedTrial(tx: StudyTransaction, trial: TrialRecord, reason: string): Promise<TrialRecord> {
  const last = trial.measurements[trial.measurements.length - 1];
  const patch = last
    ? { state: 'SUCCEEDED' as const, finalMeasurement: last, completeTime: tx.now, statusReason: reason }
    : { state: 'INFEASIBLE' as const, infeasibleReason: `${reason} (before any measurement)`, completeTime: tx.now, statusReason: reason };
  await tx.updateTrial(trial.id, patch);
  return { ...trial, ...patch };
}

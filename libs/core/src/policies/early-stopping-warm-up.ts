/** The warm-up every early-stopping mode waits for before its first decision, with defaults a user of
 *  Optuna or Ray Tune finds sane when min_steps / min_trials are left at 0:
 *  - steps: max(1, ⌈max_step / 10⌉) reports (3 of 30 epochs); 1 without max_step. Optuna's pruners
 *    default to n_warmup_steps = 0, but a decision after one epoch is what issue 13 measured as the
 *    main waste (49 / 209 / 690 pauses at epoch 1).
 *  - trials: MEDIAN and FREEZE_THAW need 5 other trials with curves (Optuna's n_startup_trials = 5);
 *    ASHA and HYPERBAND need η = 3 others recorded at the rung (a rung of η + 1 keeps one, as in
 *    synchronous successive halving).
 *  ASHA and HYPERBAND take the step warm-up as their first rung r_min (Ray Tune's grace_period), with
 *  default max(1, round(max_step / η³)) so that the rungs are r_min, 3·r_min, 9·r_min, 27·r_min. */
import type { StudyConfig } from '../types';

/** Reduction factor of ASHA and Hyperband (Li et al.'s and Syne Tune's default; Ray Tune's is 4). */
export const REDUCTION_FACTOR = 3;
/** Optuna's MedianPruner n_startup_trials. */
export const DEFAULT_STARTUP_TRIALS = 5;

export interface WarmUp {
  /** Reports a trial makes before any decision about it (or the first rung, for ASHA and HYPERBAND). */
  minSteps: number;
  /** Other trials (with curves, or recorded at the rung) a decision needs. */
  minTrials: number;
}

export function earlyStoppingWarmUp(config: StudyConfig): WarmUp {
  const es = config.earlyStopping;
  const rungBased = es.mode === 'ASHA' || es.mode === 'HYPERBAND';
  const defaultSteps = rungBased
    ? Math.max(1, Math.round(es.maxStep / REDUCTION_FACTOR ** 3))
    : es.maxStep > 0 ? Math.max(1, Math.ceil(es.maxStep / 10)) : 1;
  return {
    minSteps: es.minSteps > 0 ? es.minSteps : defaultSteps,
    minTrials: es.minTrials > 0 ? es.minTrials : rungBased ? REDUCTION_FACTOR : DEFAULT_STARTUP_TRIALS,
  };
}

/** A report that no early-stopping mode decides on: the trial has fewer reports than the step warm-up
 *  and its step is below it (MEDIAN and FREEZE_THAW count reports, ASHA and HYPERBAND place their first
 *  rung at the warm-up step). Its answer is CONTINUE with this reason, and the server gives it without a
 *  policy call or a read of the study's history; undefined when a policy must decide. */
export function warmUpReason(config: StudyConfig, reports: number, step: number): string | undefined {
  if (config.earlyStopping.mode === 'NONE') return undefined;
  const { minSteps } = earlyStoppingWarmUp(config);
  return reports < minSteps && step < minSteps ? `${reports} of min_steps ${minSteps} reports` : undefined;
}

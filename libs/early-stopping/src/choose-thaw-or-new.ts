/** Which run gets the next slot: a paused trial (thawed from its checkpoint) or a new configuration.
 *  Freeze-thaw's own criterion is the entropy of the minimum's location (Swersky et al. 2014, §4);
 *  we use its cheaper sibling the issue names, the expected improvement of the final value per unit
 *  of remaining cost: a paused trial costs max_step − last step more epochs, a new one max_step. */
import { FinalValuePrediction } from './freeze-thaw-model';
import { expectedImprovementBelow as expectedImprovement, probabilityBelow as probabilityOfImprovement } from '@hpo/numeric';
import { formatMetric, PAUSE_PROBABILITY } from './freeze-thaw-decision';

export interface ThawOrNewInput {
  /** Predictions for the PAUSED trials (trialId and lastStep set); trials thawed once before are left
   *  out by the caller (they are never paused twice, so never thawed twice either). */
  paused: readonly FinalValuePrediction[];
  /** The candidate new configuration's prediction (lastStep 0). */
  candidate: FinalValuePrediction;
  /** The incumbent's predicted final mean in model units (lower is better). */
  incumbentMean: number;
  maxStep: number;
  /** Paused trials whose probability of beating the incumbent is below this are not thawed (default
   *  0.1, twice freezeThawDecision's pause threshold: the hysteresis band between pause and thaw, so
   *  that a thawed trial is not paused again at its next report). */
  minProbabilityOfImprovement?: number;
  /** No new configuration may start (the study reached max_trials): the filter above still applies,
   *  so that the study can end rather than resume every paused trial an epoch at a time. */
  budgetExhausted?: boolean;
}

export type ThawOrNewChoice =
  | { choice: 'new'; score: number; reason: string }
  | { choice: 'thaw'; trialId: number; resumeFromStep: number; score: number; reason: string };

export function expectedImprovementPerCost(p: FinalValuePrediction, incumbentMean: number, maxStep: number): number {
  const remaining = Math.max(maxStep - p.lastStep, 1);
  return expectedImprovement(p.mean, p.sd, incumbentMean) / remaining;
}

export function chooseThawOrNew(input: ThawOrNewInput): ThawOrNewChoice {
  const newScore = expectedImprovementPerCost(input.candidate, input.incumbentMean, input.maxStep);
  let best: FinalValuePrediction | undefined;
  let bestScore = -1;
  const newAvailable = Number.isFinite(input.candidate.mean);
  const minPi = input.minProbabilityOfImprovement ?? 2 * PAUSE_PROBABILITY;
  for (const p of input.paused) {
    if (p.trialId === undefined) throw new Error('chooseThawOrNew: paused predictions must carry their trialId');
    if ((newAvailable || input.budgetExhausted) && probabilityOfImprovement(p.mean, p.sd, input.incumbentMean) < minPi) continue;
    const s = expectedImprovementPerCost(p, input.incumbentMean, input.maxStep);
    if (s > bestScore) {
      bestScore = s;
      best = p;
    }
  }
  if (best && bestScore > newScore) {
    return {
      choice: 'thaw',
      trialId: best.trialId as number,
      resumeFromStep: best.lastStep + 1,
      score: bestScore,
      reason: `thaw: predicted final ${formatMetric(best.value)} [${formatMetric(best.lower)}, ${formatMetric(best.upper)}], EI per remaining step ${bestScore.toExponential(2)} > new configuration's ${newScore.toExponential(2)}`,
    };
  }
  return {
    choice: 'new',
    score: newScore,
    reason: `new configuration: predicted final ${formatMetric(input.candidate.value)} [${formatMetric(input.candidate.lower)}, ${formatMetric(input.candidate.upper)}], EI per step ${newScore.toExponential(2)}${best ? ` >= best paused trial's ${bestScore.toExponential(2)}` : ''}`,
  };
}

/** Which run gets the next slot: a paused trial (thawed from its checkpoint) or a new configuration.
 *  Freeze-thaw's own criterion is the entropy of the minimum's location (Swersky et al. 2014, §4);
 *  we use its cheaper sibling the issue names, the expected improvement of the final value per unit
 *  of remaining cost: a paused trial costs max_step − last step more epochs, a new one max_step.
 *
 *  The same terms as the report side (freezeThawDecision), so the two cannot disagree about a trial:
 *  - a paused trial is compared with the best predicted final among the OTHER trials (as when it was
 *    paused; comparing it with itself, once it is the best, made its EI vanish);
 *  - a paused trial ranked within the top `protectTopK` by predicted final (the report side never
 *    pauses such a trial) is thawed ahead of a new configuration: its prospects improved — the trials
 *    that looked better turned out worse, or its neighbours finished well — and finishing it is what
 *    realises the best predicted final;
 *  - otherwise it is thawed when its EI per remaining step beats the new configuration's, and its
 *    probability of beating the others is at least THAW_PROBABILITY. Hysteresis comes from the
 *    report side: it pauses only when an alternative is worth HYSTERESIS times more, and never pauses a
 *    thawed trial again (it stops it instead), so no trial flips more than twice.
 *  When no new configuration may start (max_trials reached, or the space is exhausted), the remaining
 *  budget goes to paused trials by EI per remaining step, down to a probability of improvement of
 *  `exhaustedMinProbability` (the report side's STOP threshold): a trial below it would be stopped at
 *  its next report, so it is left to end (EARLY_STOPPED) and the study can complete. (Earlier a thaw
 *  needed P(better) ≥ 0.1 against an incumbent that only improves with time: no trial paused below
 *  0.05 was ever thawed in the recorded runs.) */
import { FinalValuePrediction } from './freeze-thaw-model';
import { expectedImprovementBelow as expectedImprovement, probabilityBelow as probabilityOfImprovement } from '@hpo/numeric';
import { formatMetric, STOP_PROBABILITY, THAW_PROBABILITY } from './freeze-thaw-decision';

export interface ThawOrNewInput {
  /** Predictions for the PAUSED trials (trialId and lastStep set); trials thawed once before are left
   *  out by the caller (they are never paused twice, so never thawed twice either). */
  paused: readonly FinalValuePrediction[];
  /** The candidate new configuration's prediction (lastStep 0). */
  candidate: FinalValuePrediction;
  /** Every trial's prediction (paused ones included): a paused trial's incumbent is the best of the
   *  others, and its rank is taken among all. Without it, `incumbentMean` is used for every trial. */
  all?: readonly FinalValuePrediction[];
  /** The incumbent's predicted final mean in model units (lower is better). */
  incumbentMean: number;
  maxStep: number;
  /** Paused trials ranked this high by predicted final are thawed first (default 2, as the report
   *  side's protectTopK). */
  protectTopK?: number;
  /** While new configurations may start, paused trials whose probability of beating the others is
   *  below this are not thawed (default THAW_PROBABILITY). */
  minProbabilityOfImprovement?: number;
  /** No new configuration may start (the study reached max_trials): thaw by EI per remaining step
   *  while P(better) ≥ exhaustedMinProbability (default STOP_PROBABILITY). */
  budgetExhausted?: boolean;
  exhaustedMinProbability?: number;
}

export type ThawOrNewChoice =
  | { choice: 'new'; score: number; reason: string }
  | { choice: 'thaw'; trialId: number; resumeFromStep: number; score: number; reason: string };

export function expectedImprovementPerCost(p: FinalValuePrediction, incumbentMean: number, maxStep: number): number {
  const remaining = Math.max(maxStep - p.lastStep, 1);
  return expectedImprovement(p.mean, p.sd, incumbentMean) / remaining;
}

interface PausedValue {
  p: FinalValuePrediction;
  incumbent: number;
  rank: number;
  pi: number;
  score: number;
}

export function chooseThawOrNew(input: ThawOrNewInput): ThawOrNewChoice {
  const newScore = expectedImprovementPerCost(input.candidate, input.incumbentMean, input.maxStep);
  const newAvailable = Number.isFinite(input.candidate.mean) && !input.budgetExhausted;
  const all = input.all ?? [];
  const topK = input.protectTopK ?? 2;
  const minPi = newAvailable ? (input.minProbabilityOfImprovement ?? THAW_PROBABILITY) : (input.exhaustedMinProbability ?? STOP_PROBABILITY);
  const values: PausedValue[] = input.paused.map((p) => {
    if (p.trialId === undefined) throw new Error('chooseThawOrNew: paused predictions must carry their trialId');
    const others = all.filter((o) => o.trialId !== p.trialId);
    const incumbent = others.length > 0 ? Math.min(...others.map((o) => o.mean)) : input.incumbentMean;
    const rank = others.filter((o) => o.mean < p.mean).length;
    return { p, incumbent, rank, pi: probabilityOfImprovement(p.mean, p.sd, incumbent), score: expectedImprovementPerCost(p, incumbent, input.maxStep) };
  });
  const describe = (v: PausedValue): string =>
    `predicted final ${formatMetric(v.p.value)} [${formatMetric(v.p.lower)}, ${formatMetric(v.p.upper)}], ranked ${v.rank + 1}, P(better) ${v.pi < 1e-3 ? '< 0.001' : v.pi.toFixed(3)}`;
  const thaw = (v: PausedValue, why: string): ThawOrNewChoice => ({
    choice: 'thaw',
    trialId: v.p.trialId as number,
    resumeFromStep: v.p.lastStep + 1,
    score: v.score,
    reason: `thaw: ${describe(v)}; ${why}`,
  });
  // A paused trial that now ranks among the best predicted finals: the report side would never have
  // paused it. The best-ranked first (then the cheapest to finish).
  if (all.length > 0) {
    const top = values.filter((v) => v.rank < topK).sort((a, b) => a.rank - b.rank || b.score - a.score)[0];
    if (top) return thaw(top, `its prospects improved: it is among the top ${topK} predicted finals`);
  }
  let best: PausedValue | undefined;
  for (const v of values) {
    if (v.pi < minPi) continue;
    if (!best || v.score > best.score) best = v;
  }
  if (best && (!newAvailable || best.score > newScore)) {
    const why = newAvailable
      ? `EI per remaining step ${best.score.toExponential(2)} > new configuration's ${newScore.toExponential(2)}`
      : `no new configuration may start; EI per remaining step ${best.score.toExponential(2)} is the best left`;
    return thaw(best, why);
  }
  return {
    choice: 'new',
    score: newScore,
    reason: `new configuration: predicted final ${formatMetric(input.candidate.value)} [${formatMetric(input.candidate.lower)}, ${formatMetric(input.candidate.upper)}], EI per step ${newScore.toExponential(2)}${best ? ` >= best paused trial's ${best.score.toExponential(2)}` : ''}`,
  };
}

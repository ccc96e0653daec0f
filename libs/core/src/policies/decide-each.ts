/** The decide() of a rule without a model (MEDIAN, ASHA, HYPERBAND): each reporting trial judged on its
 *  own against the study's curves, the state passed through as read. */
import type { StopDecision, StopRequest, StopResult, TrialView } from '../types';

export function decideEach(rule: string, { study, trialIds, state = {} }: StopRequest, decideOne: (trial: TrialView) => StopDecision): StopResult {
  const decisions = trialIds.map((trialId) => {
    const trial = study.trials.find((t) => t.id === trialId);
    if (!trial) throw new Error(`${rule}: trial ${trialId} is not in the study view`);
    return decideOne(trial);
  });
  return { decisions, state };
}

/** Which configurations a study already holds, so simple policies do not suggest them again. */
import { assignmentKey } from '@hpo/space';
import type { SearchSpace } from '@hpo/space';
import type { StudyView, TrialView } from '../types';

/** Each trial's key as last computed, with the space it was computed in. A policy thread keeps a study's
 *  trial objects between calls (the server sends it only the trials that changed), so a call computes
 *  keys for the trials new to it instead of for the whole history (at 20,000 trials, a third of the
 *  thread's time under load). */
const keyOf = new WeakMap<TrialView, { space: string; key: string }>();

/** Keys of every trial's configuration except FAILED ones (a lease that expired says nothing about the
 *  configuration, so it may be handed out again). Pending (REQUESTED/ACTIVE/PAUSED) trials count, so
 *  parallel workers never get the same point. */
export function usedConfigurationKeys(space: SearchSpace, study: StudyView): Set<string> {
  const signature = JSON.stringify(space.parameters);
  const keys = new Set<string>();
  for (const trial of study.trials) {
    if (trial.state === 'FAILED') continue;
    const known = keyOf.get(trial);
    if (known?.space === signature) {
      keys.add(known.key);
      continue;
    }
    const key = assignmentKey(space, trial.parameters);
    keyOf.set(trial, { space: signature, key });
    keys.add(key);
  }
  return keys;
}

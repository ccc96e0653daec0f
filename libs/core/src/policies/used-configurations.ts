/** Which configurations a study already holds, so simple policies do not suggest them again. */
import { assignmentKey } from '@hpo/space';
import type { SearchSpace } from '@hpo/space';
import type { StudyView } from '../types';

/** Keys of every trial's configuration except FAILED ones (a lease that expired says nothing about the
 *  configuration, so it may be handed out again). Pending (REQUESTED/ACTIVE/PAUSED) trials count, so
 *  parallel workers never get the same point. */
export function usedConfigurationKeys(space: SearchSpace, study: StudyView): Set<string> {
  const keys = new Set<string>();
  for (const trial of study.trials) {
    if (trial.state !== 'FAILED') keys.add(assignmentKey(space, trial.parameters));
  }
  return keys;
}

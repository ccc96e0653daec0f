/** Early stopping off: every trial runs to its end. */
import type { EarlyStoppingPolicy } from '../types';

export function createNoEarlyStoppingPolicy(): EarlyStoppingPolicy {
  return {
    name: 'NONE',
    decide: ({ trialIds, state = {} }) => ({ decisions: trialIds.map(() => ({ decision: 'CONTINUE', reason: 'early stopping is off' })), state }),
  };
}

/** QUASI_RANDOM_SEARCH: a scrambled Halton design over the encoder's unit cube, decoded to
 *  configurations. The scrambling is seeded by the study's seed (not the per-call seed) and each call
 *  continues from index = number of trials, so consecutive calls extend one low-discrepancy sequence
 *  instead of restarting it. */
import { assignmentKey } from '@hpo/space';
import { createEncoder } from '@hpo/space';
import { haltonSequence } from '@hpo/space';
import { mixSeed } from '@hpo/space';
import type { SearchSpace } from '@hpo/space';
import type { StudyConfig, Suggestion, SuggestionPolicy } from '../types';
import { usedConfigurationKeys } from './used-configurations';

/** Sequence points examined per wanted suggestion before accepting a repeat (only small finite spaces
 *  map many points to one configuration). */
const POINTS_PER_SUGGESTION = 64;
/** Salt so the design's scrambling is not correlated with other uses of the study seed. */
const HALTON_SALT = 0x51a1;

export function createQuasiRandomSearchPolicy(config: StudyConfig): SuggestionPolicy {
  const space: SearchSpace = { parameters: config.parameters };
  const encoder = createEncoder(space);
  const sequence = haltonSequence(encoder.dimension, mixSeed(config.seed, HALTON_SALT));
  return {
    name: 'QUASI_RANDOM_SEARCH',
    async suggest({ study, count, state = {} }) {
      const used = usedConfigurationKeys(space, study);
      const out: Suggestion[] = [];
      let index = study.trials.length;
      const limit = index + POINTS_PER_SUGGESTION * Math.max(count, 1);
      // First pass: fresh configurations only, walking the sequence forward.
      while (out.length < count && index < limit) {
        const parameters = encoder.decode(sequence.point(index));
        const key = assignmentKey(space, parameters);
        if (!used.has(key)) {
          used.add(key);
          out.push({ parameters, origin: 'quasi-random', reason: `quasi-random (Halton point ${index})` });
        }
        index++;
      }
      // A nearly exhausted finite space: repeat points rather than return nothing.
      for (let k = 0; out.length < count; k++) {
        out.push({
          parameters: encoder.decode(sequence.point(study.trials.length + k)),
          origin: 'quasi-random',
          reason: 'quasi-random (repeat: the space is nearly exhausted)',
        });
      }
      return { suggestions: out, state };
    },
  };
}

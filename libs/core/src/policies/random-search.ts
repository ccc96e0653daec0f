/** RANDOM_SEARCH: independent uniform draws (Bergstra & Bengio 2012), the baseline every other
 *  algorithm must beat. */
import { assignmentKey } from '@hpo/space';
import { Rng } from '@hpo/space';
import { sampleUniform } from '@hpo/space';
import type { SearchSpace } from '@hpo/space';
import type { StudyConfig, Suggestion, SuggestionPolicy } from '../types';
import { usedConfigurationKeys } from './used-configurations';

/** Draws per wanted suggestion before accepting a repeat: only a small finite space that is nearly
 *  exhausted gets this far. */
const DRAWS_PER_SUGGESTION = 64;

export function createRandomSearchPolicy(config: StudyConfig): SuggestionPolicy {
  const space: SearchSpace = { parameters: config.parameters };
  return {
    name: 'RANDOM_SEARCH',
    async suggest({ study, count, seed, state = {} }) {
      const rng = new Rng(seed);
      const used = usedConfigurationKeys(space, study);
      const out: Suggestion[] = [];
      for (let i = 0; i < count; i++) {
        let parameters = sampleUniform(space, rng);
        let fresh = !used.has(assignmentKey(space, parameters));
        for (let draw = 1; !fresh && draw < DRAWS_PER_SUGGESTION; draw++) {
          parameters = sampleUniform(space, rng);
          fresh = !used.has(assignmentKey(space, parameters));
        }
        used.add(assignmentKey(space, parameters));
        out.push({ parameters, origin: 'random', reason: fresh ? 'random search' : 'random search (repeat: the space is nearly exhausted)' });
      }
      return { suggestions: out, state };
    },
  };
}

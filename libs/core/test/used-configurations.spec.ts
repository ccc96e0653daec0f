/** usedConfigurationKeys remembers each trial object's key (a policy thread keeps a study's trials between
 *  calls): the answer must stay what a fresh computation gives, for the same objects in another space too. */
import { assignmentKey } from '@hpo/space';
import type { SearchSpace } from '@hpo/space';
import type { TrialView } from '../src/types';
import { studyConfig } from '../src/study-config-defaults';
import { usedConfigurationKeys } from '../src/policies/used-configurations';

const coarse: SearchSpace = { parameters: [{ name: 'x', type: 'DISCRETE', values: [0.25, 0.5] }] };
const fine: SearchSpace = { parameters: [{ name: 'x', type: 'DOUBLE', min: 0, max: 1, scale: 'LINEAR' }, { name: 'y', type: 'CATEGORICAL', categories: ['a', 'b'] }] };

const trials: TrialView[] = [
  { id: 1, state: 'SUCCEEDED', parameters: { x: 0.25, y: 'a' }, measurements: [], resumeFromStep: 0 },
  { id: 2, state: 'FAILED', parameters: { x: 0.5, y: 'b' }, measurements: [], resumeFromStep: 0 },
  { id: 3, state: 'ACTIVE', parameters: { x: 0.5, y: 'a' }, measurements: [], resumeFromStep: 0 },
];
const fresh = (space: SearchSpace, ts: TrialView[]) => new Set(ts.filter((t) => t.state !== 'FAILED').map((t) => assignmentKey(space, t.parameters)));

describe('usedConfigurationKeys', () => {
  it('gives what a fresh computation gives on every call, in whichever space, FAILED trials left out', () => {
    const config = studyConfig({ parameters: fine.parameters, metrics: [{ name: 'loss', goal: 'MINIMIZE' }], algorithm: 'RANDOM_SEARCH' });
    for (const space of [fine, coarse, fine, { parameters: config.parameters }]) {
      const view = { config, trials };
      expect(usedConfigurationKeys(space, view)).toEqual(fresh(space, trials));
    }
    expect(usedConfigurationKeys(fine, { config, trials }).size).toBe(2);
    expect([...usedConfigurationKeys(coarse, { config, trials })]).toEqual(['x=0.25', 'x=0.5']);
  });
});

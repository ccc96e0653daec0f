/** Registration must not depend on import order: importing only create-policy.ts (not index.ts) is
 *  enough to get every built-in policy. Its own file, so Jest's fresh module registry proves it. */
import { createEarlyStoppingPolicy, createSuggestionPolicy } from '../src/create-policy';
import { baseConfig } from './fixtures';

describe('policy registration', () => {
  it('is complete after importing create-policy.ts alone', () => {
    expect(createSuggestionPolicy(baseConfig({ algorithm: 'RANDOM_SEARCH' })).name).toBe('RANDOM_SEARCH');
    expect(createSuggestionPolicy(baseConfig({ algorithm: 'QUASI_RANDOM_SEARCH' })).name).toBe('QUASI_RANDOM_SEARCH');
    expect(createSuggestionPolicy(baseConfig({ algorithm: 'GRID_SEARCH' })).name).toBe('GRID_SEARCH');
    expect(createEarlyStoppingPolicy(baseConfig()).name).toBe('NONE');
  });
});

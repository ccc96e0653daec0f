/** Issue 19, finding 2: a count=100 suggestion on a 1,000-parameter space is 100,000 values to validate
 *  and key. The policy worker does that beside the policy, so the event loop only reads the result:
 *  the pool's suggestions arrive checked (normalised parameters and their assignment key), and the
 *  coordinator's checkSuggestions keeps them as they are. One the worker could not check (an invalid
 *  suggestion) arrives unchecked and is refused on the event loop with the same field as before. */
import { InvalidArgumentError, studyConfig } from '@hpo/core';
import type { SuggestRequest } from '@hpo/core';
import { assignmentKey } from '@hpo/space';
import { PolicyPool } from '../../src/suggestion/policy-pool';
import { checkSuggestions, checkSuggestionsInWorker, type CheckedSuggestion } from '../../src/suggestion/checked-suggestions';

const config = studyConfig({
  parameters: Array.from({ length: 1000 }, (_, i) => ({ name: `p${i}`, type: i % 10 === 0 ? ('INTEGER' as const) : ('DOUBLE' as const), min: 0, max: 9, scale: 'LINEAR' as const })),
  metrics: [{ name: 'y', goal: 'MAXIMIZE' }],
  algorithm: 'QUASI_RANDOM_SEARCH',
  seed: 3,
});
const space = { parameters: config.parameters };

describe('suggestions are checked in the policy worker', () => {
  let pool: PolicyPool;
  beforeAll(() => {
    pool = new PolicyPool(1);
  });
  afterAll(() => pool.close());

  it('the pool returns every new suggestion validated and keyed, and the event loop keeps them as they are', async () => {
    const request = { study: { config, trials: [] }, count: 100, seed: 11 } as SuggestRequest;
    const { suggestions } = (await pool.suggest(request)) as { suggestions: CheckedSuggestion[] };
    expect(suggestions).toHaveLength(100);
    for (const s of suggestions) {
      expect(s.checked).toBeDefined();
      expect(s.checked!.key).toBe(assignmentKey(space, s.parameters));
      expect(s.checked!.parameters).toEqual(s.parameters);
      expect(Object.keys(s.checked!.parameters)).toHaveLength(1000);
    }
    const kept = checkSuggestions(config, suggestions);
    kept.forEach((s, i) => expect(s).toBe(suggestions[i]));
  });

  it('an invalid suggestion stays unchecked in the worker and is refused on the event loop, naming the parameter', () => {
    const bad = { parameters: { ...Object.fromEntries(config.parameters.map((p) => [p.name, 1])), p5: 12 }, origin: 'random' as const };
    const [unchecked] = checkSuggestionsInWorker(config, [bad]);
    expect(unchecked.checked).toBeUndefined();
    expect(() => checkSuggestions(config, [unchecked])).toThrow(InvalidArgumentError);
    expect(() => checkSuggestions(config, [unchecked])).toThrow(/suggestion\.parameters\.p5.*out of range/);
  });

  it('resumed trials are passed through unchecked (their stored parameters are written as they are)', () => {
    const resumed = { parameters: { p0: 1 }, origin: 'thaw' as const, resumeTrialId: 4 };
    expect(checkSuggestionsInWorker(config, [resumed])[0]).toBe(resumed);
    expect(checkSuggestions(config, [resumed])[0]).toBe(resumed);
  });
});

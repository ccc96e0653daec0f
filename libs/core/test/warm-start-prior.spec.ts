/** The LLM warm start as a πBO prior (warm-start-prior.ts): centred on the proposals, never narrower than
 *  the default width, the user's priors first, dropped once the warm start is dominated; and through
 *  GP_BANDIT, suggestions after the design lean towards the proposals' region. */
import { createEncoder, encodedPrior } from '@hpo/space';
import { createSuggestionPolicy } from '../src/create-policy';
import { warmStartPrior } from '../src/policies/warm-start-prior';
import type { StudyConfig, TrialOrigin, TrialView } from '../src/types';
import { baseConfig, succeeded } from './fixtures';

const config = (withUserPrior = false): StudyConfig => baseConfig({
  algorithm: 'GP_BANDIT', seed: 3, metrics: [{ name: 'y', goal: 'MINIMIZE' }],
  parameters: [
    { name: 'x0', type: 'DOUBLE', min: 0, max: 1, scale: 'LINEAR', ...(withUserPrior ? { prior: { center: 0.2, width: 0.1 } } : {}) },
    { name: 'x1', type: 'DOUBLE', min: 0, max: 1, scale: 'LINEAR' },
  ],
});
const trial = (id: number, x0: number, x1: number, y: number, origin: TrialOrigin): TrialView => ({ ...succeeded(id, { y }, { x0, x1 }), origin });

describe('the LLM warm start as a prior', () => {
  const warm = [trial(1, 0.78, 0.81, 0.3, 'llm-warm-start'), trial(2, 0.82, 0.79, 0.35, 'llm-warm-start'), trial(3, 0.8, 0.84, 0.32, 'llm-warm-start')];
  const design = [trial(4, 0.1, 0.5, 0.9, 'design'), trial(5, 0.5, 0.1, 0.6, 'design'), trial(6, 0.3, 0.3, 0.7, 'design')];

  it('centres each coordinate on the proposals with at least the default width; the user\'s prior wins', () => {
    const c = config();
    const encoder = createEncoder({ parameters: c.parameters });
    const prior = warmStartPrior({ config: c, trials: [...warm, ...design] }, encoder, undefined)!;
    expect(prior.terms.map((t) => [t.index, t.center, t.sd])).toEqual([[0, 0.8, 0.15], [1, 0.81, 0.15]]);
    const withUser = config(true);
    const user = encodedPrior({ parameters: withUser.parameters }, encoder);
    const merged = warmStartPrior({ config: withUser, trials: [...warm, ...design] }, encoder, user)!;
    expect(merged.terms.map((t) => [t.index, t.center, t.sd])).toEqual([[0, 0.2, 0.1], [1, 0.81, 0.15]]);
  });

  it('is none with fewer than two proposals, and none once the design beats the warm start', () => {
    const c = config();
    const encoder = createEncoder({ parameters: c.parameters });
    expect(warmStartPrior({ config: c, trials: [warm[0], ...design] }, encoder, undefined)).toBeUndefined();
    const dominated = warm.map((t) => trial(t.id, t.parameters.x0 as number, t.parameters.x1 as number, 2, 'llm-warm-start'));
    expect(warmStartPrior({ config: c, trials: [...dominated, ...design] }, encoder, undefined)).toBeUndefined();
  });

  it('leans GP_BANDIT\'s next suggestions towards the proposals on a function flat in x1', async () => {
    // y depends on x0 only, so without the prior nothing tells the acquisition where x1 should be.
    const c = baseConfig({ ...config(), parameters: config().parameters });
    const f = (x0: number) => (x0 - 0.8) ** 2;
    const run = async (label: TrialOrigin): Promise<number> => {
      const trials: TrialView[] = [...warm, ...design].map((t) => ({ ...trial(t.id, t.parameters.x0 as number, t.parameters.x1 as number, f(t.parameters.x0 as number), t.origin === 'llm-warm-start' ? label : 'design') }));
      const policy = createSuggestionPolicy(c);
      let state = {};
      const distances: number[] = [];
      for (let i = 0; i < 8; i++) {
        const r = await policy.suggest({ study: { config: c, trials }, count: 1, seed: 100 + i, state });
        state = r.state;
        const s = r.suggestions[0].parameters;
        distances.push(Math.abs((s.x1 as number) - 0.81));
        trials.push({ ...succeeded(trials.length + 1, { y: f(s.x0 as number) }, s), origin: 'gp' });
      }
      return distances.reduce((a, b) => a + b, 0) / distances.length;
    };
    const [asWarmStart, asAdded] = [await run('llm-warm-start'), await run('added')];
    // 0.36 against 0.52 (the prior weight is 1/n: about 0.1 here).
    expect(asWarmStart).toBeLessThan(0.8 * asAdded);
  }, 60_000);
});

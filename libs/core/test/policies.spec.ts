import { assignmentKey } from '@hpo/space';
import { validateAssignment } from '@hpo/space';
import {
  createEarlyStoppingPolicy,
  createSuggestionPolicy,
  InvalidArgumentError,
  registeredEarlyStoppingModes,
  registeredSuggestionAlgorithms,
  registerSuggestionPolicy,
} from '../src/index';
import { scatteredOrder } from '../src/policies/grid-search';
import type { AlgorithmName, StudyConfig, StudyView, Suggestion, TrialView } from '../src/types';
import { baseConfig, succeeded } from './fixtures';

const space = (config: StudyConfig) => ({ parameters: config.parameters });
const keys = (config: StudyConfig, suggestions: Suggestion[]) => suggestions.map((s) => assignmentKey(space(config), s.parameters));

function asTrials(suggestions: Suggestion[], firstId = 1, state: TrialView['state'] = 'ACTIVE'): TrialView[] {
  return suggestions.map((s, i) => ({ id: firstId + i, state, parameters: s.parameters, measurements: [] }));
}

async function suggest(config: StudyConfig, trials: TrialView[], count: number, seed = 7): Promise<Suggestion[]> {
  const study: StudyView = { config, trials };
  return (await createSuggestionPolicy(config).suggest({ study, count, seed })).suggestions;
}

describe('policy registry', () => {
  it('registers the simple algorithms and NONE just by importing libs/core/src/index.ts', () => {
    expect(registeredSuggestionAlgorithms()).toEqual(expect.arrayContaining(['RANDOM_SEARCH', 'QUASI_RANDOM_SEARCH', 'GRID_SEARCH']));
    expect(registeredEarlyStoppingModes()).toContain('NONE');
  });

  it('refuses an algorithm this build does not provide instead of falling back', () => {
    for (const algorithm of ['GP_BANDIT', 'LLM_GP_BANDIT'] as AlgorithmName[]) {
      if (registeredSuggestionAlgorithms().includes(algorithm)) continue; // registered by the GP module in this build
      expect(() => createSuggestionPolicy(baseConfig({ algorithm }))).toThrow(InvalidArgumentError);
      expect(() => createSuggestionPolicy(baseConfig({ algorithm }))).toThrow(
        new RegExp(`^config.algorithm: ${algorithm} is not available in this build \\(available: .*RANDOM_SEARCH`),
      );
    }
    expect(() => createSuggestionPolicy(baseConfig({ algorithm: 'NOPE' as never }))).toThrow(/config.algorithm: NOPE is not available/);
    expect(() => createEarlyStoppingPolicy(baseConfig({ earlyStopping: { mode: 'NOPE' as never, maxStep: 0, minSteps: 0, minTrials: 0 } }))).toThrow(
      /config.early_stopping.mode: NOPE is not available/,
    );
  });

  it('rejects registering one algorithm twice', () => {
    expect(() => registerSuggestionPolicy('RANDOM_SEARCH', () => ({ name: 'x', suggest: async () => ({ suggestions: [], state: {} }) }))).toThrow(/already registered/);
  });

  it('NONE always continues', () => {
    const policy = createEarlyStoppingPolicy(baseConfig());
    expect(policy.name).toBe('NONE');
    const trials = [{ id: 1, state: 'ACTIVE' as const, parameters: {}, measurements: [{ step: 1, metrics: { accuracy: 0 }, elapsedSeconds: 1 }] }];
    expect(policy.decide({ study: { config: baseConfig(), trials }, trialIds: [1] }).decisions).toEqual([{ decision: 'CONTINUE', reason: 'early stopping is off' }]);
  });
});

describe.each<AlgorithmName>(['RANDOM_SEARCH', 'QUASI_RANDOM_SEARCH', 'GRID_SEARCH'])('%s', (algorithm) => {
  const config = baseConfig({ algorithm, gridResolution: 4 });

  it('returns valid, unique suggestions that avoid the configurations already in the study', async () => {
    const first = await suggest(config, [], 10);
    const existing = asTrials(first);
    const second = await suggest(config, existing, 10, 8);
    expect(first).toHaveLength(10);
    expect(second).toHaveLength(10);
    for (const s of [...first, ...second]) {
      expect(validateAssignment(space(config), s.parameters)).toEqual(s.parameters);
      expect(s.reason).toEqual(expect.any(String));
    }
    expect(new Set(keys(config, [...first, ...second])).size).toBe(20);
  });

  it('is deterministic given the request seed and the study', async () => {
    expect(await suggest(config, [], 5, 123)).toEqual(await suggest(config, [], 5, 123));
  });

  it('ignores external candidates', async () => {
    const external: Suggestion[] = [{ parameters: { learning_rate: 0.5, layers: 2, optimizer: 'adam' }, origin: 'llm-warm-start', reason: 'llm warm start' }];
    const study = { config, trials: [] };
    const policy = createSuggestionPolicy(config);
    expect((await policy.suggest({ study, count: 3, seed: 1, externalCandidates: external })).suggestions).toEqual((await policy.suggest({ study, count: 3, seed: 1 })).suggestions);
  });
});

describe('RANDOM_SEARCH', () => {
  it('draws differently with different seeds', async () => {
    const config = baseConfig();
    expect(keys(config, await suggest(config, [], 5, 1))).not.toEqual(keys(config, await suggest(config, [], 5, 2)));
  });

  it('exhausts a small finite space without repeats before repeating', async () => {
    const config = baseConfig({ parameters: [{ name: 'c', type: 'CATEGORICAL', categories: ['a', 'b', 'c'] }] });
    const three = await suggest(config, [], 3);
    expect(new Set(keys(config, three)).size).toBe(3);
    const more = await suggest(config, asTrials(three), 2);
    expect(more).toHaveLength(2);
    expect(more[0].reason).toMatch(/repeat/);
  });
});

describe('QUASI_RANDOM_SEARCH', () => {
  const config = baseConfig({ algorithm: 'QUASI_RANDOM_SEARCH' });

  it('continues one sequence across calls (index = number of trials), whatever the call seed', async () => {
    const all = await suggest(config, [], 12, 1);
    const first = await suggest(config, [], 5, 99);
    const rest = await suggest(config, asTrials(first), 7, 100);
    expect([...first, ...rest]).toEqual(all);
    expect(all[0].reason).toBe('quasi-random (Halton point 0)');
  });

  it('depends on the study seed', async () => {
    const other = baseConfig({ algorithm: 'QUASI_RANDOM_SEARCH', seed: 2 });
    expect(keys(config, await suggest(config, [], 4))).not.toEqual(keys(other, await suggest(other, [], 4)));
  });

  it('spreads points more evenly than random search (larger minimum distance between learning rates)', async () => {
    const oneDim = (algorithm: AlgorithmName) => baseConfig({ algorithm, parameters: [{ name: 'x', type: 'DOUBLE', min: 0, max: 1 }] });
    const minGap = (s: Suggestion[]) => {
      const xs = s.map((v) => v.parameters.x as number).sort((a, b) => a - b);
      return Math.min(...xs.slice(1).map((x, i) => x - xs[i]));
    };
    // 32 points of a base-2 radical inverse are exactly 1/32 apart; random points come much closer.
    expect(minGap(await suggest(oneDim('QUASI_RANDOM_SEARCH'), [], 32))).toBeCloseTo(1 / 32, 12);
    expect(minGap(await suggest(oneDim('RANDOM_SEARCH'), [], 32))).toBeLessThan(1 / 64);
  });

  it('skips points that decode to configurations already used, and repeats only once the space is exhausted', async () => {
    const small = baseConfig({ algorithm: 'QUASI_RANDOM_SEARCH', parameters: [{ name: 'n', type: 'INTEGER', min: 1, max: 5 }] });
    const five = await suggest(small, [], 5);
    expect(new Set(keys(small, five)).size).toBe(5);
    const sixth = await suggest(small, asTrials(five), 1);
    expect(sixth[0].reason).toMatch(/repeat/);
  });
});

describe('GRID_SEARCH', () => {
  const config = baseConfig({
    algorithm: 'GRID_SEARCH',
    gridResolution: 3,
    parameters: [
      { name: 'x', type: 'DOUBLE', min: 0, max: 1 },
      { name: 'c', type: 'CATEGORICAL', categories: ['a', 'b'], children: [{ parentCategories: ['a'], parameter: { name: 'n', type: 'INTEGER', min: 0, max: 1 } }] },
    ],
  });
  // x: 3 values; c: a with n in {0, 1}, or b: 3 alternatives. 9 points.

  it('walks every grid point exactly once across calls, then returns fewer and finally none', async () => {
    const trials: TrialView[] = [];
    const batches: number[] = [];
    for (let call = 0; call < 4; call++) {
      const batch = await suggest(config, trials, 4, call);
      batches.push(batch.length);
      trials.push(...asTrials(batch, trials.length + 1, 'SUCCEEDED'));
    }
    expect(batches).toEqual([4, 4, 1, 0]);
    expect(new Set(keys(config, trials as never)).size).toBe(9);
  });

  it('offers again the configuration of a FAILED trial (its lease expired; it was never evaluated)', async () => {
    const all = await suggest(config, [], 9);
    const failed = asTrials(all, 1, 'SUCCEEDED');
    failed[4].state = 'FAILED';
    const again = await suggest(config, failed, 3);
    expect(keys(config, again)).toEqual([keys(config, all)[4]]);
  });

  it('takes grid_resolution 0 as the default resolution', async () => {
    const oneDim = baseConfig({ algorithm: 'GRID_SEARCH', parameters: [{ name: 'x', type: 'DOUBLE', min: 0, max: 1 }] });
    expect(await suggest(oneDim, [], 100)).toHaveLength(10);
  });

  it('orders points by a seeded bijection of the grid indices', () => {
    for (const n of [1, 2, 9, 10, 97, 1000]) {
      const order = scatteredOrder(n, 3);
      expect(new Set(Array.from({ length: n }, (_, k) => order(k))).size).toBe(n);
    }
    const a = scatteredOrder(1000, 1);
    const b = scatteredOrder(1000, 2);
    expect([0, 1, 2].map(a)).not.toEqual([0, 1, 2].map(b));
  });

  it('depends on the study seed but not on the call seed', async () => {
    expect(keys(config, await suggest(config, [], 3, 1))).toEqual(keys(config, await suggest(config, [], 3, 2)));
    const reseeded = { ...config, seed: 99 };
    expect(keys(config, await suggest(reseeded, [], 9))).not.toEqual(keys(config, await suggest(config, [], 9)));
  });

  it('counts a trial evaluated elsewhere (AddTrials) on a grid point as used', async () => {
    const all = await suggest(config, [], 9);
    const added = [succeeded(1, { accuracy: 0.5 }, all[0].parameters)];
    expect(keys(config, await suggest(config, added, 9))).toEqual(keys(config, all.slice(1)));
  });
});

describe('ASHA and HYPERBAND through the registry', () => {
  const { createEarlyStoppingPolicy, studyConfig } = jest.requireActual('../src') as typeof import('../src');
  const config = (mode: 'ASHA' | 'HYPERBAND') =>
    studyConfig({
      parameters: [{ name: 'x', type: 'DOUBLE', min: 0, max: 1, scale: 'LINEAR' }],
      metrics: [{ name: 'loss', goal: 'MINIMIZE' }],
      earlyStopping: { mode, maxStep: 27, minSteps: 0, minTrials: 0 },
    });
  const trial = (id: number, values: number[]) => ({
    id, state: 'ACTIVE' as const, parameters: { x: id / 100 },
    measurements: values.map((v, i) => ({ step: i + 1, metrics: { loss: v }, elapsedSeconds: i })),
  });

  it('ASHA stops the worst of four at its first rung (default r_min = round(27 / 27) = 1, min_trials 3)', () => {
    const policy = createEarlyStoppingPolicy(config('ASHA'));
    const study = { config: config('ASHA'), trials: [trial(1, [0.5]), trial(2, [0.4]), trial(3, [0.6]), trial(4, [0.9])] };
    expect(policy.decide({ study, trialIds: [4] }).decisions[0].decision).toBe('STOP');
    expect(policy.decide({ study, trialIds: [2] }).decisions[0].decision).toBe('CONTINUE');
  });

  it('HYPERBAND compares a trial only with its own bracket, and names it', () => {
    const policy = createEarlyStoppingPolicy(config('HYPERBAND'));
    const trials = Array.from({ length: 40 }, (_, i) => trial(i + 1, [1 - i / 100]));
    const d = policy.decide({ study: { config: config('HYPERBAND'), trials }, trialIds: [40] }).decisions[0];
    expect(d.reason).toMatch(/^bracket \d of 4: /);
  });
});

describe('early-stopping warm-up defaults (min_steps / min_trials left at 0)', () => {
  const { createEarlyStoppingPolicy, studyConfig } = jest.requireActual('../src') as typeof import('../src');
  const config = studyConfig({
    parameters: [{ name: 'x', type: 'DOUBLE', min: 0, max: 1, scale: 'LINEAR' }],
    metrics: [{ name: 'loss', goal: 'MINIMIZE' }],
    earlyStopping: { mode: 'MEDIAN', maxStep: 30, minSteps: 0, minTrials: 0 },
  });
  const trial = (id: number, values: number[]) => ({
    id, state: 'ACTIVE' as const, parameters: { x: id / 100 },
    measurements: values.map((v, i) => ({ step: i + 1, metrics: { loss: v }, elapsedSeconds: i })),
  });
  const good = [0.5, 0.4, 0.3, 0.2];

  it('MEDIAN waits for ⌈30 / 10⌉ = 3 reports and 5 other trials (Optuna: 5 startup trials)', () => {
    const policy = createEarlyStoppingPolicy(config);
    const four = [1, 2, 3, 4].map((id) => trial(id, good));
    expect(policy.decide({ study: { config, trials: [...four, trial(9, [0.9, 0.9, 0.9])] }, trialIds: [9] }).decisions[0].reason).toMatch(/min_trials is 5/);
    const five = [1, 2, 3, 4, 5].map((id) => trial(id, good));
    expect(policy.decide({ study: { config, trials: [...five, trial(9, [0.9, 0.9])] }, trialIds: [9] }).decisions[0].reason).toMatch(/2 of min_steps 3/);
    expect(policy.decide({ study: { config, trials: [...five, trial(9, [0.9, 0.9, 0.9])] }, trialIds: [9] }).decisions[0].decision).toBe('STOP');
  });
});

import { trustRegionBox } from '@hpo/acquisition';
import { Rng, validateAssignment } from '@hpo/space';
import { createSuggestionPolicy } from '../src/create-policy';
import { designSizeForDimension } from '../src/initial-design';
import { createGpBanditPolicy, gpModelState } from '../src/policies/gp-bandit';
import type { PolicyState, StudyConfig, Suggestion, SuggestRequest, TrialView } from '../src/types';
import { baseConfig, succeeded } from './fixtures';

const oneD = (overrides: Partial<StudyConfig> = {}): StudyConfig => baseConfig({
  algorithm: 'GP_BANDIT',
  parameters: [{ name: 'x', type: 'DOUBLE', min: 0, max: 1, scale: 'LINEAR' }],
  metrics: [{ name: 'y', goal: 'MAXIMIZE' }],
  ...overrides,
});

function trial(id: number, x: number, y: number): TrialView {
  return succeeded(id, { y }, { x });
}

/** Runs `budget` sequential trials of f and returns the trials. */
async function optimise(config: StudyConfig, f: (x: number) => number, budget: number, seed = 1): Promise<TrialView[]> {
  const policy = createGpBanditPolicy(config);
  const trials: TrialView[] = [];
  let state: PolicyState = {};
  for (let t = 0; t < budget; t++) {
    const result = await policy.suggest({ study: { config, trials }, count: 1, seed: seed * 1000 + t, state });
    state = result.state;
    const x = result.suggestions[0].parameters.x as number;
    trials.push(trial(t + 1, x, f(x)));
  }
  return trials;
}

describe('GP_BANDIT policy', () => {
  it('is registered under GP_BANDIT and LLM_GP_BANDIT', () => {
    expect(createSuggestionPolicy(oneD()).name).toBe('GP_BANDIT');
    expect(createSuggestionPolicy(oneD({ algorithm: 'LLM_GP_BANDIT' })).name).toBe('LLM_GP_BANDIT');
  });

  it('starts with a quasi-random design of max(5, d + 1) points, then uses the model', async () => {
    expect(designSizeForDimension(2)).toBe(5);
    expect(designSizeForDimension(10)).toBe(11);
    const config = oneD();
    const policy = createGpBanditPolicy(config);
    const trials: TrialView[] = [];
    for (let t = 0; t < 5; t++) {
      const [s] = (await policy.suggest({ study: { config, trials }, count: 1, seed: t })).suggestions;
      expect(s.reason).toMatch(/initial design/);
      trials.push(trial(t + 1, s.parameters.x as number, Math.sin(3 * (s.parameters.x as number))));
    }
    const next = await policy.suggest({ study: { config, trials }, count: 1, seed: 9 });
    expect(next.suggestions[0].reason).toMatch(/^GP log-EI/);
    expect(next.state.gp).toMatchObject({ version: 1, fullFitObservations: 5, refitObservations: 5 });
    expect(next.fits).toEqual([{ model: 'gp', start: 'cold' }]);
  });

  it('lets warm-start proposals replace part of the initial design, after one space-filling point', async () => {
    const config = oneD();
    // The policy goes by the typed origin: the candidate's reason saying "warm start" does not count.
    const externalCandidates: Suggestion[] = [
      { parameters: { x: 0.123 }, origin: 'llm-warm-start', reason: 'llm warm start' },
      { parameters: { x: 0.9 }, origin: 'llm-candidate', reason: 'llm candidate, not a warm start' },
    ];
    const out = (await createGpBanditPolicy(config).suggest({ study: { config, trials: [] }, count: 3, seed: 1, externalCandidates })).suggestions;
    expect(out[0]).toMatchObject({ origin: 'design', reason: 'initial design (Halton point 0)' });
    expect(out[1]).toEqual({ parameters: { x: 0.123 }, origin: 'llm-warm-start', reason: 'initial design: llm warm start' });
    expect(out[2].reason).toBe('initial design (Halton point 2)');
    // Without the gate the warm start leads.
    const ungated = (await createGpBanditPolicy(config, { warmStartGate: false }).suggest({ study: { config, trials: [] }, count: 3, seed: 1, externalCandidates })).suggestions;
    expect(ungated[0]).toEqual({ parameters: { x: 0.123 }, origin: 'llm-warm-start', reason: 'initial design: llm warm start' });
  });

  it('the warm-start gate closes once the warm start is dominated by the space-filling points', async () => {
    const config = oneD();
    const policy = createGpBanditPolicy(config);
    const first = (await policy.suggest({ study: { config, trials: [] }, count: 1, seed: 1 })).suggestions;
    const halton = first[0].parameters.x as number;
    const warm = (x: number): Suggestion[] => [{ parameters: { x }, origin: 'llm-warm-start', reason: 'llm warm start' }];
    // Maximise y = x: a warm-start trial below the space-filling point's value is dominated.
    const bad = [trial(1, halton, halton), trial(2, halton / 2, halton / 2)];
    const afterBad = (await policy.suggest({ study: { config, trials: bad }, count: 1, seed: 1, externalCandidates: warm(0.01) })).suggestions;
    expect(afterBad[0].reason).toBe('initial design (Halton point 2)');
    const good = [trial(1, halton, halton), trial(2, (1 + halton) / 2, (1 + halton) / 2)];
    const afterGood = (await policy.suggest({ study: { config, trials: good }, count: 1, seed: 1, externalCandidates: warm(0.99) })).suggestions;
    expect(afterGood[0]).toEqual({ parameters: { x: 0.99 }, origin: 'llm-warm-start', reason: 'initial design: llm warm start' });
  });

  it.each(['MAXIMIZE', 'MINIMIZE'] as const)('%s: finds the optimum of a 1-d function within 15 trials', async (goal) => {
    // Maximise −(x − 0.73)², or minimise (x − 0.73)²: the same optimum.
    const sign = goal === 'MAXIMIZE' ? -1 : 1;
    const trials = await optimise(oneD({ metrics: [{ name: 'y', goal }] }), (x) => sign * (x - 0.73) ** 2, 15);
    const xs = trials.map((t) => t.parameters.x as number);
    expect(Math.min(...xs.map((x) => Math.abs(x - 0.73)))).toBeLessThan(0.01);
  });

  it.each(['LOG_EI', 'EI', 'UCB', 'PI'] as const)('%s acquisition works and is named in the reason', async (acquisition) => {
    const config = oneD({ acquisition });
    const trials = [0.1, 0.3, 0.5, 0.7, 0.9].map((x, i) => trial(i + 1, x, Math.sin(6 * x)));
    const [s] = (await createGpBanditPolicy(config).suggest({ study: { config, trials }, count: 1, seed: 3 })).suggestions;
    expect(s.reason).toContain(acquisition === 'LOG_EI' ? 'log-EI' : acquisition);
    expect(s.parameters.x).toBeGreaterThanOrEqual(0);
    expect(s.parameters.x).toBeLessThanOrEqual(1);
  });

  it('is reproducible: the same request gives the same suggestions', async () => {
    const config = baseConfig({ algorithm: 'GP_BANDIT' });
    const policy = createGpBanditPolicy(config);
    const trials: TrialView[] = [];
    for (let t = 0; t < 8; t++) {
      const [s] = (await policy.suggest({ study: { config, trials }, count: 1, seed: t })).suggestions;
      trials.push(succeeded(t + 1, { accuracy: Math.log10(s.parameters.learning_rate as number) + Number(s.parameters.layers) / 10 }, s.parameters));
    }
    const request: SuggestRequest = { study: { config, trials }, count: 3, seed: 42 };
    const a = (await createGpBanditPolicy(config).suggest(request)).suggestions;
    const b = (await createGpBanditPolicy(config).suggest(request)).suggestions;
    expect(a).toEqual(b);
    // Mixed space (log double, integer, categorical with a conditional child): every suggestion is valid.
    for (const s of a) expect(() => validateAssignment({ parameters: config.parameters }, s.parameters)).not.toThrow();
  });

  it('gives a batch of distinct, spread-out points and avoids pending trials', async () => {
    const config = baseConfig({
      algorithm: 'GP_BANDIT', metrics: [{ name: 'y', goal: 'MAXIMIZE' }],
      parameters: [{ name: 'a', type: 'DOUBLE', min: 0, max: 1 }, { name: 'b', type: 'DOUBLE', min: 0, max: 1 }],
    });
    const f = (a: number, b: number) => Math.sin(5 * a) * Math.cos(3 * b);
    const pts = [[0.1, 0.1], [0.9, 0.2], [0.5, 0.5], [0.2, 0.8], [0.8, 0.9], [0.35, 0.6]];
    const trials: TrialView[] = pts.map(([a, b], i) => succeeded(i + 1, { y: f(a, b) }, { a, b }));
    const pending: TrialView = { id: 7, state: 'ACTIVE', parameters: { a: 0.3, b: 0.05 }, measurements: [] };
    const batch = (await createGpBanditPolicy(config).suggest({ study: { config, trials: [...trials, pending] }, count: 4, seed: 5 })).suggestions;
    expect(batch).toHaveLength(4);
    const xy = batch.map((s) => [s.parameters.a as number, s.parameters.b as number]);
    for (let i = 0; i < 4; i++) {
      expect(Math.hypot(xy[i][0] - 0.3, xy[i][1] - 0.05)).toBeGreaterThan(0.02);
      for (let j = 0; j < i; j++) expect(Math.hypot(xy[i][0] - xy[j][0], xy[i][1] - xy[j][1])).toBeGreaterThan(0.02);
    }
  });

  it('8 parallel workers on Branin: no duplicate or near-duplicate suggestions, and it still converges', async () => {
    const config = baseConfig({
      algorithm: 'GP_BANDIT', metrics: [{ name: 'y', goal: 'MINIMIZE' }],
      parameters: [{ name: 'a', type: 'DOUBLE', min: -5, max: 10 }, { name: 'b', type: 'DOUBLE', min: 0, max: 15 }],
    });
    const branin = (a: number, b: number) => (b - (5.1 / (4 * Math.PI ** 2)) * a * a + (5 / Math.PI) * a - 6) ** 2 + 10 * (1 - 1 / (8 * Math.PI)) * Math.cos(a) + 10;
    const policy = createGpBanditPolicy(config);
    const trials: TrialView[] = [];
    let state: PolicyState = {};
    const ask = async (count: number) => {
      const r = await policy.suggest({ study: { config, trials }, count, seed: trials.length, state });
      state = r.state;
      for (const s of r.suggestions) trials.push({ id: trials.length + 1, state: 'ACTIVE', parameters: s.parameters, measurements: [] });
    };
    await ask(8);
    // Each time the oldest active trial completes, its worker asks for one more while 7 are pending.
    for (let step = 0; step < 32; step++) {
      const oldest = trials.find((t) => t.state === 'ACTIVE')!;
      const y = branin(oldest.parameters.a as number, oldest.parameters.b as number);
      Object.assign(oldest, { state: 'SUCCEEDED', finalMeasurement: { step: 0, metrics: { y }, elapsedSeconds: 1 } });
      const pendingBefore = trials.filter((t) => t.state === 'ACTIVE').map((t) => [t.parameters.a as number, t.parameters.b as number]);
      await ask(1);
      const fresh = trials[trials.length - 1].parameters;
      // Scaled distance to every point still running: at least 0.1 % of the range.
      for (const [a, b] of pendingBefore) expect(Math.hypot(((fresh.a as number) - a) / 15, ((fresh.b as number) - b) / 15)).toBeGreaterThan(1e-3);
    }
    const keys = new Set(trials.map((t) => `${t.parameters.a},${t.parameters.b}`));
    expect(keys.size).toBe(trials.length);
    const best = Math.min(...trials.filter((t) => t.state === 'SUCCEEDED').map((t) => t.finalMeasurement!.metrics.y));
    // 32 completed evaluations with 8 in flight: random search's median regret at 25–50 evaluations is 2.0–0.6 (gp-quality.md).
    expect(best - 0.397887).toBeLessThan(0.3);
  });

  it('steers away from infeasible trials and copes when every trial was infeasible', async () => {
    const config = oneD();
    const infeasible = (id: number, x: number): TrialView => ({ id, state: 'INFEASIBLE', parameters: { x }, measurements: [] });
    // y rises towards x = 1, but x ≥ 0.8 failed: the model must not chase the slope into the failures.
    const trials = [trial(1, 0.1, 0.1), trial(2, 0.3, 0.3), trial(3, 0.5, 0.5), infeasible(4, 0.8), infeasible(5, 0.9), infeasible(6, 1)];
    const [s] = (await createGpBanditPolicy(config).suggest({ study: { config, trials }, count: 1, seed: 2 })).suggestions;
    expect(s.parameters.x).toBeLessThan(0.8);
    const all = [1, 2, 3, 4, 5, 6].map((i) => infeasible(i, i / 7));
    const out = (await createGpBanditPolicy(config).suggest({ study: { config, trials: all }, count: 2, seed: 2 })).suggestions;
    expect(out).toHaveLength(2);
  });

  it('ranks LLM candidates with its own: a good one wins with its origin and reason, a bad one loses to the GP', async () => {
    const config = oneD();
    const trials = [0.05, 0.2, 0.4, 0.6, 0.8, 0.95, 0.68, 0.72].map((x, i) => trial(i + 1, x, -((x - 0.7) ** 2)));
    const policy = createGpBanditPolicy(config);
    const own = (await policy.suggest({ study: { config, trials }, count: 1, seed: 4 })).suggestions;
    const good = (await policy.suggest({
      study: { config, trials }, count: 1, seed: 4, externalCandidates: [{ parameters: own[0].parameters, origin: 'llm-candidate', reason: 'llm candidate (target 0)' }],
    })).suggestions;
    expect(good[0]).toMatchObject({ origin: 'llm-candidate', reason: expect.stringMatching(/^llm candidate \(target 0\), won on log-EI/) });
    const bad = (await policy.suggest({
      study: { config, trials }, count: 1, seed: 4, externalCandidates: [{ parameters: { x: 0.001 }, origin: 'llm-candidate', reason: 'llm candidate (target 0)' }],
    })).suggestions;
    expect(bad[0]).toMatchObject({ origin: 'gp', reason: expect.stringMatching(/^GP/) });
  });

  it('warm-starts from its state part, passes other parts through, and ignores a malformed or old-version part', async () => {
    const config = oneD();
    const trials = [0.1, 0.3, 0.5, 0.7, 0.9, 0.2].map((x, i) => trial(i + 1, x, Math.sin(6 * x)));
    const policy = createGpBanditPolicy(config);
    const first = await policy.suggest({ study: { config, trials }, count: 1, seed: 1, state: { other: { version: 3 } } });
    expect(first.state.other).toEqual({ version: 3 });
    expect(first.fits).toEqual([{ model: 'gp', start: 'cold' }]);
    const more = [...trials, trial(7, 0.6, Math.sin(3.6))];
    const warm = await policy.suggest({ study: { config, trials: more }, count: 1, seed: 1, state: JSON.parse(JSON.stringify(first.state)) });
    // 7 < 1.2 × 6 observations: a warm refinement, so the full-fit count is carried over.
    expect(warm.state.gp).toMatchObject({ fullFitObservations: 6, refitObservations: 7 });
    expect(warm.fits).toEqual([{ model: 'gp', start: 'warm' }]);
    // Called again with the same 7 observations: nothing new to learn, the hyperparameters are reused.
    const reused = await policy.suggest({ study: { config, trials: more }, count: 1, seed: 1, state: warm.state });
    expect(reused.state).toEqual(warm.state);
    expect(reused.fits).toEqual([{ model: 'gp', start: 'reused' }]);
    const old = { ...gpModelState(warm.state, 1)!, version: 0 };
    for (const junk of [null, 'x', { version: 1, hyperparameters: { logLengthscales: [Number.NaN] } }, old]) {
      const r = await policy.suggest({ study: { config, trials: more }, count: 1, seed: 1, state: { gp: junk } as never });
      expect(gpModelState(r.state, 1)?.fullFitObservations).toBe(7);
      expect(r.fits).toEqual([{ model: 'gp', start: 'cold' }]);
    }
  });

  it('output warping: however bad the worst trial, the next suggestion is the same, unlike plain standardisation', async () => {
    const config = oneD();
    const xs = [0.1, 0.3, 0.5, 0.7, 0.9, 0.62, 0.58];
    const withWorst = (worst: number): TrialView[] => xs.map((x, i) => trial(i + 1, x, i === 0 ? worst : Math.sin(3 * x)));
    const next = async (worst: number, outputWarping?: 'NONE') =>
      (await createGpBanditPolicy(config, { outputWarping }).suggest({ study: { config, trials: withWorst(worst) }, count: 1, seed: 5 }))
        .suggestions[0].parameters.x as number;
    expect(await next(-1e9)).toBe(await next(-2));
    // Without warping the outlier sets the scale the GP standardises by, and the suggestion moves.
    expect(Math.abs((await next(-1e9, 'NONE')) - (await next(-2, 'NONE')))).toBeGreaterThan(1e-3);
  });

  it('trust region: AUTO searches a box around the incumbent from 12 dimensions on, shrunk by failures', async () => {
    const d = 20;
    const config = baseConfig({
      algorithm: 'GP_BANDIT',
      parameters: Array.from({ length: d }, (_, i) => ({ name: `x${i}`, type: 'DOUBLE' as const, min: 0, max: 1, scale: 'LINEAR' as const })),
      metrics: [{ name: 'y', goal: 'MAXIMIZE' }],
    });
    const rng = new Rng(3);
    const centre = Array.from({ length: d }, () => 0.3 + 0.4 * rng.uniform());
    const value = (x: number[]) => -x.reduce((s, v, i) => s + (v - centre[i]) ** 2, 0);
    const point = (x: number[]) => Object.fromEntries(x.map((v, i) => [`x${i}`, v]));
    // The best trial first; then the rest of the 21-point design and 20 trials that never improve on it:
    // 20 failures at tolerance 20 halve the side, 0.8 → 0.4.
    const trials: TrialView[] = [succeeded(1, { y: value(centre) }, point(centre))];
    for (let t = 2; t <= 41; t++) {
      const x = Array.from({ length: d }, () => rng.uniform());
      trials.push(succeeded(t, { y: value(x) }, point(x)));
    }
    const result = await createGpBanditPolicy(config, { trustRegion: 'AUTO' }).suggest({ study: { config, trials }, count: 1, seed: 1 });
    const [s] = result.suggestions;
    expect(s.reason).toMatch(/trust region of side 0\.40/);
    const h = gpModelState(result.state, d)!.hyperparameters;
    const box = trustRegionBox(centre, 0.4, h.logLengthscales);
    for (let i = 0; i < d; i++) {
      expect(s.parameters[`x${i}`] as number).toBeGreaterThanOrEqual(box.lower[i] - 1e-12);
      expect(s.parameters[`x${i}`] as number).toBeLessThanOrEqual(box.upper[i] + 1e-12);
    }
    const off = await createGpBanditPolicy(config, { trustRegion: 'OFF' }).suggest({ study: { config, trials }, count: 1, seed: 1 });
    expect(off.suggestions[0].reason).not.toMatch(/trust region/);
    // Below 12 dimensions AUTO is the global search; ON forces the region there too.
    const oneDTrials = [0.1, 0.3, 0.5, 0.7, 0.9, 0.62].map((x, i) => trial(i + 1, x, Math.sin(3 * x)));
    const low = await createGpBanditPolicy(oneD(), { trustRegion: 'AUTO' }).suggest({ study: { config: oneD(), trials: oneDTrials }, count: 1, seed: 1 });
    expect(low.suggestions[0].reason).not.toMatch(/trust region/);
    const forced = await createGpBanditPolicy(oneD(), { trustRegion: 'ON' }).suggest({ study: { config: oneD(), trials: oneDTrials }, count: 1, seed: 1 });
    expect(forced.suggestions[0].reason).toMatch(/trust region of side 0\.80/);
  });
});

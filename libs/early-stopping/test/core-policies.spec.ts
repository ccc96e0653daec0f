/** MEDIAN and FREEZE_THAW through libs/core's registry: the path the server takes
 *  (createEarlyStoppingPolicy(config).decide, createSuggestionPolicy(config).suggest). */
import { createEarlyStoppingPolicy, createSuggestionPolicy } from '@hpo/core';
import { createFreezeThawStoppingPolicy, freezeThawModelState } from '@hpo/core';
import { studyConfig } from '@hpo/core';
import type { EarlyStoppingMode, StudyConfig, StudyView, TrialState, TrialView } from '@hpo/core';
import { Rng } from '@hpo/space';

function config(mode: EarlyStoppingMode, goal: 'MINIMIZE' | 'MAXIMIZE' = 'MINIMIZE'): StudyConfig {
  return studyConfig({
    parameters: [
      { name: 'a', type: 'DOUBLE', min: 0, max: 1 },
      { name: 'b', type: 'DOUBLE', min: 0, max: 1 },
    ],
    metrics: [{ name: 'loss', goal }],
    algorithm: 'RANDOM_SEARCH',
    earlyStopping: { mode, maxStep: 30, minSteps: 3, minTrials: 3 },
    seed: 1,
    leaseSeconds: 60,
  });
}

const rng = new Rng(17);
function trial(id: number, state: TrialState, a: number, b: number, asymptote: number, length: number): TrialView {
  const measurements = Array.from({ length }, (_, i) => ({ step: i + 1, metrics: { loss: asymptote + Math.exp(-(i + 1) / 4) + 0.01 * rng.normal() }, elapsedSeconds: i }));
  return { id, state, parameters: { a, b }, measurements, finalMeasurement: state === 'SUCCEEDED' ? measurements[length - 1] : undefined };
}

function study(mode: EarlyStoppingMode, trials: TrialView[]): StudyView {
  return { config: config(mode), trials };
}

const finished = [trial(1, 'SUCCEEDED', 0.1, 0.1, 0.2, 30), trial(2, 'SUCCEEDED', 0.2, 0.8, 0.25, 30), trial(3, 'SUCCEEDED', 0.8, 0.3, 0.3, 30)];

describe('MEDIAN through the registry', () => {
  it('stops a trial worse than the median and continues a good one', () => {
    const policy = createEarlyStoppingPolicy(config('MEDIAN'));
    expect(policy.name).toBe('MEDIAN');
    const s = study('MEDIAN', [...finished, trial(4, 'ACTIVE', 0.5, 0.5, 0.9, 8), trial(5, 'ACTIVE', 0.1, 0.2, 0.1, 8)]);
    expect(policy.decide({ study: s, trialIds: [4] }).decisions[0].decision).toBe('STOP');
    expect(policy.decide({ study: s, trialIds: [5] }).decisions[0].decision).toBe('CONTINUE');
  });
});

describe('FREEZE_THAW through the registry', () => {
  it('pauses or stops a clearly bad trial, continues a good one, and waits for min_steps', () => {
    const policy = createEarlyStoppingPolicy(config('FREEZE_THAW'));
    expect(policy.name).toBe('FREEZE_THAW');
    const s = study('FREEZE_THAW', [...finished, trial(4, 'ACTIVE', 0.5, 0.5, 0.9, 10), trial(5, 'ACTIVE', 0.12, 0.1, 0.15, 8), trial(6, 'ACTIVE', 0.9, 0.9, 2, 2)]);
    const bad = policy.decide({ study: s, trialIds: [4] }).decisions[0];
    expect(['PAUSE', 'STOP']).toContain(bad.decision);
    expect(bad.reason).toMatch(/predicted final .* vs the best other predicted final/);
    expect(policy.decide({ study: s, trialIds: [5] }).decisions[0].decision).toBe('CONTINUE');
    expect(policy.decide({ study: s, trialIds: [6] }).decisions[0]).toEqual({ decision: 'CONTINUE', reason: '2 of min_steps 3 reports' });
  });

  it('decides several trials from one fit, in the order asked, as each alone', () => {
    const policy = createEarlyStoppingPolicy(config('FREEZE_THAW'));
    const s = study('FREEZE_THAW', [...finished, trial(4, 'ACTIVE', 0.5, 0.5, 0.9, 10), trial(5, 'ACTIVE', 0.12, 0.1, 0.15, 8), trial(6, 'ACTIVE', 0.9, 0.9, 2, 2)]);
    const together = policy.decide({ study: s, trialIds: [6, 4, 5] });
    expect(together.fits).toEqual([{ model: 'freezeThaw', start: 'cold' }]);
    expect(together.decisions).toEqual([6, 4, 5].map((id) => policy.decide({ study: s, trialIds: [id] }).decisions[0]));
  });

  it('hands back its fit in the state, and a fresh policy given it decides alike from a warm start', () => {
    const s = study('FREEZE_THAW', [...finished, trial(4, 'ACTIVE', 0.5, 0.5, 0.9, 10), trial(5, 'ACTIVE', 0.12, 0.1, 0.15, 8)]);
    const first = createFreezeThawStoppingPolicy(config('FREEZE_THAW')).decide({ study: s, trialIds: [4], state: { other: { version: 7 } } });
    const part = freezeThawModelState(first.state);
    expect(part?.version).toBe(1);
    expect(Number.isFinite(part?.hyperparameters.alpha)).toBe(true);
    expect(part?.hyperparameters.kernelParameters.length).toBeGreaterThan(0);
    // Parts the rule does not own pass through.
    expect(first.state.other).toEqual({ version: 7 });
    expect(first.fits).toEqual([{ model: 'freezeThaw', start: 'cold' }]);
    // The state crosses a thread boundary and a database row as JSON; a copy must be accepted.
    const warm = createFreezeThawStoppingPolicy(config('FREEZE_THAW')).decide({ study: s, trialIds: [4], state: JSON.parse(JSON.stringify(first.state)) });
    // Same reports as the stored fit: its hyperparameters are reused as they are (posterior only).
    expect(warm.fits).toEqual([{ model: 'freezeThaw', start: 'reused' }]);
    expect(warm.decisions[0].decision).toBe(first.decisions[0].decision);
    // Garbage or another version is ignored, not trusted: the policy fits cold and still decides.
    for (const junk of [{ freezeThaw: { version: 1, hyperparameters: { alpha: 'x' } } }, { freezeThaw: { ...part!, version: 0 } }]) {
      const cold = createFreezeThawStoppingPolicy(config('FREEZE_THAW')).decide({ study: s, trialIds: [4], state: junk as never });
      expect(cold.fits).toEqual([{ model: 'freezeThaw', start: 'cold' }]);
      expect(cold.decisions[0].decision).toBe(first.decisions[0].decision);
    }
  });

  it('shares one fit between reports and suggestions: a suggestion reuses the report side\'s fit', async () => {
    const s = study('FREEZE_THAW', [...finished, trial(4, 'PAUSED', 0.11, 0.1, 0.1, 15), trial(5, 'ACTIVE', 0.12, 0.1, 0.15, 8)]);
    const decided = createEarlyStoppingPolicy(config('FREEZE_THAW')).decide({ study: s, trialIds: [5] });
    const suggested = await createSuggestionPolicy(config('FREEZE_THAW')).suggest({ study: s, count: 1, seed: 5, state: decided.state });
    // The same reports: the report side's hyperparameters are reused as they are (no optimisation).
    expect(suggested.fits).toEqual([{ model: 'freezeThaw', start: 'reused' }]);
    expect(freezeThawModelState(suggested.state)).toBeDefined();
  });

  it('never pauses a trial twice: a thawed trial the rule would pause is stopped (at most two flips)', () => {
    const again = trial(4, 'ACTIVE', 0.5, 0.5, 0.9, 10);
    const s = study('FREEZE_THAW', [...finished, { ...again, resumeFromStep: 6 }, trial(5, 'ACTIVE', 0.12, 0.1, 0.15, 8)]);
    const first = study('FREEZE_THAW', [...finished, again, trial(5, 'ACTIVE', 0.12, 0.1, 0.15, 8)]);
    const policy = createEarlyStoppingPolicy(config('FREEZE_THAW'));
    const never = policy.decide({ study: first, trialIds: [4] }).decisions[0];
    expect(never.decision).toBe('PAUSE');
    const resumed = policy.decide({ study: s, trialIds: [4] }).decisions[0];
    expect(resumed.decision).toBe('STOP');
    expect(resumed.reason).toMatch(/thawed once already/);
  });

  it('at max_trials a thawed trial is not stopped in favour of another paused trial (the thaw already ranked it first)', () => {
    const thawed = { ...trial(4, 'ACTIVE', 0.5, 0.5, 0.5, 10), resumeFromStep: 6 };
    const otherPaused = trial(5, 'PAUSED', 0.15, 0.12, 0.22, 4);
    const atBudget: StudyView = { config: { ...config('FREEZE_THAW'), maxTrials: 5 }, trials: [...finished, thawed, otherPaused] };
    const policy = createEarlyStoppingPolicy(atBudget.config);
    const d = policy.decide({ study: atBudget, trialIds: [4] }).decisions[0];
    expect(d.decision).toBe('CONTINUE');
    // Below max_trials a new configuration is an alternative again, and the same trial gives way to it.
    const belowBudget: StudyView = { ...atBudget, config: { ...atBudget.config, maxTrials: 0 } };
    const below = createEarlyStoppingPolicy(belowBudget.config).decide({ study: belowBudget, trialIds: [4] }).decisions[0];
    expect(below.decision).toBe('STOP');
    expect(below.reason).toMatch(/thawed once already/);
  });

  it('a curve of 1e308 gets a decision, not an error', () => {
    const policy = createEarlyStoppingPolicy(config('FREEZE_THAW'));
    const huge: TrialView = { id: 7, state: 'ACTIVE', parameters: { a: 0.6, b: 0.6 }, measurements: [1, 2, 3, 4].map((step) => ({ step, metrics: { loss: 1e308 }, elapsedSeconds: step })) };
    const d = policy.decide({ study: study('FREEZE_THAW', [...finished, huge]), trialIds: [7] }).decisions[0];
    expect(['STOP', 'PAUSE']).toContain(d.decision);
  });

  it('GP_BANDIT sees unfinished trials through their predicted finals: its design ends when enough trials have curves', async () => {
    const gpConfig = { ...config('FREEZE_THAW'), algorithm: 'GP_BANDIT' as const };
    // Two finished trials and four running or paused ones: six with curves, the design size for d = 2 is 5.
    const trials = [...finished.slice(0, 2), trial(3, 'PAUSED', 0.9, 0.9, 0.9, 9), trial(4, 'ACTIVE', 0.3, 0.6, 0.3, 6), trial(5, 'ACTIVE', 0.6, 0.2, 0.4, 5), trial(6, 'PAUSED', 0.8, 0.1, 0.8, 7)];
    const r = await createSuggestionPolicy(gpConfig).suggest({ study: { config: gpConfig, trials }, count: 1, seed: 3 });
    expect(r.suggestions[0].reason).toMatch(/^GP /);
    // Without curve predictions (no early stopping), the same trials leave GP_BANDIT in its design.
    const plain = { ...gpConfig, earlyStopping: { ...gpConfig.earlyStopping, mode: 'NONE' as const } };
    const r0 = await createSuggestionPolicy(plain).suggest({ study: { config: plain, trials }, count: 1, seed: 3 });
    expect(r0.suggestions[0].reason).toMatch(/initial design/);
  });

  it('the suggestion policy is wrapped only for FREEZE_THAW', () => {
    expect(createSuggestionPolicy(config('NONE')).name).toBe('RANDOM_SEARCH');
    expect(createSuggestionPolicy(config('FREEZE_THAW')).name).toBe('RANDOM_SEARCH+FREEZE_THAW');
  });

  it('thaws a promising paused trial (its parameters and resumeTrialId), and otherwise asks the inner policy', async () => {
    const policy = createSuggestionPolicy(config('FREEZE_THAW'));
    // Trial 4 (paused at step 15, e.g. before the others finished) is heading below the best finished
    // trial and needs half the epochs a new configuration would.
    const promising = study('FREEZE_THAW', [...finished, trial(4, 'PAUSED', 0.11, 0.1, 0.1, 15)]);
    const [thaw] = (await policy.suggest({ study: promising, count: 1, seed: 5 })).suggestions;
    expect(thaw.resumeTrialId).toBe(4);
    expect(thaw.parameters).toEqual({ a: 0.11, b: 0.1 });
    expect(thaw.reason).toMatch(/^thaw: predicted final/);

    const hopeless = study('FREEZE_THAW', [...finished, trial(4, 'PAUSED', 0.5, 0.5, 3, 25)]);
    const [fresh] = (await policy.suggest({ study: hopeless, count: 1, seed: 5 })).suggestions;
    expect(fresh.resumeTrialId).toBeUndefined();
    expect(fresh.reason).toMatch(/random search; new configuration: predicted final/);
  });

  it('at max_trials (newTrialsAllowed false) resumes only paused trials that may still win, and never proposes new ones', async () => {
    const policy = createSuggestionPolicy(config('FREEZE_THAW'));
    const mixed = study('FREEZE_THAW', [...finished, trial(4, 'PAUSED', 0.11, 0.1, 0.1, 15), trial(5, 'PAUSED', 0.5, 0.5, 3, 25)]);
    const out = (await policy.suggest({ study: mixed, count: 3, seed: 5, newTrialsAllowed: false })).suggestions;
    expect(out.map((o) => o.resumeTrialId)).toEqual([4]);
    const hopeless = study('FREEZE_THAW', [...finished, trial(5, 'PAUSED', 0.5, 0.5, 3, 25)]);
    expect((await policy.suggest({ study: hopeless, count: 2, seed: 5, newTrialsAllowed: false })).suggestions).toEqual([]);
    // With new trials allowed the same hopeless study gets new configurations, as before.
    const fresh = (await policy.suggest({ study: hopeless, count: 2, seed: 5 })).suggestions;
    expect(fresh.every((o) => o.resumeTrialId === undefined)).toBe(true);
    expect(fresh).toHaveLength(2);
  });

  it('fills several slots: at most one thaw per paused trial, the rest new configurations', async () => {
    const policy = createSuggestionPolicy(config('FREEZE_THAW'));
    const s = study('FREEZE_THAW', [...finished, trial(4, 'PAUSED', 0.11, 0.1, 0.1, 15)]);
    const out = (await policy.suggest({ study: s, count: 3, seed: 9 })).suggestions;
    expect(out).toHaveLength(3);
    expect(out.filter((o) => o.resumeTrialId === 4)).toHaveLength(1);
    expect(out.filter((o) => o.resumeTrialId === undefined)).toHaveLength(2);
  });
});

/** MEDIAN and FREEZE_THAW through libs/core's registry: the path the server takes
 *  (createEarlyStoppingPolicy(config).decide, createSuggestionPolicy(config).suggest). */
import { createEarlyStoppingPolicy, createSuggestionPolicy } from '@hpo/core';
import { createFreezeThawStoppingPolicy } from '@hpo/core';
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
    expect(policy.decide({ study: s, trialId: 4 }).decision).toBe('STOP');
    expect(policy.decide({ study: s, trialId: 5 }).decision).toBe('CONTINUE');
  });
});

describe('FREEZE_THAW through the registry', () => {
  it('pauses or stops a clearly bad trial, continues a good one, and waits for min_steps', () => {
    const policy = createEarlyStoppingPolicy(config('FREEZE_THAW'));
    expect(policy.name).toBe('FREEZE_THAW');
    const s = study('FREEZE_THAW', [...finished, trial(4, 'ACTIVE', 0.5, 0.5, 0.9, 10), trial(5, 'ACTIVE', 0.12, 0.1, 0.15, 8), trial(6, 'ACTIVE', 0.9, 0.9, 2, 2)]);
    const bad = policy.decide({ study: s, trialId: 4 });
    expect(['PAUSE', 'STOP']).toContain(bad.decision);
    expect(bad.reason).toMatch(/predicted final .* vs incumbent/);
    expect(policy.decide({ study: s, trialId: 5 }).decision).toBe('CONTINUE');
    expect(policy.decide({ study: s, trialId: 6 })).toEqual({ decision: 'CONTINUE', reason: '2 of min_steps 3 reports' });
  });

  it('hands back its fit as modelState, and a fresh policy given it decides alike from a warm start', () => {
    const s = study('FREEZE_THAW', [...finished, trial(4, 'ACTIVE', 0.5, 0.5, 0.9, 10), trial(5, 'ACTIVE', 0.12, 0.1, 0.15, 8)]);
    const first = createFreezeThawStoppingPolicy(config('FREEZE_THAW')).decideWithState({ study: s, trialId: 4 });
    const state = first.modelState as { alpha: number; kernelParameters: number[] };
    expect(Number.isFinite(state.alpha)).toBe(true);
    expect(state.kernelParameters.length).toBeGreaterThan(0);
    // The state crosses a thread boundary as structured-cloned data; a clone must be accepted.
    const warm = createFreezeThawStoppingPolicy(config('FREEZE_THAW')).decideWithState({ study: s, trialId: 4, modelState: structuredClone(state) });
    expect(warm.decision.decision).toBe(first.decision.decision);
    // Garbage state is ignored, not trusted: the policy fits cold and still decides.
    const cold = createFreezeThawStoppingPolicy(config('FREEZE_THAW')).decideWithState({ study: s, trialId: 4, modelState: { alpha: 'x' } });
    expect(cold.decision.decision).toBe(first.decision.decision);
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
    const [thaw] = await policy.suggest({ study: promising, count: 1, seed: 5 });
    expect(thaw.resumeTrialId).toBe(4);
    expect(thaw.parameters).toEqual({ a: 0.11, b: 0.1 });
    expect(thaw.reason).toMatch(/^thaw: predicted final/);

    const hopeless = study('FREEZE_THAW', [...finished, trial(4, 'PAUSED', 0.5, 0.5, 3, 25)]);
    const [fresh] = await policy.suggest({ study: hopeless, count: 1, seed: 5 });
    expect(fresh.resumeTrialId).toBeUndefined();
    expect(fresh.reason).toMatch(/random search; new configuration: predicted final/);
  });

  it('at max_trials (newTrialsAllowed false) resumes only paused trials that may still win, and never proposes new ones', async () => {
    const policy = createSuggestionPolicy(config('FREEZE_THAW'));
    const mixed = study('FREEZE_THAW', [...finished, trial(4, 'PAUSED', 0.11, 0.1, 0.1, 15), trial(5, 'PAUSED', 0.5, 0.5, 3, 25)]);
    const out = await policy.suggest({ study: mixed, count: 3, seed: 5, newTrialsAllowed: false });
    expect(out.map((o) => o.resumeTrialId)).toEqual([4]);
    const hopeless = study('FREEZE_THAW', [...finished, trial(5, 'PAUSED', 0.5, 0.5, 3, 25)]);
    expect(await policy.suggest({ study: hopeless, count: 2, seed: 5, newTrialsAllowed: false })).toEqual([]);
    // With new trials allowed the same hopeless study gets new configurations, as before.
    const fresh = await policy.suggest({ study: hopeless, count: 2, seed: 5 });
    expect(fresh.every((o) => o.resumeTrialId === undefined)).toBe(true);
    expect(fresh).toHaveLength(2);
  });

  it('fills several slots: at most one thaw per paused trial, the rest new configurations', async () => {
    const policy = createSuggestionPolicy(config('FREEZE_THAW'));
    const s = study('FREEZE_THAW', [...finished, trial(4, 'PAUSED', 0.11, 0.1, 0.1, 15)]);
    const out = await policy.suggest({ study: s, count: 3, seed: 9 });
    expect(out).toHaveLength(3);
    expect(out.filter((o) => o.resumeTrialId === 4)).toHaveLength(1);
    expect(out.filter((o) => o.resumeTrialId === undefined)).toHaveLength(2);
  });
});

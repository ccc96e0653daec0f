/** The safety net under the policies (issue 19, finding 3): a failing policy yields a documented
 *  fallback, backpressure and database outages keep their own status. */
import { ResourceExhaustedError, studyConfig, UnavailableError, InvalidArgumentError } from '@hpo/core';
import type { StudyView } from '@hpo/core';
import { fallbackDecision, fallbackSuggestions, failureCause, isPolicyFailure } from '../../src/suggestion/policy-fallback';

const config = studyConfig({
  parameters: [
    { name: 'x', type: 'DOUBLE', min: 0, max: 1 },
    { name: 'c', type: 'CATEGORICAL', categories: ['a', 'b'] },
  ],
  metrics: [{ name: 'loss', goal: 'MINIMIZE' }],
  algorithm: 'GP_BANDIT',
  earlyStopping: { mode: 'FREEZE_THAW', maxStep: 10, minSteps: 0, minTrials: 0 },
});
const failure = new Error('policy failed in worker: Error: fitFreezeThawHyperparameters: no hyperparameters gave a positive-definite covariance\n    at fit (x.js:1:1)');

describe('policy fallback', () => {
  it('finding 3: a failed decision is CONTINUE with the cause (first line only, no stack)', () => {
    expect(fallbackDecision('FREEZE_THAW', failure)).toEqual({
      decision: 'CONTINUE',
      reason: 'fallback: FREEZE_THAW could not decide (Error: fitFreezeThawHyperparameters: no hyperparameters gave a positive-definite covariance); the trial continues',
    });
    expect(failureCause(new Error('x'.repeat(1000))).length).toBeLessThanOrEqual(161);
  });

  it('finding 3: a failed suggestion falls back to valid quasi-random configurations, each saying why', async () => {
    const study: StudyView = { config, trials: [] };
    const s = await fallbackSuggestions({ study, count: 3, seed: 1 }, 'GP_BANDIT', failure);
    expect(s).toHaveLength(3);
    for (const x of s) {
      expect(x.parameters.x).toBeGreaterThanOrEqual(0);
      expect(x.parameters.x).toBeLessThanOrEqual(1);
      expect(['a', 'b']).toContain(x.parameters.c);
      expect(x.reason).toMatch(/^quasi-random \(Halton point \d+\) \(fallback after GP_BANDIT failed: Error: fitFreezeThaw/);
      expect(x.resumeTrialId).toBeUndefined();
    }
  });

  it('finding 3: with no new trial allowed (max_trials reached), the fallback resumes paused trials in id order', async () => {
    const paused = (id: number) => ({ id, state: 'PAUSED' as const, parameters: { x: id / 10, c: 'a' }, measurements: [{ step: 1, metrics: { loss: 1 }, elapsedSeconds: 1 }] });
    const study: StudyView = { config, trials: [paused(2), { ...paused(3), state: 'SUCCEEDED' }, paused(5), paused(7)] };
    const s = await fallbackSuggestions({ study, count: 2, seed: 1, newTrialsAllowed: false }, 'GP_BANDIT', failure);
    expect(s.map((x) => x.resumeTrialId)).toEqual([2, 5]);
  });

  it('backpressure and an unreachable database are not policy failures; anything else is', () => {
    expect(isPolicyFailure(new ResourceExhaustedError('busy', 1))).toBe(false);
    expect(isPolicyFailure(new UnavailableError('down'))).toBe(false);
    expect(isPolicyFailure(Object.assign(new Error('Connection terminated unexpectedly'), {}))).toBe(false);
    expect(isPolicyFailure(failure)).toBe(true);
    expect(isPolicyFailure(new TypeError("Cannot read properties of undefined (reading 'toPrecision')"))).toBe(true);
    expect(isPolicyFailure(new InvalidArgumentError('config.algorithm', 'not available'))).toBe(true);
  });
});

/** The step warm-up the server answers without a policy call (warmUpReason) agrees with what every
 *  early-stopping policy decides inside it: CONTINUE, with the same reason where the policy gives one. */
import { createEarlyStoppingPolicy } from '../src/create-policy';
import { earlyStoppingWarmUp, warmUpReason } from '../src/policies/early-stopping-warm-up';
import type { EarlyStoppingMode, StudyView, TrialView } from '../src/types';
import { baseConfig } from './fixtures';

const params = { learning_rate: 0.01, layers: 2, optimizer: 'adam' };
const curve = (id: number, steps: number, value: (s: number) => number, state: TrialView['state'] = 'SUCCEEDED'): TrialView => ({
  id,
  state,
  parameters: params,
  measurements: Array.from({ length: steps }, (_, i) => ({ step: i + 1, metrics: { accuracy: value(i + 1) }, elapsedSeconds: i + 1 })),
});

describe('warmUpReason', () => {
  it.each<EarlyStoppingMode>(['MEDIAN', 'FREEZE_THAW', 'ASHA', 'HYPERBAND'])('%s: inside the warm-up the policy continues too', async (mode) => {
    const config = baseConfig({ earlyStopping: { mode, maxStep: 30, minSteps: 0, minTrials: 0, maxStepsTotal: 0 } });
    const { minSteps } = earlyStoppingWarmUp(config);
    expect(minSteps).toBeGreaterThan(0);
    const others = Array.from({ length: 8 }, (_, i) => curve(i + 1, 30, () => 0.9 + i / 100));
    for (let reports = 1; reports < minSteps; reports++) {
      const trial = curve(9, reports, () => 0.01, 'ACTIVE');
      const reason = warmUpReason(config, reports, reports);
      expect(reason).toBe(`${reports} of min_steps ${minSteps} reports`);
      const study: StudyView = { config, trials: [...others, trial] };
      const d = await createEarlyStoppingPolicy(config).decide({ study, trialIds: [9], state: {} });
      expect(d.decisions[0].decision).toBe('CONTINUE');
    }
    // At the warm-up, the policy decides.
    expect(warmUpReason(config, minSteps, minSteps)).toBeUndefined();
  });

  it('says nothing without early stopping, or once a trial reports a step past the warm-up', () => {
    expect(warmUpReason(baseConfig(), 0, 1)).toBeUndefined();
    const config = baseConfig({ earlyStopping: { mode: 'FREEZE_THAW', maxStep: 30, minSteps: 3, minTrials: 0, maxStepsTotal: 0 } });
    expect(warmUpReason(config, 1, 1)).toBe('1 of min_steps 3 reports');
    expect(warmUpReason(config, 1, 5)).toBeUndefined();
  });
});

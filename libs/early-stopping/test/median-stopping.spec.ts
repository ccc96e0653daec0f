import { bestValueUpTo, median, medianStoppingDecision } from '../src/median-stopping';

const curve = (values: number[], start = 1) => ({ steps: values.map((_, i) => i + start), values });

describe('medianStoppingDecision (Vizier / Optuna median rule)', () => {
  const others = [curve([1.0, 0.8, 0.6, 0.5]), curve([1.0, 0.7, 0.5, 0.4]), curve([1.2, 0.9, 0.8, 0.7])];

  it('stops a trial whose best value so far is worse than the median of the others’ bests up to the same step', () => {
    // At step 3 the others' bests are 0.6, 0.5, 0.8: median 0.6. The trial's best is 0.65.
    const d = medianStoppingDecision({ goal: 'MINIMIZE', trial: curve([0.9, 0.65, 0.7]), others, minSteps: 1, minTrials: 1 });
    expect(d.decision).toBe('STOP');
    expect(d.reason).toMatch(/median 0\.6000 of 3 trials/);
  });

  it('continues a trial at or better than the median (ties continue: "strictly worse")', () => {
    expect(medianStoppingDecision({ goal: 'MINIMIZE', trial: curve([0.9, 0.6, 0.7]), others, minSteps: 1, minTrials: 1 }).decision).toBe('CONTINUE');
    expect(medianStoppingDecision({ goal: 'MINIMIZE', trial: curve([0.9, 0.55]), others, minSteps: 1, minTrials: 1 }).decision).toBe('CONTINUE');
  });

  it('uses best-so-far, not the latest value', () => {
    // Latest 0.9 is bad, but the best so far (0.5 at step 2) beats the step-3 median 0.6.
    expect(medianStoppingDecision({ goal: 'MINIMIZE', trial: curve([1, 0.5, 0.9]), others, minSteps: 1, minTrials: 1 }).decision).toBe('CONTINUE');
  });

  it('flips for MAXIMIZE', () => {
    const acc = others.map((c) => ({ steps: c.steps, values: c.values.map((v) => 1 - v) }));
    expect(medianStoppingDecision({ goal: 'MAXIMIZE', trial: curve([0.1, 0.35, 0.3]), others: acc, minSteps: 1, minTrials: 1 }).decision).toBe('STOP');
    expect(medianStoppingDecision({ goal: 'MAXIMIZE', trial: curve([0.1, 0.45]), others: acc, minSteps: 1, minTrials: 1 }).decision).toBe('CONTINUE');
  });

  it('makes no decision before min_steps reports or with fewer than min_trials references that reached the step', () => {
    expect(medianStoppingDecision({ goal: 'MINIMIZE', trial: curve([5, 5]), others, minSteps: 3, minTrials: 1 }).decision).toBe('CONTINUE');
    expect(medianStoppingDecision({ goal: 'MINIMIZE', trial: curve([5, 5]), others, minSteps: 1, minTrials: 4 }).decision).toBe('CONTINUE');
    // Only curves that reached step 5 count: none of the others did.
    const d = medianStoppingDecision({ goal: 'MINIMIZE', trial: curve([5, 5, 5, 5, 5]), others, minSteps: 1, minTrials: 1 });
    expect(d.decision).toBe('CONTINUE');
    expect(d.reason).toMatch(/0 other trials reached step 5/);
  });

  it('finding 3 (issue 19): a reference curve that starts after the judged step is no reference (was a TypeError on toPrecision)', () => {
    // Trial 1 reported only at step 10; trial 2 reports step 5 and is judged there.
    const d = medianStoppingDecision({ goal: 'MAXIMIZE', trial: { steps: [5], values: [0.5] }, others: [{ steps: [10], values: [0.9] }], minSteps: 1, minTrials: 1 });
    expect(d).toEqual({ decision: 'CONTINUE', reason: '0 other trials reached step 5; min_trials is 1' });
  });

  it('helpers: best value up to a step and the median', () => {
    expect(bestValueUpTo(curve([3, 1, 2]), 1, 'MINIMIZE')).toBe(3);
    expect(bestValueUpTo(curve([3, 1, 2]), 3, 'MAXIMIZE')).toBe(3);
    expect(bestValueUpTo(curve([3, 1, 2], 5), 4, 'MINIMIZE')).toBeUndefined();
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
  });
});

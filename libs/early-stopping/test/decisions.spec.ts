import { Rng } from '@hpo/space';
import { chooseThawOrNew, expectedImprovementPerCost } from '../src/choose-thaw-or-new';
import { formatMetric, freezeThawDecision } from '../src/freeze-thaw-decision';
import { FinalValuePrediction, TrialLearningCurve, fitFreezeThawModel } from '../src/freeze-thaw-model';
import { expectedImprovementBelow } from '@hpo/numeric';

const maxStep = 30;
function expCurve(trialId: number, x: number[], asymptote: number, length: number, rng: Rng, b = 1, tau = 4): TrialLearningCurve {
  const steps = Array.from({ length }, (_, i) => i + 1);
  return { trialId, x, steps, values: steps.map((t) => asymptote + b * Math.exp(-t / tau) + 0.01 * rng.normal()) };
}

describe('freezeThawDecision on clear cases', () => {
  const rng = new Rng(3);
  const curves = [
    expCurve(1, [0.1, 0.1], 0.2, 30, rng),
    expCurve(2, [0.2, 0.8], 0.25, 30, rng),
    expCurve(3, [0.8, 0.3], 0.3, 30, rng),
    expCurve(4, [0.5, 0.5], 0.9, 12, rng), // clearly bad: plateauing far above the others
    expCurve(5, [0.15, 0.12], 0.15, 8, rng), // clearly good: already near the best, still falling
  ];
  const model = fitFreezeThawModel(curves, { goal: 'MINIMIZE', maxStep });

  it('pauses or stops a clearly bad curve, explaining with its predicted final value and the incumbent', () => {
    const d = freezeThawDecision(model, 4);
    expect(['PAUSE', 'STOP']).toContain(d.decision);
    expect(d.probabilityOfImprovement).toBeLessThan(0.05);
    expect(d.reason).toMatch(/^predicted final 0\.[89]\d* \[[\d.]+, [\d.]+\] vs the best other predicted final 0\.\d+ \(trial \d\); P\(better\) (< 0\.001|0\.0\d\d)$/);
  });

  it('pauses (not stops) a hopeless trial seen for under half of max_step, stops it after', () => {
    const late = expCurve(7, [0.55, 0.45], 0.9, 20, new Rng(8));
    const early = { ...late, trialId: 8, x: [0.45, 0.55], steps: late.steps.slice(0, 6), values: late.values.slice(0, 6) };
    const m = fitFreezeThawModel([...curves, late, early], { goal: 'MINIMIZE', maxStep });
    const dLate = freezeThawDecision(m, 7);
    const dEarly = freezeThawDecision(m, 8);
    expect(dLate.probabilityOfImprovement).toBeLessThan(1e-4);
    expect(dLate.decision).toBe('STOP');
    expect(dEarly.probabilityOfImprovement).toBeLessThan(1e-4);
    expect(dEarly.decision).toBe('PAUSE');
  });

  it('continues a clearly good one', () => {
    const d = freezeThawDecision(model, 5);
    expect(d.decision).toBe('CONTINUE');
  });

  it('continues a trial that reached max_step', () => {
    expect(freezeThawDecision(model, 3).decision).toBe('CONTINUE');
  });

  it('stops a diverging curve (worse than any trial was at its first report)', () => {
    const diverging: TrialLearningCurve = { trialId: 6, x: [0.9, 0.9], steps: [1, 2, 3, 4, 5, 6], values: [1.1, 0.9, 1.2, 2, 3.5, 6] };
    const m = fitFreezeThawModel([...curves, diverging], { goal: 'MINIMIZE', maxStep });
    const d = freezeThawDecision(m, 6);
    expect(d.decision).toBe('STOP');
    expect(d.reason).toMatch(/diverging/);
  });

  it('works the same way for a MAXIMIZE metric (accuracy = 1 − loss)', () => {
    const acc = curves.map((c) => ({ ...c, values: c.values.map((v) => 1 - v) }));
    const m = fitFreezeThawModel(acc, { goal: 'MAXIMIZE', maxStep });
    expect(['PAUSE', 'STOP']).toContain(freezeThawDecision(m, 4).decision);
    expect(freezeThawDecision(m, 5).decision).toBe('CONTINUE');
  });

  it('throws for a trial without a curve', () => {
    expect(() => freezeThawDecision(model, 99)).toThrow(/trial 99/);
  });
});

describe('chooseThawOrNew', () => {
  const pred = (mean: number, sd: number, lastStep: number, trialId?: number): FinalValuePrediction => ({ trialId, lastStep, mean, sd, value: mean, lower: mean - 2 * sd, upper: mean + 2 * sd });

  it('thaws a paused trial that is as promising as a new configuration but needs fewer remaining steps', () => {
    const c = chooseThawOrNew({ paused: [pred(0, 1, 20, 7)], candidate: pred(0, 1, 0), incumbentMean: 0, maxStep: 30 });
    expect(c).toMatchObject({ choice: 'thaw', trialId: 7, resumeFromStep: 21 });
    expect(c.reason).toMatch(/^thaw: predicted final/);
  });

  it('starts a new configuration when paused trials are hopeless', () => {
    const c = chooseThawOrNew({ paused: [pred(3, 0.2, 20, 7), pred(2, 0.1, 25, 8)], candidate: pred(0, 1, 0), incumbentMean: 0, maxStep: 30 });
    expect(c.choice).toBe('new');
  });

  it('picks the paused trial with the highest EI per remaining step', () => {
    const c = chooseThawOrNew({ paused: [pred(0.5, 0.5, 5, 1), pred(0.5, 0.5, 25, 2)], candidate: pred(5, 0.1, 0), incumbentMean: 0, maxStep: 30 });
    expect(c).toMatchObject({ choice: 'thaw', trialId: 2 });
    expect(expectedImprovementPerCost(pred(0.5, 0.5, 25), 0, 30)).toBeCloseTo(expectedImprovementBelow(0.5, 0.5, 0) / 5, 14);
  });

  it('thaws a paused trial whose prospects improved: the trials that looked better turned out worse, so it ranks among the top 2', () => {
    const paused = pred(0.8, 0.05, 6, 3);
    // Before: two trials predicted far better; a vague new configuration is worth more per step.
    const before = chooseThawOrNew({ paused: [paused], all: [pred(0, 0.05, 10, 1), pred(0.1, 0.05, 10, 2), paused], candidate: pred(0, 1, 0), incumbentMean: 0, maxStep: 30 });
    expect(before.choice).toBe('new');
    // After: they finished worse than predicted; the paused trial is now the best predicted final.
    const after = chooseThawOrNew({ paused: [paused], all: [pred(1.5, 0.01, 30, 1), pred(1.2, 0.01, 30, 2), paused], candidate: pred(0, 1, 0), incumbentMean: 0.8, maxStep: 30 });
    expect(after).toMatchObject({ choice: 'thaw', trialId: 3, resumeFromStep: 7 });
    expect(after.reason).toMatch(/ranked 1.*prospects improved/);
  });

  it('compares a paused trial with the best of the OTHER trials, not with itself', () => {
    // Trial 3 is itself the incumbent: against itself its EI would be sd·φ(0) only; against the others
    // it is a near-certain improvement (and it ranks first).
    const c = chooseThawOrNew({ paused: [pred(0.2, 0.05, 20, 3)], all: [pred(0.2, 0.05, 20, 3), pred(0.6, 0.01, 30, 1)], candidate: pred(0, 1, 0), incumbentMean: 0.2, maxStep: 30, protectTopK: 0 });
    expect(c).toMatchObject({ choice: 'thaw', trialId: 3 });
  });

  it('with no new configuration allowed, spends the budget on paused trials down to the STOP threshold, not below', () => {
    const all = [pred(0, 0.01, 30, 1), pred(0.01, 0.01, 30, 2), pred(0.1, 0.05, 5, 3), pred(2, 0.05, 5, 4)];
    const some = chooseThawOrNew({ paused: [all[2], all[3]], all, candidate: pred(0, 1, 0), incumbentMean: 0, maxStep: 30, budgetExhausted: true });
    expect(some).toMatchObject({ choice: 'thaw', trialId: 3 });
    expect(some.reason).toMatch(/no new configuration may start/);
    // P(better) of trial 4 is far below 1e-4: it is left to end, and the study can complete.
    expect(chooseThawOrNew({ paused: [all[3]], all, candidate: pred(0, 1, 0), incumbentMean: 0, maxStep: 30, budgetExhausted: true }).choice).toBe('new');
  });
});

describe('formatting', () => {
  it('formats metric values with three significant digits', () => {
    expect(formatMetric(0.912345)).toBe('0.912');
    expect(formatMetric(0.9)).toBe('0.9');
    expect(formatMetric(100)).toBe('100');
    expect(formatMetric(1.5e-5)).toBe('1.50e-5');
  });
});

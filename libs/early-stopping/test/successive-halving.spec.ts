import { hyperbandBracket, hyperbandMaxBracket, rungMilestones, successiveHalvingDecision, valueAtRung } from '../src/successive-halving';

const curve = (trialId: number, values: number[]) => ({ trialId, steps: values.map((_, i) => i + 1), values });

describe('successive halving (ASHA) as a stopping rule', () => {
  it('places rungs at r_min·η^k below max_step', () => {
    expect(rungMilestones(1, 30, 3)).toEqual([1, 3, 9, 27]);
    expect(rungMilestones(2, 18, 3)).toEqual([2, 6]);
    expect(rungMilestones(1, 0, 3).length).toBeGreaterThan(10);
  });

  it('reads a curve at its first report at or past the rung', () => {
    expect(valueAtRung({ steps: [1, 2, 5], values: [9, 8, 7] }, 3)).toBe(7);
    expect(valueAtRung({ steps: [1, 2], values: [9, 8] }, 3)).toBeUndefined();
  });

  const others = [curve(1, [0.9, 0.8, 0.5]), curve(2, [0.8, 0.7, 0.6]), curve(3, [0.7, 0.6, 0.4]), curve(4, [1, 1, 0.9]), curve(5, [0.95, 0.9, 0.8])];

  it('keeps the top 1/η at a rung and stops the rest (MINIMIZE)', () => {
    // At rung 3 the others hold 0.5, 0.6, 0.4, 0.9, 0.8; with the trial n = 6, the top 2 go on.
    const input = { goal: 'MINIMIZE' as const, others, rungs: [1, 3, 9], eta: 3, minTrials: 3 };
    expect(successiveHalvingDecision({ ...input, trial: curve(9, [0.9, 0.8, 0.45]) }).decision).toBe('CONTINUE');
    const d = successiveHalvingDecision({ ...input, trial: curve(9, [0.9, 0.8, 0.55]) });
    expect(d.decision).toBe('STOP');
    expect(d.reason).toMatch(/rung 3: ranked 3 of 6 \(top 2 go on/);
  });

  it('decides only when a rung is first reached, and waits for min_trials others there', () => {
    const input = { goal: 'MINIMIZE' as const, others, rungs: [1, 3, 9], eta: 3, minTrials: 3 };
    expect(successiveHalvingDecision({ ...input, trial: curve(9, [0.99, 0.99]) }).reason).toBe('not at a rung');
    expect(successiveHalvingDecision({ ...input, minTrials: 6, trial: curve(9, [0.9, 0.9, 0.99]) }).decision).toBe('CONTINUE');
  });

  it('flips for MAXIMIZE', () => {
    const acc = others.map((c) => ({ ...c, values: c.values.map((v) => 1 - v) }));
    const input = { goal: 'MAXIMIZE' as const, others: acc, rungs: [3], eta: 3, minTrials: 1 };
    expect(successiveHalvingDecision({ ...input, trial: curve(9, [0.1, 0.2, 0.55]) }).decision).toBe('CONTINUE');
    expect(successiveHalvingDecision({ ...input, trial: curve(9, [0.1, 0.2, 0.3]) }).decision).toBe('STOP');
  });
});

describe('asynchronous Hyperband brackets', () => {
  it('has s_max = ⌊log_η(max_step / r_min)⌋', () => {
    expect(hyperbandMaxBracket(1, 30, 3)).toBe(3);
    expect(hyperbandMaxBracket(1, 27, 3)).toBe(3);
    expect(hyperbandMaxBracket(1, 26, 3)).toBe(2);
  });

  it('assigns brackets deterministically, most often the most aggressive one, every bracket used', () => {
    const counts = [0, 0, 0, 0];
    for (let id = 1; id <= 2000; id++) counts[hyperbandBracket(id, 3, 3)]++;
    expect(hyperbandBracket(17, 3, 3)).toBe(hyperbandBracket(17, 3, 3));
    // Synchronous Hyperband with s_max = 3 runs 27, 12, 6, 4 configurations per bracket (49 in all).
    expect(counts[0] / 2000).toBeCloseTo(27 / 49, 1);
    expect(counts[3]).toBeGreaterThan(2000 * (4 / 49) * 0.6);
  });
});

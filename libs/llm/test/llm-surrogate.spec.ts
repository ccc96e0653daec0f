import { expectedImprovement, MIN_STD_FRACTION, summarisePredictions } from '../src/llm-surrogate';

describe('LLM surrogate', () => {
  it('summarises K shuffled-prompt predictions per candidate by their mean and sample spread, floored', () => {
    const [a, b] = summarisePredictions([[1, 5], [3, 5], [2, 5]], 10);
    expect(a.mean).toBeCloseTo(2, 12);
    expect(a.std).toBeCloseTo(1, 12); // sample standard deviation of 1, 3, 2
    expect(b).toEqual({ mean: 5, std: MIN_STD_FRACTION * 10 }); // agreeing samples: the floor
    expect(summarisePredictions([], 10)).toEqual([]);
  });

  it('expected improvement: σ/√(2π) at the incumbent, and it rewards the goal’s direction', () => {
    const atIncumbent = { mean: 0.3, std: 0.2 };
    for (const goal of ['MINIMIZE', 'MAXIMIZE'] as const) {
      expect(expectedImprovement(atIncumbent, 0.3, goal)).toBeCloseTo(0.2 / Math.sqrt(2 * Math.PI), 12);
    }
    // Closed form at z = 1: σ (Φ(1) + φ(1)).
    const z1 = 0.2 * (0.8413447460685429 + 0.24197072451914337);
    expect(expectedImprovement({ mean: 0.1, std: 0.2 }, 0.3, 'MINIMIZE')).toBeCloseTo(z1, 9);
    expect(expectedImprovement({ mean: 0.5, std: 0.2 }, 0.3, 'MAXIMIZE')).toBeCloseTo(z1, 9);
    expect(expectedImprovement({ mean: 0.5, std: 0.2 }, 0.3, 'MINIMIZE')).toBeLessThan(expectedImprovement({ mean: 0.1, std: 0.2 }, 0.3, 'MINIMIZE'));
  });
});

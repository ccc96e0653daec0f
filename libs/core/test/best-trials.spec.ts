import { bestTrials, dominates } from '../src/index';
import type { TrialView } from '../src/types';
import { baseConfig, succeeded } from './fixtures';

describe('bestTrials', () => {
  it('returns the best SUCCEEDED trial for one objective, the earliest on ties', () => {
    const trials: TrialView[] = [
      succeeded(1, { accuracy: 0.8 }),
      { id: 2, state: 'ACTIVE', parameters: {}, measurements: [{ step: 1, metrics: { accuracy: 0.99 }, elapsedSeconds: 1 }] },
      succeeded(3, { accuracy: 0.9 }),
      succeeded(4, { accuracy: 0.9 }),
      { id: 5, state: 'INFEASIBLE', parameters: {}, measurements: [] },
    ];
    expect(bestTrials({ config: baseConfig(), trials }).map((t) => t.id)).toEqual([3]);
    const minimise = baseConfig({ metrics: [{ name: 'accuracy', goal: 'MINIMIZE' }] });
    expect(bestTrials({ config: minimise, trials }).map((t) => t.id)).toEqual([1]);
    expect(bestTrials({ config: baseConfig(), trials: [] })).toEqual([]);
  });

  it('returns the Pareto set for several metrics (hand example)', () => {
    const config = baseConfig({ metrics: [{ name: 'accuracy', goal: 'MAXIMIZE' }, { name: 'latency', goal: 'MINIMIZE' }] });
    const trials = [
      succeeded(1, { accuracy: 0.9, latency: 50 }), // front: most accurate
      succeeded(2, { accuracy: 0.8, latency: 20 }), // front
      succeeded(3, { accuracy: 0.7, latency: 30 }), // dominated by 2
      succeeded(4, { accuracy: 0.6, latency: 10 }), // front: fastest
      succeeded(5, { accuracy: 0.9, latency: 60 }), // dominated by 1 (equal accuracy, slower)
      succeeded(6, { accuracy: 0.8, latency: 20 }), // ties 2: neither dominates, both kept
      succeeded(7, { accuracy: 0.99 }), // lacks latency: left out
    ];
    expect(bestTrials({ config, trials: [...trials].reverse() }).map((t) => t.id)).toEqual([1, 2, 4, 6]);
  });

  it('defines dominance as no worse everywhere and better somewhere', () => {
    expect(dominates([1, 1], [1, 0])).toBe(true);
    expect(dominates([1, 1], [1, 1])).toBe(false);
    expect(dominates([2, 0], [1, 1])).toBe(false);
  });
});

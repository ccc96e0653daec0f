import { Rng } from '@hpo/space';
import { bestTrials, optimalTrials } from '../src/index';
import { studyConfig } from '../src/study-config-defaults';
import type { AlgorithmName, TrialView } from '../src/types';

/** f = (x − 0.3)² + (y − 0.6)² on an 8 × 8 grid of [0, 1]², observed with N(0, noise²) noise. */
const f = (x: number, y: number): number => (x - 0.3) ** 2 + (y - 0.6) ** 2;

function gridStudy(noise: number, seed: number, algorithm: AlgorithmName = 'GP_BANDIT', points = 64) {
  const rng = new Rng(seed);
  const trials: TrialView[] = [];
  for (let i = 0; i < 8; i++) {
    for (let j = 0; j < 8; j++) {
      const x = (i + 0.5) / 8;
      const y = (j + 0.5) / 8;
      trials.push({
        id: trials.length + 1, state: 'SUCCEEDED', parameters: { x, y }, measurements: [],
        finalMeasurement: { step: 0, metrics: { value: f(x, y) + noise * rng.normal() }, elapsedSeconds: 0 },
      });
    }
  }
  const config = studyConfig({
    parameters: [{ name: 'x', type: 'DOUBLE', min: 0, max: 1, scale: 'LINEAR' }, { name: 'y', type: 'DOUBLE', min: 0, max: 1, scale: 'LINEAR' }],
    metrics: [{ name: 'value', goal: 'MINIMIZE' }],
    algorithm,
    seed: 1,
  });
  return { config, trials: trials.slice(0, points) };
}

const truth = (t: TrialView): number => f(t.parameters.x as number, t.parameters.y as number);

describe('optimalTrials (ListOptimalTrials)', () => {
  it('in a noisy GP study returns the trial with the best posterior mean, saying so, and it is truly better than the luckiest', () => {
    let differing = 0;
    for (const seed of [1, 2, 3, 4]) {
      const study = gridStudy(0.03, seed);
      const result = optimalTrials(study);
      const luckiest = bestTrials(study)[0];
      expect(result.trials).toHaveLength(1);
      expect(result.reason).toMatch(/^best posterior mean \(noisy study: the GP puts the observation noise at σ ≈ [0-9.]+\): trial \d+'s expected value/);
      // The noise is σ = 0.03; the GP's estimate is of that order.
      const sigma = Number(/σ ≈ ([0-9.e-]+)/.exec(result.reason!)![1]);
      expect(sigma).toBeGreaterThan(0.01);
      expect(sigma).toBeLessThan(0.06);
      expect(truth(result.trials[0])).toBeLessThanOrEqual(truth(luckiest));
      if (result.trials[0].id !== luckiest.id) {
        differing++;
        expect(result.reason).toContain(`the best observed value (trial ${luckiest.id},`);
      }
    }
    expect(differing).toBeGreaterThan(0);
  });

  it('in a deterministic study returns the best observed trial with no reason', () => {
    const study = gridStudy(0, 1);
    expect(optimalTrials(study)).toEqual({ trials: bestTrials(study) });
  });

  it('leaves non-GP algorithms, small studies and several metrics to bestTrials', () => {
    for (const study of [gridStudy(0.03, 1, 'RANDOM_SEARCH'), gridStudy(0.03, 1, 'GP_BANDIT', 7)]) {
      expect(optimalTrials(study)).toEqual({ trials: bestTrials(study) });
    }
    const twoMetrics = gridStudy(0.03, 1);
    const config = { ...twoMetrics.config, metrics: [{ name: 'value', goal: 'MINIMIZE' as const }, { name: 'other', goal: 'MAXIMIZE' as const }] };
    const trials = twoMetrics.trials.map((t) => ({ ...t, finalMeasurement: { ...t.finalMeasurement!, metrics: { ...t.finalMeasurement!.metrics, other: t.id % 5 } } }));
    expect(optimalTrials({ config, trials })).toEqual({ trials: bestTrials({ config, trials }) });
  });
});

import { Rng } from '@hpo/space';
import { fitGaussianProcess } from '../src/gaussian-process';
import {
  HYPERPARAMETER_PRIORS, hyperparameterBounds, hyperparameterPrior, logPrior, parseHyperparameterPrior, priorDraw, priorMode,
} from '../src/hyperparameters';

/** log p of θ with every entry at its prior mode except entry i, set to `value`. */
function logPriorAt(name: (typeof HYPERPARAMETER_PRIORS)[number], d: number, i: number, value: number): number {
  const prior = hyperparameterPrior(d, name);
  const theta = priorMode(prior);
  theta[i] = value;
  return logPrior(theta, prior);
}

describe('hyperparameter priors', () => {
  it.each(HYPERPARAMETER_PRIORS)('%s: the gradient matches finite differences and vanishes at the mode', (name) => {
    const d = 3;
    const prior = hyperparameterPrior(d, name);
    const theta = Float64Array.from([-1.2, 0.3, -2.5, 0.4, -3.1, 0.7]);
    const gradient = new Float64Array(theta.length);
    logPrior(theta, prior, gradient);
    for (let i = 0; i < theta.length; i++) {
      const h = 1e-6;
      const plus = Float64Array.from(theta);
      const minus = Float64Array.from(theta);
      plus[i] += h;
      minus[i] -= h;
      expect(gradient[i]).toBeCloseTo((logPrior(plus, prior) - logPrior(minus, prior)) / (2 * h), 5);
    }
    const atMode = new Float64Array(theta.length);
    logPrior(priorMode(prior), prior, atMode);
    for (const g of atMode) expect(Math.abs(g)).toBeLessThan(1e-9);
  });

  it("DIMENSION_SCALED's length-scale mode is e^(√2 − 3) √d ≈ 0.205 √d (its median is e^√2 √d)", () => {
    for (const d of [1, 4, 10, 50]) {
      expect(Math.exp(priorMode(hyperparameterPrior(d, 'DIMENSION_SCALED'))[0])).toBeCloseTo(Math.exp(Math.SQRT2 - 3) * Math.sqrt(d), 12);
    }
    expect(Math.exp(Math.SQRT2 - 3)).toBeCloseTo(0.2048, 4);
  });

  it('penalises ℓ = 0.07 against ℓ = 0.5 by ~0.8 nats (DIMENSION_SCALED, d = 10) and ~20 nats (OPTUNA)', () => {
    const gap = (name: (typeof HYPERPARAMETER_PRIORS)[number]) => logPriorAt(name, 10, 0, Math.log(0.5)) - logPriorAt(name, 10, 0, Math.log(0.07));
    // LogNormal: −log ℓ − (log ℓ − μ)²/6 with μ = √2 + ½ log 10.
    const mu = Math.SQRT2 + 0.5 * Math.log(10);
    const lp = (l: number) => -Math.log(l) - (Math.log(l) - mu) ** 2 / 6;
    expect(gap('DIMENSION_SCALED')).toBeCloseTo(lp(0.5) - lp(0.07), 12);
    expect(gap('DIMENSION_SCALED')).toBeGreaterThan(0.7);
    expect(gap('DIMENSION_SCALED')).toBeLessThan(0.9);
    // Optuna: −0.1 (ℓ² + 1/ℓ²).
    expect(gap('OPTUNA')).toBeCloseTo(0.1 * (0.07 ** 2 + 0.07 ** -2) - 0.1 * (0.25 + 4), 12);
    expect(gap('OPTUNA')).toBeGreaterThan(19);
  });

  it('moving the noise variance from its mode to 0.4 costs ~8 nats under LogNormal(−4, 1), under 0.5 with the weak noise prior', () => {
    const d = 2;
    const cost = (name: (typeof HYPERPARAMETER_PRIORS)[number]) =>
      logPriorAt(name, d, d + 1, priorMode(hyperparameterPrior(d, name))[d + 1]) - logPriorAt(name, d, d + 1, Math.log(0.4));
    expect(cost('DIMENSION_SCALED')).toBeCloseTo(0.5 * (Math.log(0.4) + 5) ** 2, 10);
    expect(cost('DIMENSION_SCALED')).toBeGreaterThan(8);
    expect(cost('DIMENSION_SCALED_WEAK_NOISE')).toBeLessThan(0.5);
  });

  it('bounds apply the prior\'s smallest length scale; draws are finite and reproducible', () => {
    expect(Math.exp(hyperparameterBounds(3, hyperparameterPrior(3, 'VIZIER').minLengthscale).lower[0])).toBeCloseTo(0.1, 12);
    expect(Math.exp(hyperparameterBounds(3).lower[0])).toBeCloseTo(0.005, 12);
    for (const name of HYPERPARAMETER_PRIORS) {
      const a = new Rng(5);
      const b = new Rng(5);
      const x = priorDraw(hyperparameterPrior(4, name), () => a.normal());
      expect(Array.from(x).every(Number.isFinite)).toBe(true);
      expect(priorDraw(hyperparameterPrior(4, name), () => b.normal())).toEqual(x);
    }
    expect(() => parseHyperparameterPrior('FLAT')).toThrow(/unknown hyperparameter prior 'FLAT' \(known: DIMENSION_SCALED/);
  });

  it('with the weak noise prior, 36 noisy points in 2-D are fitted as noise, not as short length scales', () => {
    // f = (x − 0.3)² + (y − 0.6)² on a 6 × 6 grid with N(0, 0.1²) noise: the spread of f is ~0.16, so the
    // standardised noise variance is ~0.4. LogNormal(−4, 1) keeps σ_n² at its mode e^−5 and interpolates.
    for (const seed of [1, 2]) {
      const rng = new Rng(seed);
      const x: number[] = [];
      const y: number[] = [];
      for (let i = 0; i < 6; i++) {
        for (let j = 0; j < 6; j++) {
          x.push((i + 0.5) / 6, (j + 0.5) / 6);
          y.push((x[x.length - 2] - 0.3) ** 2 + (x[x.length - 1] - 0.6) ** 2 + 0.1 * rng.normal());
        }
      }
      const fit = (prior: 'DIMENSION_SCALED' | 'DIMENSION_SCALED_WEAK_NOISE') =>
        fitGaussianProcess({ x: Float64Array.from(x), y, d: 2, prior, seed: 1 }).hyperparameters;
      const weak = fit('DIMENSION_SCALED_WEAK_NOISE');
      expect(Math.exp(weak.logNoiseVariance)).toBeGreaterThan(0.1);
      expect(Math.min(...weak.logLengthscales.map(Math.exp))).toBeGreaterThan(0.25);
      expect(Math.exp(fit('DIMENSION_SCALED').logNoiseVariance)).toBeLessThan(0.02);
    }
  });
});

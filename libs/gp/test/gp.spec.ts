import { Rng } from '@hpo/space';
import { fitGaussianProcess, GaussianProcess } from '../src/gaussian-process';
import { fitHyperparameters } from '../src/fit-hyperparameters';
import { packHyperparameters, unpackHyperparameters, type GpHyperparameters } from '../src/hyperparameters';
import { kernelDerivativeOfSquaredDistance, kernelOfSquaredDistance, type KernelName } from '../src/kernels';
import { minimizeLbfgsb } from '../src/lbfgsb';
import { logMarginalLikelihood } from '../src/marginal-likelihood';

const KERNELS: KernelName[] = ['MATERN52', 'SQUARED_EXPONENTIAL'];

function randomData(n: number, d: number, seed: number): { x: Float64Array; y: Float64Array } {
  const rng = new Rng(seed);
  const x = new Float64Array(n * d);
  for (let i = 0; i < x.length; i++) x[i] = rng.uniform();
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) y[i] = Math.sin(5 * x[i * d]) + (d > 1 ? x[i * d + 1] ** 2 : 0) + 0.05 * rng.normal();
  return { x, y };
}

describe('kernels', () => {
  it.each(KERNELS)('%s: dk/ds matches a central finite difference, k(0) = 1', (kernel) => {
    expect(kernelOfSquaredDistance(kernel, 0)).toBe(1);
    for (const s of [1e-4, 0.01, 0.3, 1, 4, 25]) {
      const h = 1e-6 * Math.max(s, 1e-3);
      const fd = (kernelOfSquaredDistance(kernel, s + h) - kernelOfSquaredDistance(kernel, s - h)) / (2 * h);
      expect(kernelDerivativeOfSquaredDistance(kernel, s)).toBeCloseTo(fd, 6);
    }
  });

  it('Matérn-5/2 matches its closed form at r = 1', () => {
    const r = 1;
    expect(kernelOfSquaredDistance('MATERN52', r * r)).toBeCloseTo((1 + Math.sqrt(5) + 5 / 3) * Math.exp(-Math.sqrt(5)), 14);
  });
});

describe('log marginal likelihood', () => {
  it.each(KERNELS)('%s: analytic gradient matches finite differences', (kernel) => {
    const d = 3;
    const n = 12;
    const { x, y } = randomData(n, d, 7);
    const theta = Float64Array.from([Math.log(0.4), Math.log(1.3), Math.log(0.7), Math.log(1.5), Math.log(0.05), 0.2]);
    const data = { x, y, n, d };
    const analytic = logMarginalLikelihood(kernel, data, theta, true).gradient!;
    for (let j = 0; j < theta.length; j++) {
      const h = 1e-5;
      const plus = Float64Array.from(theta);
      const minus = Float64Array.from(theta);
      plus[j] += h;
      minus[j] -= h;
      const fd = (logMarginalLikelihood(kernel, data, plus, false).value - logMarginalLikelihood(kernel, data, minus, false).value) / (2 * h);
      expect(analytic[j]).toBeCloseTo(fd, 5);
    }
  });

  it('equals the closed form for one observation', () => {
    // n = 1: log N(y | m, σ_f² + σ_n²).
    const theta = Float64Array.from([0, Math.log(2), Math.log(0.5), 0.3]);
    const value = logMarginalLikelihood('MATERN52', { x: Float64Array.of(0.2), y: Float64Array.of(1.1), n: 1, d: 1 }, theta, false).value;
    const v = 2.5;
    expect(value).toBeCloseTo(-0.5 * (1.1 - 0.3) ** 2 / v - 0.5 * Math.log(2 * Math.PI * v), 12);
  });
});

describe('posterior', () => {
  const hyper: GpHyperparameters = {
    kernel: 'SQUARED_EXPONENTIAL', logLengthscales: [0], logSignalVariance: 0, logNoiseVariance: Math.log(0.01), mean: 0,
  };

  it('matches the hand-computed two-point posterior', () => {
    // x = (0, 1), y = (1, −1), k(x, x') = exp(−(x − x')²/2), σ_n² = 0.01. K_θ = [[a, b], [b, a]].
    const gp = GaussianProcess.withHyperparameters(hyper, Float64Array.of(0, 1), Float64Array.of(1, -1), { offset: 0, scale: 1 });
    const a = 1.01;
    const b = Math.exp(-0.5);
    const det = a * a - b * b;
    for (const q of [0, 0.25, 2]) {
      const k1 = Math.exp(-0.5 * q * q);
      const k2 = Math.exp(-0.5 * (q - 1) ** 2);
      // K⁻¹ = [[a, −b], [−b, a]] / det.
      const w1 = (a * 1 - b * -1) / det;
      const w2 = (-b * 1 + a * -1) / det;
      const mean = k1 * w1 + k2 * w2;
      const variance = 1 - (a * k1 * k1 - 2 * b * k1 * k2 + a * k2 * k2) / det;
      const p = gp.predict(Float64Array.of(q), 1);
      expect(p.mean[0]).toBeCloseTo(mean, 12);
      expect(p.variance[0]).toBeCloseTo(variance, 12);
    }
    // By hand at q = 0: det = 1.0201 − e^{−1} = 0.652221, w1 = −w2 = (1.01 + 0.606531)/det = 2.478502,
    // μ = w1 (1 − e^{−1/2}) = 0.975215.
    expect(gp.predict(Float64Array.of(0), 1).mean[0]).toBeCloseTo(0.975215, 5);
  });

  it.each(KERNELS)('%s: mean and variance gradients match finite differences', (kernel) => {
    const d = 3;
    const { x, y } = randomData(15, d, 3);
    const h: GpHyperparameters = { kernel, logLengthscales: [Math.log(0.3), Math.log(0.8), Math.log(2)], logSignalVariance: 0.2, logNoiseVariance: Math.log(1e-3), mean: 0.1 };
    const gp = GaussianProcess.withHyperparameters(h, x, y, { offset: 0, scale: 1 });
    const q = Float64Array.of(0.31, 0.62, 0.47);
    const g = gp.predictWithGradient(q);
    const p = gp.predict(q, 1);
    expect(g.mean).toBeCloseTo(p.mean[0], 12);
    expect(g.variance).toBeCloseTo(p.variance[0], 12);
    for (let c = 0; c < d; c++) {
      const e = 1e-6;
      const plus = Float64Array.from(q);
      const minus = Float64Array.from(q);
      plus[c] += e;
      minus[c] -= e;
      const pp = gp.predict(plus, 1);
      const pm = gp.predict(minus, 1);
      expect(g.meanGradient[c]).toBeCloseTo((pp.mean[0] - pm.mean[0]) / (2 * e), 5);
      expect(g.varianceGradient[c]).toBeCloseTo((pp.variance[0] - pm.variance[0]) / (2 * e), 5);
    }
  });

  it('the cheap variance bound is above the exact variance and the mean agrees with predict', () => {
    const { x, y } = randomData(30, 2, 8);
    const h: GpHyperparameters = { kernel: 'MATERN52', logLengthscales: [Math.log(0.2), Math.log(0.4)], logSignalVariance: 0.3, logNoiseVariance: Math.log(1e-3), mean: 0 };
    const gp = GaussianProcess.withHyperparameters(h, x, y, { offset: 0, scale: 1 });
    const q = randomData(200, 2, 9).x;
    const exact = gp.predict(q, 200);
    const cheap = gp.predictMeanAndVarianceBound(q, 200);
    for (let i = 0; i < 200; i++) {
      expect(cheap.mean[i]).toBeCloseTo(exact.mean[i], 12);
      expect(cheap.varianceBound[i]).toBeGreaterThanOrEqual(exact.variance[i] - 1e-12);
    }
  });

  it.each<GpHyperparameters['kernel']>(['MATERN52', 'SQUARED_EXPONENTIAL'])('%s: the bound pass keeps cross-covariances that give predict\'s exact mean and variance, bit for bit', (kernel) => {
    const { x, y } = randomData(40, 3, 4);
    const h: GpHyperparameters = { kernel, logLengthscales: [Math.log(0.2), Math.log(0.5), Math.log(1.5)], logSignalVariance: 0.3, logNoiseVariance: Math.log(1e-3), mean: 0.1 };
    const gp = GaussianProcess.withHyperparameters(h, x, y, { offset: 0, scale: 1 });
    const m = 50;
    const q = randomData(m, 3, 11).x;
    const exact = gp.predict(q, m);
    const cross = new Float64Array(m * gp.n);
    const cheap = gp.predictMeanAndVarianceBound(q, m, cross);
    for (let i = 0; i < m; i++) {
      expect(cheap.mean[i]).toBe(exact.mean[i]);
      expect(gp.varianceFromCrossCovariance(cross, i * gp.n)).toBe(exact.variance[i]);
    }
    // Without the buffer the mean and bound are the same.
    expect(Array.from(gp.predictMeanAndVarianceBound(q, m).varianceBound)).toEqual(Array.from(cheap.varianceBound));
  });

  it('a fantasy observation equals refitting with the point appended', () => {
    const { x, y } = randomData(10, 2, 5);
    const h: GpHyperparameters = { kernel: 'MATERN52', logLengthscales: [Math.log(0.3), Math.log(0.5)], logSignalVariance: 0, logNoiseVariance: Math.log(1e-4), mean: 0 };
    const gp = GaussianProcess.withHyperparameters(h, x, y, { offset: 0, scale: 1 });
    const q = Float64Array.of(0.4, 0.6);
    const fantasised = gp.withObservation(q, 0.7);
    const x2 = new Float64Array(22);
    x2.set(x);
    x2.set(q, 20);
    const y2 = Float64Array.from([...y, 0.7]);
    const direct = GaussianProcess.withHyperparameters(h, x2, y2, { offset: 0, scale: 1 });
    const probe = Float64Array.of(0.41, 0.58, 0.9, 0.1);
    const a = fantasised.predict(probe, 2);
    const b = direct.predict(probe, 2);
    for (let i = 0; i < 2; i++) {
      expect(a.mean[i]).toBeCloseTo(b.mean[i], 9);
      expect(a.variance[i]).toBeCloseTo(b.variance[i], 9);
    }
    expect(a.variance[0]).toBeLessThan(gp.predict(probe, 2).variance[0]);
  });
});

describe('projected L-BFGS', () => {
  it('finds the constrained minimum of a quadratic with an active bound', () => {
    // min (x−2)² + 10 (y+1)² on [0,1]×[−3,3]: x* = 1 (bound), y* = −1.
    const r = minimizeLbfgsb({
      lower: [0, -3], upper: [1, 3],
      evaluate: (x, g) => { g[0] = 2 * (x[0] - 2); g[1] = 20 * (x[1] + 1); return (x[0] - 2) ** 2 + 10 * (x[1] + 1) ** 2; },
    }, [0.2, 2.5]);
    expect(r.x[0]).toBeCloseTo(1, 8);
    expect(r.x[1]).toBeCloseTo(-1, 5);
  });

  it('minimises the Rosenbrock function inside a box', () => {
    const r = minimizeLbfgsb({
      lower: [-2, -2], upper: [2, 2],
      evaluate: (x, g) => {
        g[0] = -2 * (1 - x[0]) - 400 * x[0] * (x[1] - x[0] ** 2);
        g[1] = 200 * (x[1] - x[0] ** 2);
        return (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2;
      },
    }, [-1.2, 1], { maxIterations: 200, relativeTolerance: 0, gradientTolerance: 1e-8 });
    expect(r.x[0]).toBeCloseTo(1, 4);
    expect(r.x[1]).toBeCloseTo(1, 4);
  });
});

describe('fitting', () => {
  it('recovers a short length scale in the relevant dimension and a long one in the irrelevant one', () => {
    const n = 40;
    const rng = new Rng(11);
    const x = new Float64Array(n * 2);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      x[2 * i] = rng.uniform();
      x[2 * i + 1] = rng.uniform();
      y[i] = Math.sin(8 * x[2 * i]);
    }
    const gp = fitGaussianProcess({ x, y, d: 2, seed: 1 });
    const [l0, l1] = gp.hyperparameters.logLengthscales.map(Math.exp);
    expect(l0).toBeLessThan(0.5);
    expect(l1).toBeGreaterThan(3 * l0);
    const p = gp.predict(Float64Array.of(0.5, 0.5), 1);
    expect(gp.transform.offset + gp.transform.scale * p.mean[0]).toBeCloseTo(Math.sin(4), 1);
  });

  it('is reproducible with a seed and improves on (or keeps) a warm start', () => {
    const { x, y } = randomData(25, 3, 9);
    const data = { x, y, n: 25, d: 3 };
    const a = fitHyperparameters(data, { seed: 4 });
    const b = fitHyperparameters(data, { seed: 4 });
    expect(packHyperparameters(a.hyperparameters)).toEqual(packHyperparameters(b.hyperparameters));
    const warm = fitHyperparameters(data, { warmStart: a.hyperparameters, restarts: 0, maxIterations: 10 });
    expect(warm.logPosterior).toBeGreaterThanOrEqual(a.logPosterior - 1e-9);
    expect(unpackHyperparameters('MATERN52', packHyperparameters(a.hyperparameters))).toEqual(a.hyperparameters);
  });

  it.each([
    ['duplicated points', () => ({ x: Float64Array.of(0.5, 0.5, 0.5, 0.2), y: [1, 1.2, 0.9, 3] })],
    ['a constant objective', () => ({ x: Float64Array.of(0.1, 0.4, 0.9), y: [2, 2, 2] })],
    ['one observation', () => ({ x: Float64Array.of(0.3), y: [5] })],
    ['a huge scale', () => ({ x: Float64Array.of(0.1, 0.4, 0.9, 0.6), y: [1e12, 3e12, -2e12, 5e11] })],
    ['a tiny scale', () => ({ x: Float64Array.of(0.1, 0.4, 0.9, 0.6), y: [1e-12, 3e-12, -2e-12, 5e-13] })],
    ['tiny variation on a large offset', () => ({ x: Float64Array.of(0.1, 0.4, 0.9, 0.6), y: [1e6, 1e6 + 1e-6, 1e6 - 1e-6, 1e6] })],
  ])('works with %s: finite predictions, positive variance', (_, make) => {
    const { x, y } = make();
    const gp = fitGaussianProcess({ x, y, d: 1, seed: 2 });
    const p = gp.predict(Float64Array.of(0, 0.3, 0.5, 1), 4);
    for (let i = 0; i < 4; i++) {
      expect(Number.isFinite(p.mean[i])).toBe(true);
      expect(p.variance[i]).toBeGreaterThan(0);
    }
    const g = gp.predictWithGradient([0.35]);
    expect(Number.isFinite(g.meanGradient[0]) && Number.isFinite(g.varianceGradient[0])).toBe(true);
    // The posterior mean at an observed point is near its (standardised) value for distinct points.
    if (y.length === 1) expect(gp.transform.offset + gp.transform.scale * p.mean[1]).toBeCloseTo(5, 6);
  });

  it('rejects non-finite data with a message naming the entry', () => {
    expect(() => fitGaussianProcess({ x: Float64Array.of(0.1, 0.2), y: [1, Number.NaN], d: 1 })).toThrow(/y\[1\] is not finite/);
  });
});

import { GaussianProcess, fitGaussianProcess } from '@hpo/gp';
import type { GpHyperparameters } from '@hpo/gp';
import { Rng } from '@hpo/space';
import {
  evaluateAcquisition, expectedImprovement, logExpectedImprovement, logProbabilityOfImprovement, ucbBeta, upperConfidenceBound,
  type AcquisitionKind, type AcquisitionSpec,
} from '../src/acquisition-functions';
import { optimizeAcquisition } from '../src/optimize-acquisition';
import { acquisitionSpec, selectBatch } from '../src/select-batch';

describe('acquisition functions', () => {
  it('EI equals its closed form σ(φ(z) + zΦ(z)) and log-EI its log', () => {
    // μ = 1, σ = 2, best = 0.5: z = 0.25, φ(z) = 0.38666811680284924, Φ(z) = 0.5987063256829237.
    const ei = expectedImprovement(1, 2, 0.5).value;
    expect(ei).toBeCloseTo(2 * (0.38666811680284924 + 0.25 * 0.5987063256829237), 14);
    expect(logExpectedImprovement(1, 2, 0.5).value).toBeCloseTo(Math.log(ei), 13);
  });

  it('log-EI stays finite and correct far in the tail, where EI underflows to 0', () => {
    // z = −40 with σ = 0.1: log EI = log σ + log h(−40), h(z) ≈ φ(z)/z² (1 − 3/z² + 15/z⁴ − 105/z⁶).
    const z = -40;
    const expected = Math.log(0.1) - 0.5 * z * z - 0.5 * Math.log(2 * Math.PI) - 2 * Math.log(40) + Math.log(1 - 3 / 1600 + 15 / 1600 ** 2 - 105 / 1600 ** 3);
    expect(expectedImprovement(0, 0.1, 4).value).toBe(0);
    expect(logExpectedImprovement(0, 0.1, 4).value).toBeCloseTo(expected, 9);
    // The slope is still informative: raising μ raises log-EI.
    expect(logExpectedImprovement(0, 0.1, 4).dMean).toBeGreaterThan(0);
  });

  it('UCB and PI match their closed forms; β follows Srinivas et al. scaled by 0.2', () => {
    expect(upperConfidenceBound(1, 2, 4).value).toBe(5);
    expect(Math.exp(logProbabilityOfImprovement(1, 2, 0.5).value)).toBeCloseTo(0.5987063256829237, 14);
    expect(ucbBeta(10, 100)).toBeCloseTo(0.4 * Math.log((10 * 1e4 * Math.PI ** 2) / 0.6), 12);
    expect(ucbBeta(2, 50)).toBeGreaterThan(ucbBeta(2, 10));
  });

  it.each<[AcquisitionKind, number, number]>([
    ['LOG_EI', 0.3, 0.8], ['LOG_EI', -3, 0.1], ['LOG_EI', -30, 0.05], ['EI', 0.3, 0.8], ['EI', -1, 0.5],
    ['UCB', 0.3, 0.8], ['PI', 0.3, 0.8], ['PI', -20, 0.3],
  ])('%s: derivatives in μ and σ match finite differences (μ=%p, σ=%p)', (kind, mean, std) => {
    const spec: AcquisitionSpec = { kind, best: 0.5, beta: 2.5 };
    const at = (m: number, s: number) => evaluateAcquisition(spec, m, s * s).value;
    const a = evaluateAcquisition(spec, mean, std * std);
    const h = 1e-6;
    const scale = Math.max(1, Math.abs(a.dMean));
    expect(a.dMean / scale).toBeCloseTo((at(mean + h, std) - at(mean - h, std)) / (2 * h) / scale, 5);
    expect(a.dStd / scale).toBeCloseTo((at(mean, std + h) - at(mean, std - h)) / (2 * h) / scale, 5);
  });
});

function trainingSet(seed: number, n: number, d: number, f: (x: Float64Array) => number): { x: Float64Array; y: number[] } {
  const rng = new Rng(seed);
  const x = new Float64Array(n * d);
  for (let i = 0; i < x.length; i++) x[i] = rng.uniform();
  const y = Array.from({ length: n }, (_, i) => f(x.subarray(i * d, i * d + d)));
  return { x, y };
}

describe('acquisition gradient in x', () => {
  it.each<AcquisitionKind>(['LOG_EI', 'EI', 'UCB', 'PI'])('%s: chain rule through the GP matches finite differences', (kind) => {
    const d = 3;
    const { x, y } = trainingSet(1, 12, d, (p) => Math.sin(4 * p[0]) + p[1] * p[2]);
    const h: GpHyperparameters = { kernel: 'MATERN52', logLengthscales: [Math.log(0.4), Math.log(0.7), Math.log(1.2)], logSignalVariance: 0, logNoiseVariance: Math.log(1e-4), mean: 0 };
    const gp = GaussianProcess.withHyperparameters(h, x, Float64Array.from(y), { offset: 0, scale: 1 });
    const spec = { ...acquisitionSpec(gp, kind, gp.n) };
    const value = (q: Float64Array) => { const p = gp.predict(q, 1); return evaluateAcquisition(spec, p.mean[0], p.variance[0]).value; };
    const q = Float64Array.of(0.21, 0.77, 0.45);
    const p = gp.predictWithGradient(q);
    const a = evaluateAcquisition(spec, p.mean, p.variance);
    for (let c = 0; c < d; c++) {
      const analytic = a.dMean * p.meanGradient[c] + (a.dStd * p.varianceGradient[c]) / (2 * Math.sqrt(p.variance));
      const e = 1e-6;
      const plus = Float64Array.from(q);
      const minus = Float64Array.from(q);
      plus[c] += e;
      minus[c] -= e;
      expect(analytic).toBeCloseTo((value(plus) - value(minus)) / (2 * e), 5);
    }
  });
});

describe('optimizeAcquisition', () => {
  const f = (p: Float64Array) => -((p[0] - 0.3) ** 2) - 0.5 * (p[1] - 0.7) ** 2;
  const { x, y } = trainingSet(3, 15, 2, f);
  const gp = fitGaussianProcess({ x, y, d: 2, seed: 1 });

  it('finds a value at least as good as a dense grid search', () => {
    const spec = acquisitionSpec(gp, 'LOG_EI', gp.n);
    const best = optimizeAcquisition({ gp, spec, rng: new Rng(5) })[0];
    let gridBest = Number.NEGATIVE_INFINITY;
    const m = 201;
    const grid = new Float64Array(m * m * 2);
    for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) { grid[(i * m + j) * 2] = i / (m - 1); grid[(i * m + j) * 2 + 1] = j / (m - 1); }
    const p = gp.predict(grid, m * m);
    for (let k = 0; k < m * m; k++) gridBest = Math.max(gridBest, evaluateAcquisition(spec, p.mean[k], p.variance[k]).value);
    expect(best.value).toBeGreaterThanOrEqual(gridBest - 1e-6);
  });

  it('returns projected points, and is reproducible with the same seed', () => {
    const spec = acquisitionSpec(gp, 'UCB', gp.n);
    const project = (q: Float64Array) => q.map((v) => Math.round(v * 10) / 10);
    const a = optimizeAcquisition({ gp, spec, rng: new Rng(9), project });
    const b = optimizeAcquisition({ gp, spec, rng: new Rng(9), project });
    expect(a.map((c) => Array.from(c.x))).toEqual(b.map((c) => Array.from(c.x)));
    for (const c of a) for (const v of c.x) expect(Math.abs(v * 10 - Math.round(v * 10))).toBeLessThan(1e-9);
  });

  it('ranks external candidates with its own: a good one wins, a bad one does not', () => {
    const spec = acquisitionSpec(gp, 'LOG_EI', gp.n);
    const own = optimizeAcquisition({ gp, spec, rng: new Rng(2) })[0];
    const good = optimizeAcquisition({ gp, spec, rng: new Rng(2), poolSize: 4, localSize: 0, refineStarts: 0, external: [own.x] });
    expect(good[0].source).toBe('external');
    const bad = optimizeAcquisition({ gp, spec, rng: new Rng(2), external: [Float64Array.of(1, 0)] });
    expect(bad[0].source).not.toBe('external');
  });

  it('refines from an external candidate: a proposal near a local maximum is carried up to it', () => {
    const spec = acquisitionSpec(gp, 'LOG_EI', gp.n);
    const own = optimizeAcquisition({ gp, spec, rng: new Rng(2) })[0];
    const near = Float64Array.from(own.x, (v) => Math.min(1, Math.max(0, v + 0.04)));
    // A crippled own search (4 pool points, no refinement), so only the external start can reach the maximum.
    const ranked = optimizeAcquisition({ gp, spec, rng: new Rng(2), poolSize: 4, localSize: 0, refineStarts: 0, external: [near] });
    const raw = ranked.find((c) => c.source === 'external')!;
    expect(ranked[0].source).toBe('external-refined');
    expect(ranked[0].externalIndex).toBe(0);
    expect(ranked[0].value).toBeGreaterThan(raw.value);
    expect(ranked[0].value).toBeGreaterThanOrEqual(own.value - 1e-6);
    const distance = (a: Float64Array, b: Float64Array) => Math.hypot(...Array.from(a, (v, i) => v - b[i]));
    expect(distance(ranked[0].x, own.x)).toBeLessThan(distance(near, own.x));
    // refineExternal: false scores the proposal as given (the pre-refinement behaviour).
    const unrefined = optimizeAcquisition({ gp, spec, rng: new Rng(2), poolSize: 4, localSize: 0, refineStarts: 0, external: [near], refineExternal: false });
    expect(unrefined.some((c) => c.source === 'external-refined')).toBe(false);
  });

  it('without external candidates the result is the same whether or not externals would be refined', () => {
    const spec = acquisitionSpec(gp, 'LOG_EI', gp.n);
    const a = optimizeAcquisition({ gp, spec, rng: new Rng(5) });
    const b = optimizeAcquisition({ gp, spec, rng: new Rng(5), refineExternal: false });
    expect(a.map((c) => [Array.from(c.x), c.value])).toEqual(b.map((c) => [Array.from(c.x), c.value]));
  });
});

describe('selectBatch', () => {
  const f = (p: Float64Array) => Math.sin(6 * p[0]) * Math.cos(4 * p[1]);
  const { x, y } = trainingSet(4, 20, 2, f);
  const gp = fitGaussianProcess({ x, y, d: 2, seed: 3 });
  const distance = (a: Float64Array, b: Float64Array) => Math.hypot(a[0] - b[0], a[1] - b[1]);

  it.each(['KRIGING_BELIEVER', 'CONSTANT_LIAR'] as const)('%s: a batch of 4 is diverse', (strategy) => {
    const batch = selectBatch({ gp, kind: 'LOG_EI', count: 4, rng: new Rng(1), strategy });
    expect(batch).toHaveLength(4);
    for (let i = 0; i < 4; i++) for (let j = 0; j < i; j++) expect(distance(batch[i].x, batch[j].x)).toBeGreaterThan(0.02);
  });

  it('moves away from a pending point at the unconditioned optimum', () => {
    const alone = selectBatch({ gp, kind: 'LOG_EI', count: 1, rng: new Rng(1) })[0];
    const withPending = selectBatch({ gp, kind: 'LOG_EI', count: 1, rng: new Rng(1), pending: [alone.x] })[0];
    expect(distance(alone.x, withPending.x)).toBeGreaterThan(0.02);
  });

  it('skips candidates the caller rejects', () => {
    const first = selectBatch({ gp, kind: 'EI', count: 1, rng: new Rng(1) })[0];
    const next = selectBatch({ gp, kind: 'EI', count: 1, rng: new Rng(1), accept: (c) => distance(c.x, first.x) > 0 })[0];
    expect(distance(next.x, first.x)).toBeGreaterThan(0);
  });

  it('keeps minSeparation from every held point and from its own earlier choices', () => {
    // A wide separation makes the rule visible: the fantasised GP alone picks within 0.1 of the pending
    // optimum here, the rule must not.
    const alone = selectBatch({ gp, kind: 'LOG_EI', count: 1, rng: new Rng(1) })[0];
    const pending = [alone.x];
    const unguarded = selectBatch({ gp, kind: 'LOG_EI', count: 3, rng: new Rng(1), pending, minSeparation: 0 });
    expect(Math.min(...unguarded.map((c) => distance(c.x, alone.x)))).toBeLessThan(0.3);
    const guarded = selectBatch({ gp, kind: 'LOG_EI', count: 3, rng: new Rng(1), pending, minSeparation: 0.3 });
    const held = [...pending];
    for (const c of guarded) {
      for (const h of held) expect(distance(c.x, h)).toBeGreaterThanOrEqual(0.3);
      held.push(c.x);
    }
  });
});

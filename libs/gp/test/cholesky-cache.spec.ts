import { Rng } from '@hpo/space';
import { CholeskyCache } from '../src/cholesky-cache';
import { GaussianProcess } from '../src/gaussian-process';
import type { GpHyperparameters } from '../src/hyperparameters';

const h: GpHyperparameters = { kernel: 'MATERN52', logLengthscales: [Math.log(0.3), Math.log(0.5), Math.log(0.2)], logSignalVariance: 0.2, logNoiseVariance: Math.log(1e-4), mean: 0.1 };

function points(n: number, d: number, seed: number): Float64Array {
  const rng = new Rng(seed);
  return Float64Array.from({ length: n * d }, () => rng.uniform());
}

describe('CholeskyCache', () => {
  it('extends a cached factor by appended rows to the full factorisation, and predicts the same', () => {
    const d = 3;
    const x = points(60, d, 1);
    const y = Float64Array.from({ length: 60 }, (_, i) => Math.sin(7 * x[i * d]) + x[i * d + 1]);
    const transform = { offset: 0, scale: 1 };
    const cache = new CholeskyCache();
    GaussianProcess.withHyperparameters(h, x.subarray(0, 50 * d), y.subarray(0, 50), transform, cache);
    expect([cache.hits, cache.misses]).toEqual([0, 1]);
    for (const n of [51, 52, 55, 60]) {
      const cached = GaussianProcess.withHyperparameters(h, x.subarray(0, n * d), y.subarray(0, n), transform, cache);
      const full = GaussianProcess.withHyperparameters(h, x.subarray(0, n * d), y.subarray(0, n), transform);
      let gap = 0;
      for (let i = 0; i < n * n; i++) gap = Math.max(gap, Math.abs(cached.factor.lower[i] - full.factor.lower[i]));
      expect(gap).toBeLessThan(1e-10);
      const q = points(5, d, n);
      const a = cached.predict(q, 5);
      const b = full.predict(q, 5);
      for (let i = 0; i < 5; i++) {
        expect(a.mean[i]).toBeCloseTo(b.mean[i], 9);
        expect(a.variance[i]).toBeCloseTo(b.variance[i], 9);
      }
    }
    expect([cache.hits, cache.misses]).toEqual([4, 1]);
  });

  it('misses on other hyperparameters, other points or too many new rows, and on a near-duplicate new point', () => {
    const d = 3;
    const x = points(45, d, 2);
    const cache = new CholeskyCache();
    const factor = (hh: GpHyperparameters, xx: Float64Array) => cache.factor(hh, xx, xx.length / d, d);
    factor(h, x.subarray(0, 30 * d));
    factor({ ...h, logNoiseVariance: Math.log(2e-4) }, x.subarray(0, 31 * d));
    const moved = Float64Array.from(x.subarray(0, 31 * d));
    moved[0] += 1e-9;
    factor(h, moved);
    factor(h, x); // 15 new rows on 30: more than a quarter of 45
    expect([cache.hits, cache.misses]).toEqual([0, 4]);
    // Row 41 copies row 0 exactly: with σ_n² = 1e-10 its pivot is ~1e-10 of the diagonal, so the cache
    // refactors from scratch (where the jitter escalation, not the append, decides).
    const tiny = { ...h, logNoiseVariance: Math.log(1e-10) };
    factor(tiny, x.subarray(0, 40 * d));
    const duplicated = new Float64Array(41 * d);
    duplicated.set(x.subarray(0, 40 * d));
    duplicated.set(x.subarray(0, d), 40 * d);
    const f = factor(tiny, duplicated);
    expect([cache.hits, cache.misses]).toEqual([0, 6]);
    expect(f.n).toBe(41);
    expect(Number.isFinite(f.lower[41 * 41 - 1])).toBe(true);
  });

  it('holds at most its entry and size limits', () => {
    const d = 3;
    const cache = new CholeskyCache(2, 1e9);
    for (let s = 0; s < 4; s++) cache.factor(h, points(10, d, 10 + s), 10, d);
    cache.factor(h, points(10, d, 10), 10, d); // evicted: a miss
    expect(cache.misses).toBe(5);
    const small = new CholeskyCache(8, 150);
    small.factor(h, points(10, d, 1), 10, d); // 100 + 30 floats
    small.factor(h, points(10, d, 2), 10, d); // over 150 in all: the older one goes
    small.factor(h, points(10, d, 1), 10, d);
    expect(small.misses).toBe(3);
  });
});

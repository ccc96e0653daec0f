import {
  choleskyAppend, choleskyInverse, choleskyLogDet, choleskySolve, choleskyWithJitter, independentCholeskyFactor, solveLower,
  type CholeskyFactor,
} from '@hpo/numeric';

function factorOf(a: number[], n: number): CholeskyFactor {
  const f = choleskyWithJitter(Float64Array.from(a), n);
  if (!f) throw new Error('expected a factor');
  return f;
}

describe('Cholesky with jitter', () => {
  it('factors a known matrix exactly: [[4, 2], [2, 3]] = L Lᵀ with L = [[2, 0], [1, √2]]', () => {
    const f = factorOf([4, 2, 2, 3], 2);
    expect(f.jitter).toBe(0);
    [2, 0, 1, Math.SQRT2].forEach((v, i) => expect(f.lower[i]).toBeCloseTo(v, 15));
    expect(choleskyLogDet(f)).toBeCloseTo(Math.log(8), 14);
    // A x = b with x = (1, −1): b = (2, −1).
    const x = choleskySolve(f, [2, -1]);
    expect(x[0]).toBeCloseTo(1, 14);
    expect(x[1]).toBeCloseTo(-1, 14);
    expect(Array.from(solveLower(f, [2, 1]))).toEqual([1, 0]);
    const inv = choleskyInverse(f);
    [3 / 8, -2 / 8, -2 / 8, 4 / 8].forEach((v, i) => expect(inv[i]).toBeCloseTo(v, 14));
  });

  it('factors a singular matrix (duplicated rows) by adding the smallest jitter that works', () => {
    const f = factorOf([1, 1, 1, 1], 2);
    expect(f.jitter).toBeGreaterThan(0);
    expect(f.jitter).toBeLessThanOrEqual(1e-8);
    expect(Number.isFinite(f.lower[3])).toBe(true);
  });

  it('returns null, never throws, when no jitter up to maxRelativeJitter helps; the caller picks the fallback', () => {
    expect(choleskyWithJitter(Float64Array.of(Number.NaN, 0, 0, 1), 2)).toBeNull();
    // Indefinite: eigenvalues 3 and −1; a jitter of 1e-4 of the mean diagonal is not enough, 1 × is.
    const indefinite = Float64Array.of(1, 2, 2, 1);
    expect(choleskyWithJitter(indefinite, 2, { maxRelativeJitter: 1e-4 })).toBeNull();
    expect(choleskyWithJitter(Float64Array.of(1, 1, 1, 1), 2, { maxRelativeJitter: 0 })).toBeNull();
    const fallback = independentCholeskyFactor(Float64Array.of(Number.NaN, 0, 0, 4), 2);
    // A non-finite diagonal entry takes the mean diagonal (1 when that is not finite either).
    expect(Array.from(fallback.lower)).toEqual([1, 0, 0, 2]);
    expect(Number.isNaN(fallback.jitter)).toBe(true);
  });

  it('append extends L Lᵀ', () => {
    const f = choleskyAppend(factorOf([4, 2, 2, 3], 2), [1, 0.5], 2);
    const L = f.lower;
    const full = [4, 2, 1, 2, 3, 0.5, 1, 0.5, 2];
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) {
      let s = 0;
      for (let k = 0; k < 3; k++) s += L[i * 3 + k] * L[j * 3 + k];
      expect(s).toBeCloseTo(full[i * 3 + j], 12);
    }
  });

  it('agrees with a direct solve on a random SPD matrix larger than one row block', () => {
    const n = 40;
    let seed = 7;
    const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) - 0.5;
    const g = Array.from({ length: n * n }, rand);
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      let s = i === j ? n : 0;
      for (let k = 0; k < n; k++) s += g[i * n + k] * g[j * n + k];
      a[i * n + j] = s;
    }
    const f = factorOf(Array.from(a), n);
    const b = Array.from({ length: n }, rand);
    const x = choleskySolve(f, b);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += a[i * n + j] * x[j];
      expect(s).toBeCloseTo(b[i], 10);
    }
  });
});

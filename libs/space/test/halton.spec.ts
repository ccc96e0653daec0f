import { firstPrimes, haltonSequence, scrambledHalton } from '../src/halton';
import { Rng } from '../src/rng';

/** Exact star discrepancy of a 2-D point set: the sup over anchored boxes [0,u)x[0,v) of
 *  |fraction of points inside - u v|, attained at corners built from point coordinates (open and
 *  closed boxes both checked) and 1. O(n^3), fine for n = 256. */
function starDiscrepancy2d(points: ArrayLike<number>[]): number {
  const n = points.length;
  const us = [...new Set([...points.map((p) => p[0]), 1])];
  const vs = [...new Set([...points.map((p) => p[1]), 1])];
  let worst = 0;
  for (const u of us) {
    for (const v of vs) {
      let open = 0;
      let closed = 0;
      for (const p of points) {
        if (p[0] < u && p[1] < v) open++;
        if (p[0] <= u && p[1] <= v) closed++;
      }
      worst = Math.max(worst, u * v - open / n, closed / n - u * v);
    }
  }
  return worst;
}

describe('Halton sequence', () => {
  it('has the known first values when unscrambled (radical inverses in bases 2, 3, 5)', () => {
    const points = scrambledHalton(3, 0, 6);
    const expected = [
      [0, 0, 0],
      [1 / 2, 1 / 3, 1 / 5],
      [1 / 4, 2 / 3, 2 / 5],
      [3 / 4, 1 / 9, 3 / 5],
      [1 / 8, 4 / 9, 4 / 5],
      [5 / 8, 7 / 9, 1 / 25],
    ];
    points.forEach((p, i) => expected[i].forEach((v, d) => expect(p[d]).toBeCloseTo(v, 14)));
  });

  it('uses the first primes as bases', () => {
    expect(firstPrimes(10)).toEqual([2, 3, 5, 7, 11, 13, 17, 19, 23, 29]);
  });

  it('is reproducible with a seed, different across seeds, and continues from any index', () => {
    const a = scrambledHalton(5, 0, 20, 42);
    expect(scrambledHalton(5, 0, 20, 42)).toEqual(a);
    expect(scrambledHalton(5, 0, 20, 43)).not.toEqual(a);
    expect(scrambledHalton(5, 7, 13, 42)).toEqual(a.slice(7));
    expect(haltonSequence(5, 42).point(19)).toEqual(a[19]);
  });

  it('stays in [0, 1) in every dimension, scrambled or not', () => {
    for (const seed of [undefined, 1, 2]) {
      for (const p of scrambledHalton(40, 0, 300, seed)) for (const v of p) expect(v >= 0 && v < 1).toBe(true);
    }
  });

  it('keeps the stratification of the plain sequence when scrambled: each base-b digit cell of the first b^k points holds one point', () => {
    // Points 0..b^k-1 of a (scrambled) radical inverse fall one in each interval [j/b^k, (j+1)/b^k).
    for (const [d, base] of [[0, 2], [1, 3], [2, 5]] as const) {
      const cells = base ** 3;
      const hits = new Set(scrambledHalton(3, 0, cells, 9).map((p) => Math.floor(p[d] * cells)));
      expect(hits.size).toBe(cells);
    }
  });

  it('covers the square more evenly than random points (star discrepancy at n = 256)', () => {
    const n = 256;
    const halton = [1, 2, 3].map((seed) => starDiscrepancy2d(scrambledHalton(2, 0, n, seed)));
    const random = [1, 2, 3].map((seed) => {
      const rng = new Rng(seed);
      return starDiscrepancy2d(Array.from({ length: n }, () => [rng.uniform(), rng.uniform()]));
    });
    // Halton's D* is O(log^2 n / n) (~0.01 here), random points' O(1/sqrt n) (~0.05).
    expect(Math.max(...halton)).toBeLessThan(0.025);
    expect(Math.max(...halton)).toBeLessThan(Math.min(...random));
  });

  it('breaks the correlation between high-dimensional bases that plain Halton suffers', () => {
    // Plain Halton in bases 29 and 31 (dimensions 10 and 11): the first 29 points lie on a line.
    const correlation = (points: Float64Array[], i: number, j: number) => {
      const xs = points.map((p) => p[i]);
      const ys = points.map((p) => p[j]);
      const mean = (v: number[]) => v.reduce((s, t) => s + t, 0) / v.length;
      const [mx, my] = [mean(xs), mean(ys)];
      let sxy = 0, sxx = 0, syy = 0;
      xs.forEach((x, k) => {
        sxy += (x - mx) * (ys[k] - my);
        sxx += (x - mx) ** 2;
        syy += (ys[k] - my) ** 2;
      });
      return sxy / Math.sqrt(sxx * syy);
    };
    expect(correlation(scrambledHalton(11, 1, 28), 9, 10)).toBeGreaterThan(0.99);
    expect(Math.abs(correlation(scrambledHalton(11, 1, 28, 5), 9, 10))).toBeLessThan(0.6);
  });

  it('rejects invalid arguments', () => {
    expect(() => scrambledHalton(0, 0, 1)).toThrow(RangeError);
    expect(() => scrambledHalton(2, -1, 1)).toThrow(RangeError);
    expect(() => scrambledHalton(2, 0, 1.5)).toThrow(RangeError);
  });
});

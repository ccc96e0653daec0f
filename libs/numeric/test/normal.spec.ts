import { erfc, log1mexp, logH, logNormalCdf, normalCdf, normalPdf } from '@hpo/numeric';

describe('normal tail functions', () => {
  it.each([
    [0, 1],
    [0.5, 0.4795001221869535],
    [1, 0.15729920705028513],
    [2, 0.004677734981047266],
    [3, 2.209049699858544e-5],
    [5, 1.5374597944280349e-12],
    [10, 2.088487583762545e-45],
    [-1, 1.8427007929497148],
  ])('erfc(%p) = %p to 1e-13 relative', (x, expected) => {
    expect(Math.abs(erfc(x) - expected) / expected).toBeLessThan(1e-13);
  });

  it('erfc is continuous across the series / continued-fraction switch at 2', () => {
    const below = erfc(2 - 1e-12);
    const above = erfc(2 + 1e-12);
    expect(Math.abs(below - above) / above).toBeLessThan(1e-10);
  });

  it('log Φ is finite and matches the Mills-ratio asymptote far in the tail', () => {
    // Φ(z) ≈ φ(z)/|z| (1 − 1/z² + 3/z⁴ − 15/z⁶) for z → −∞.
    const z = -40;
    const expected = -0.5 * z * z - 0.5 * Math.log(2 * Math.PI) - Math.log(-z) + Math.log(1 - 1 / z ** 2 + 3 / z ** 4 - 15 / z ** 6 + 105 / z ** 8 - 945 / z ** 10);
    expect(normalPdf(z)).toBe(0); // the naive route underflows here
    expect(logNormalCdf(z)).toBeCloseTo(expected, 10);
    expect(logNormalCdf(0)).toBeCloseTo(Math.log(0.5), 15);
    expect(normalCdf(-5)).toBeCloseTo(2.866515718791939e-7, 20);
  });

  it('log1mexp is accurate on both branches', () => {
    expect(log1mexp(-1e-10)).toBeCloseTo(Math.log(1e-10), 8);
    expect(log1mexp(-50)).toBeCloseTo(-Math.exp(-50), 30);
    expect(log1mexp(-1)).toBeCloseTo(Math.log(1 - Math.exp(-1)), 15);
  });

  describe('log h(z), h = φ + zΦ', () => {
    it('matches the closed form where it is well conditioned', () => {
      expect(logH(0)).toBeCloseTo(Math.log(1 / Math.sqrt(2 * Math.PI)), 14);
      expect(logH(1)).toBeCloseTo(Math.log(0.24197072451914337 + 0.8413447460685429), 14);
      expect(logH(3)).toBeCloseTo(Math.log(0.0044318484119380075 + 3 * 0.9986501019683699), 12);
    });

    it('matches φ(−5) − 5Φ(−5) at z = −5', () => {
      const h = 1.4867195147342977e-6 - 5 * 2.866515718791939e-7;
      expect(Math.abs(logH(-5) - Math.log(h))).toBeLessThan(1e-8);
    });

    it.each([-20, -40, -1000])('matches the asymptotic series at z = %p (where h underflows near −38)', (z) => {
      // h(z) = φ(z)/z² Σ_k (−1)^k (2k+1)!! / z^{2k} as z → −∞ (from the Mills-ratio series).
      const series = 1 - 3 / z ** 2 + 15 / z ** 4 - 105 / z ** 6 + 945 / z ** 8 - 10395 / z ** 10 + 135135 / z ** 12;
      const expected = -0.5 * z * z - 0.5 * Math.log(2 * Math.PI) - 2 * Math.log(-z) + Math.log(series);
      expect(Math.abs(logH(z) - expected) / Math.abs(expected)).toBeLessThan(1e-12);
    });

    it('uses the exact asymptote beyond −1/√ε and is continuous at z = −1', () => {
      const z = -1e9;
      expect(logH(z)).toBeCloseTo(-0.5 * z * z - 0.5 * Math.log(2 * Math.PI) - 2 * Math.log(-z), 0);
      expect(Math.abs(logH(-1 - 1e-12) - logH(-1 + 1e-12))).toBeLessThan(1e-10);
    });

    it('is increasing and finite over the whole range', () => {
      let previous = Number.NEGATIVE_INFINITY;
      for (let z = -200; z <= 10; z += 0.25) {
        const v = logH(z);
        expect(Number.isFinite(v)).toBe(true);
        expect(v).toBeGreaterThan(previous);
        previous = v;
      }
    });
  });
});

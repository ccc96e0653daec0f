import { normalCdf, normalQuantile } from '@hpo/numeric';

describe('normalQuantile', () => {
  it.each([
    [0.5, 0],
    [0.975, 1.959963984540054],
    [0.1, -1.2815515655446004],
    [0.3, -0.5244005127080407],
    [0.001, -3.090232306167813],
    [1e-10, -6.361340902404056],
  ])('Φ⁻¹(%p) = %p to 1e-8 relative', (p, z) => {
    expect(Math.abs(normalQuantile(p) - z)).toBeLessThanOrEqual(1e-8 * Math.max(1, Math.abs(z)));
  });

  it('inverts the normal CDF across the central and tail regions, and is odd about 1/2', () => {
    for (const p of [1e-300, 1e-12, 0.01, 0.02425, 0.0243, 0.2, 0.5, 0.77, 0.97575, 0.99, 1 - 1e-12]) {
      // 1e-9 relative in z is up to |z| · 1e-9 relative in p: 4e-8 at p = 1e-300 (z ≈ −37).
      expect(Math.abs(normalCdf(normalQuantile(p)) - p) / Math.min(p, 1 - p)).toBeLessThan(2e-7);
      // 1 − p is exact in double only while p is not tiny.
      if (p >= 1e-6) expect(normalQuantile(1 - p)).toBeCloseTo(-normalQuantile(p), 8);
    }
  });

  it('has infinite ends and refuses probabilities outside [0, 1]', () => {
    expect(normalQuantile(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(normalQuantile(1)).toBe(Number.POSITIVE_INFINITY);
    expect(() => normalQuantile(1.5)).toThrow(/p must be in \[0, 1\]/);
    expect(() => normalQuantile(Number.NaN)).toThrow(/p must be in \[0, 1\]/);
  });
});

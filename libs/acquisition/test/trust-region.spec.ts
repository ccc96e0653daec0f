import { fitGaussianProcess } from '@hpo/gp';
import { Rng } from '@hpo/space';
import fc from 'fast-check';
import { optimizeAcquisition } from '../src/optimize-acquisition';
import { acquisitionSpec } from '../src/select-batch';
import { MAX_WEIGHTING_LENGTHSCALE, defaultTrustRegionSettings, replayTrustRegion, trustRegionBox, type TrustRegionSettings } from '../src/trust-region';

const settings: TrustRegionSettings = { initial: 0.8, min: 0.5 ** 7, max: 1.6, successTolerance: 3, failureTolerance: 4 };

describe('replayTrustRegion', () => {
  it("TuRBO-1's settings: tolerance max(4, d) failures, 3 successes", () => {
    expect(defaultTrustRegionSettings(2)).toEqual(settings);
    expect(defaultTrustRegionSettings(50).failureTolerance).toBe(50);
  });

  it('starts at the initial side when the design ends', () => {
    expect(replayTrustRegion([3, 1, 2], 3, settings)).toEqual({ length: 0.8, successes: 0, failures: 0, restarts: 0 });
  });

  it('three successes in a row double the side, capped at the maximum', () => {
    expect(replayTrustRegion([0, 1, 2, 3], 1, settings).length).toBe(1.6);
    expect(replayTrustRegion([0, 1, 2, 3, 4, 5, 6], 1, settings).length).toBe(1.6);
  });

  it('failure tolerance failures in a row halve it; a success in between resets the count', () => {
    expect(replayTrustRegion([5, 1, 1, 1, 1], 1, settings).length).toBe(0.4);
    const interrupted = replayTrustRegion([5, 1, 1, 1, 6, 1, 1, 1], 1, settings);
    expect(interrupted).toEqual({ length: 0.8, successes: 0, failures: 3, restarts: 0 });
  });

  it('an improvement smaller than 1e-3 |best| is a failure; an infeasible trial (−∞) is a failure', () => {
    expect(replayTrustRegion([100, 100.05, 100.05, 100.05, 100.05], 1, settings).length).toBe(0.4);
    expect(replayTrustRegion([-1, Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY], 1, settings).length).toBe(0.4);
  });

  it('restarts at the initial side once halved below the minimum (0.8 / 2⁶ = 0.0125 ≥ 0.5⁷ > 0.8 / 2⁷)', () => {
    const values = [1, ...Array(4 * 6).fill(0)];
    expect(replayTrustRegion(values, 1, settings)).toEqual({ length: 0.8 / 64, successes: 0, failures: 0, restarts: 0 });
    const more = replayTrustRegion([...values, 0, 0, 0, 0], 1, settings);
    expect(more.length).toBe(0.8);
    expect(more.restarts).toBe(1);
  });

  it('the side stays within (min, max] whatever the values', () => {
    fc.assert(fc.property(fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { maxLength: 300 }), fc.nat(20), (values, design) => {
      const s = replayTrustRegion(values, design, settings);
      return s.length >= settings.min && s.length <= settings.max;
    }));
  });
});

describe('trustRegionBox', () => {
  it('sides ∝ length scales with geometric mean L (volume L^d) when not clipped', () => {
    const box = trustRegionBox([0.5, 0.5, 0.5], 0.2, [Math.log(0.1), Math.log(0.2), Math.log(0.4)]);
    const sides = Array.from(box.upper, (u, i) => u - box.lower[i]);
    expect(sides[1] / sides[0]).toBeCloseTo(2, 12);
    expect(sides[2] / sides[1]).toBeCloseTo(2, 12);
    expect(sides.reduce((p, s) => p * s, 1)).toBeCloseTo(0.2 ** 3, 12);
    // centred
    for (let i = 0; i < 3; i++) expect((box.upper[i] + box.lower[i]) / 2).toBeCloseTo(0.5, 12);
  });

  it('length scales above the cap weigh like the cap', () => {
    const capped = trustRegionBox([0.5, 0.5], 0.3, [Math.log(0.5), Math.log(MAX_WEIGHTING_LENGTHSCALE)]);
    const huge = trustRegionBox([0.5, 0.5], 0.3, [Math.log(0.5), Math.log(150)]);
    expect(Array.from(huge.lower)).toEqual(Array.from(capped.lower));
    expect(Array.from(huge.upper)).toEqual(Array.from(capped.upper));
  });

  it('is clipped to the unit cube and always contains its centre', () => {
    fc.assert(fc.property(
      fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: -6, max: 6, noNaN: true })), { minLength: 1, maxLength: 30 }),
      fc.double({ min: 1e-3, max: 1.6, noNaN: true }),
      (coords, length) => {
        const box = trustRegionBox(coords.map((c) => c[0]), length, coords.map((c) => c[1]));
        return coords.every(([c], i) => box.lower[i] >= 0 && box.upper[i] <= 1 && box.lower[i] <= c && c <= box.upper[i]);
      },
    ));
  });
});

describe('optimizeAcquisition in a trust region', () => {
  const d = 4;
  const rng = new Rng(7);
  const n = 20;
  const x = Float64Array.from({ length: n * d }, () => rng.uniform());
  const y = Array.from({ length: n }, (_, i) => -Array.from(x.subarray(i * d, i * d + d)).reduce((s, v) => s + (v - 0.9) ** 2, 0));
  const gp = fitGaussianProcess({ x, y, d, seed: 1 });
  const spec = acquisitionSpec(gp, 'LOG_EI', gp.n);

  it('every candidate lies in the box, even when the global maximum is outside it', () => {
    const box = { lower: Float64Array.of(0.1, 0.1, 0.1, 0.1), upper: Float64Array.of(0.3, 0.4, 0.3, 0.5) };
    const ranked = optimizeAcquisition({ gp, spec, rng: new Rng(3), trustRegion: box });
    expect(ranked.length).toBeGreaterThan(0);
    for (const c of ranked) for (let k = 0; k < d; k++) {
      expect(c.x[k]).toBeGreaterThanOrEqual(box.lower[k]);
      expect(c.x[k]).toBeLessThanOrEqual(box.upper[k]);
    }
    // The unconstrained search goes where the function is best (towards 0.9), outside that box.
    const global = optimizeAcquisition({ gp, spec, rng: new Rng(3) })[0];
    expect(Array.from(global.x).some((v, k) => v > box.upper[k])).toBe(true);
  });

  it('the whole cube as the box changes nothing', () => {
    const whole = { lower: new Float64Array(d), upper: new Float64Array(d).fill(1) };
    const a = optimizeAcquisition({ gp, spec, rng: new Rng(3), trustRegion: whole });
    const b = optimizeAcquisition({ gp, spec, rng: new Rng(3) });
    expect(a.map((c) => [Array.from(c.x), c.value])).toEqual(b.map((c) => [Array.from(c.x), c.value]));
  });
});

import { Rng } from '@hpo/space';
import { hypervolume } from '../src/hypervolume';
import {
  chebyshevScalarization, hypervolumeScalarization, hypervolumeScalarizationConstant, randomScalarizationWeights,
} from '../src/hypervolume-scalarization';

/** Monte Carlo hypervolume: the fraction of a box [reference, upper] dominated by some point. */
function monteCarloHypervolume(points: number[][], reference: number[], upper: number[], samples: number, rng: Rng): number {
  let hits = 0;
  for (let s = 0; s < samples; s++) {
    const z = reference.map((r, i) => r + rng.uniform() * (upper[i] - r));
    if (points.some((p) => p.every((v, i) => v >= z[i]))) hits++;
  }
  return (hits / samples) * reference.reduce((volume, r, i) => volume * (upper[i] - r), 1);
}

describe('hypervolume', () => {
  it('matches hand-computed values in 1, 2 and 3 objectives', () => {
    expect(hypervolume([[3], [1]], [0])).toBe(3);
    expect(hypervolume([[1, 3], [2, 2], [3, 1]], [0, 0])).toBeCloseTo(6, 12);
    expect(hypervolume([[1, 2, 3]], [0, 0, 0])).toBeCloseTo(6, 12);
    // Two overlapping boxes: 2 + 2 − 1.
    expect(hypervolume([[2, 1, 1], [1, 2, 1]], [0, 0, 0])).toBeCloseTo(3, 12);
  });

  it('ignores dominated points and points that do not beat the reference', () => {
    expect(hypervolume([[2, 2, 2], [1, 1, 1], [3, -1, 5]], [0, 0, 0])).toBeCloseTo(8, 12);
    expect(hypervolume([], [0, 0])).toBe(0);
    expect(hypervolume([[0, 5]], [0, 0])).toBe(0);
  });

  it('does not depend on the order of the points and agrees with Monte Carlo in 3 objectives', () => {
    const rng = new Rng(7);
    const points = Array.from({ length: 12 }, () => [rng.uniform(), rng.uniform(), rng.uniform()]);
    const hv = hypervolume(points, [0, 0, 0]);
    expect(hypervolume([...points].reverse(), [0, 0, 0])).toBeCloseTo(hv, 12);
    expect(monteCarloHypervolume(points, [0, 0, 0], [1, 1, 1], 40_000, new Rng(8))).toBeCloseTo(hv, 1);
  });
});

describe('random hypervolume scalarization (Golovin & Zhang 2020)', () => {
  it('has c_2 = π/4 and c_3 = π/6', () => {
    expect(hypervolumeScalarizationConstant(2)).toBeCloseTo(Math.PI / 4, 12);
    expect(hypervolumeScalarizationConstant(3)).toBeCloseTo(Math.PI / 6, 12);
  });

  it('draws weights on the positive unit sphere, deterministically from the seed', () => {
    const w = randomScalarizationWeights(3, new Rng(1));
    expect(Math.hypot(...w)).toBeCloseTo(1, 12);
    expect(Array.from(w).every((v) => v > 0)).toBe(true);
    expect(Array.from(randomScalarizationWeights(3, new Rng(1)))).toEqual(Array.from(w));
  });

  it('recovers the hypervolume in expectation: HV(Y) = c_m E_λ[max_y s_λ(y)]', () => {
    const rng = new Rng(3);
    for (const [points, reference] of [
      [[[1, 3], [2, 2], [3, 1]], [0, 0]],
      [[[0.9, 0.2, 0.5], [0.3, 0.8, 0.6], [0.5, 0.5, 0.9]], [0, 0, 0]],
    ] as [number[][], number[]][]) {
      const m = reference.length;
      let sum = 0;
      const draws = 40_000;
      for (let k = 0; k < draws; k++) {
        const w = randomScalarizationWeights(m, rng);
        sum += Math.max(...points.map((p) => hypervolumeScalarization(p, reference, w)));
      }
      const estimate = (hypervolumeScalarizationConstant(m) * sum) / draws;
      expect(Math.abs(estimate / hypervolume(points, reference) - 1)).toBeLessThan(0.03);
    }
  });

  it('orders points below the reference too (the Chebyshev part stays monotone)', () => {
    const w = Float64Array.of(Math.SQRT1_2, Math.SQRT1_2);
    expect(chebyshevScalarization([-1, -2], [0, 0], w)).toBeGreaterThan(chebyshevScalarization([-1, -3], [0, 0], w));
    expect(hypervolumeScalarization([-1, -2], [0, 0], w)).toBe(0);
  });
});

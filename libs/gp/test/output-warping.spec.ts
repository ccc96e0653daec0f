import { fitOutputTransform } from '../src/standardize';
import { halfRankWarp, logWarp, OUTPUT_WARPINGS, parseOutputWarping, warpOutputs } from '../src/output-warping';

describe('half-rank output warping', () => {
  it('matches a hand-computed case: the good half kept, the bad half on normal quantiles of its ranks', () => {
    // median 2; 2 distinct values below it plus the median itself (half a rank): denominator 2.5;
    // the good half {2, 3, 4} spreads sqrt((0 + 1 + 4) / 3) about the median.
    const spread = Math.sqrt(5 / 3);
    const warped = halfRankWarp([0, 1, 2, 3, 4]);
    expect(warped[0]).toBeCloseTo(2 + spread * -1.2815515655446004, 8); // rank 1: Φ⁻¹(0.5 · 0.5 / 2.5)
    expect(warped[1]).toBeCloseTo(2 + spread * -0.5244005127080407, 8); // rank 2: Φ⁻¹(0.5 · 1.5 / 2.5)
    expect(Array.from(warped.slice(2))).toEqual([2, 3, 4]);
  });

  it('is monotone, keeps ties tied, and leaves every value at or above the median as it is', () => {
    const y = [5, -3, 0.5, 7, -3, 100, -50, 2, 2, 9, -1e9];
    const warped = halfRankWarp(y);
    const sorted = [...y].sort((a, b) => a - b);
    const median = (sorted[5] + sorted[5]) / 2;
    for (let i = 0; i < y.length; i++) {
      if (y[i] >= median) expect(warped[i]).toBe(y[i]);
      for (let j = 0; j < y.length; j++) {
        if (y[i] < y[j]) expect(warped[i]).toBeLessThan(warped[j]);
        if (y[i] === y[j]) expect(warped[i]).toBe(warped[j]);
      }
    }
  });

  it('makes the warped data independent of how bad the worst value is', () => {
    const good = [0.91, 0.93, 0.95, 0.94, 0.9, 0.92];
    const a = halfRankWarp([...good, 0.1]);
    const b = halfRankWarp([...good, -1e12]);
    expect(Array.from(a)).toEqual(Array.from(b));
    // Without warping the outlier sets the scale: the good values' differences shrink to nothing.
    expect(fitOutputTransform([...good, -1e12]).scale).toBeGreaterThan(1e11);
    expect(fitOutputTransform(a).scale).toBeLessThan(0.1);
  });

  it('returns fewer than three distinct values unchanged', () => {
    expect(Array.from(halfRankWarp([1, 1, 1]))).toEqual([1, 1, 1]);
    expect(Array.from(halfRankWarp([3, -7, 3]))).toEqual([3, -7, 3]);
    expect(Array.from(halfRankWarp([]))).toEqual([]);
  });
});

describe('compressing half-rank warping (GP_BANDIT default)', () => {
  it('raises outliers to their half-rank position, keeps values already above it, and keeps the order', () => {
    const y = [0.91, 0.93, 0.95, 0.94, 0.9, 0.92, 0.89, -1e6];
    const halfRank = halfRankWarp(y);
    const warped = warpOutputs(y, 'HALF_RANK_COMPRESS');
    expect(warped[7]).toBe(halfRank[7]);
    expect(warped[7]).toBeGreaterThan(0.5);
    for (let i = 0; i < y.length; i++) {
      expect(warped[i]).toBe(Math.max(y[i], halfRank[i]));
      for (let j = 0; j < y.length; j++) if (y[i] < y[j]) expect(warped[i]).toBeLessThan(warped[j]);
    }
    // Values are never lowered: a bad half bunched just under the median (here tighter than the normal
    // quantiles of its ranks, scaled by the good half's spread) is left as it is.
    const compact = [1.97, 1.98, 1.99, 2, 3, 4, 5];
    expect(Array.from(warpOutputs(compact, 'HALF_RANK_COMPRESS'))).toEqual(compact);
  });
});

describe('log output warping', () => {
  it('maps [min, max] onto [−0.5, 0.5], monotone and convex (good values pulled apart)', () => {
    const warped = logWarp([0, 5, 10, 2.5, 7.5]);
    expect(warped[0]).toBeCloseTo(-0.5, 12);
    expect(warped[2]).toBeCloseTo(0.5, 12);
    // 0.5 − log1p(0.5 · 0.5) / log 1.5 for the midpoint: below the straight line (0).
    expect(warped[1]).toBeCloseTo(0.5 - Math.log1p(0.25) / Math.log(1.5), 12);
    expect(warped[1]).toBeLessThan(0);
    expect(warped[3]).toBeLessThan(warped[1]);
    expect(warped[4]).toBeGreaterThan(warped[1]);
    expect(warped[4] - warped[1]).toBeGreaterThan(warped[1] - warped[3]);
  });

  it('leaves a constant unchanged; NONE copies', () => {
    expect(Array.from(logWarp([2, 2]))).toEqual([2, 2]);
    const y = [1, 2, 3];
    const copy = warpOutputs(y, 'NONE');
    expect(Array.from(copy)).toEqual(y);
    expect(copy).not.toBe(y);
  });
});

describe('parseOutputWarping', () => {
  it('accepts each known name and refuses anything else, naming the known ones', () => {
    for (const w of OUTPUT_WARPINGS) expect(parseOutputWarping(w)).toBe(w);
    expect(() => parseOutputWarping('half_rank')).toThrow("unknown output warping 'half_rank' (known: NONE, HALF_RANK, HALF_RANK_LOG, HALF_RANK_COMPRESS)");
    expect(() => parseOutputWarping('')).toThrow(/unknown output warping ''/);
  });
});

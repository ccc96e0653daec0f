import { expectedImprovement, expectedImprovementBelow, logExpectedImprovement, normalCdf, probabilityBelow } from '@hpo/numeric';

describe('expected improvement', () => {
  it('matches known values', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(probabilityBelow(1, 1, 0)).toBeCloseTo(normalCdf(-1), 12);
    // EI at z = 0 is sd·φ(0), in either direction.
    expect(expectedImprovementBelow(0, 2, 0)).toBeCloseTo(2 / Math.sqrt(2 * Math.PI), 7);
    expect(expectedImprovement(0, 2, 0).value).toBeCloseTo(2 / Math.sqrt(2 * Math.PI), 14);
    // A point mass improves by its distance, or not at all.
    expect(expectedImprovementBelow(-3, 0, 0)).toBe(3);
    expect(probabilityBelow(-3, 0, 0)).toBe(1);
    expect(probabilityBelow(3, 0, 0)).toBe(0);
  });

  it('below is above mirrored, and log-EI is the log of EI with the same slopes', () => {
    expect(expectedImprovementBelow(0.3, 0.7, 1.1)).toBeCloseTo(expectedImprovement(-0.3, 0.7, -1.1).value, 15);
    const ei = expectedImprovement(0.2, 0.5, 0.4);
    const logEi = logExpectedImprovement(0.2, 0.5, 0.4);
    expect(logEi.value).toBeCloseTo(Math.log(ei.value), 12);
    expect(logEi.dMean).toBeCloseTo(ei.dMean / ei.value, 10);
    expect(logEi.dStd).toBeCloseTo(ei.dStd / ei.value, 10);
    expect(Number.isFinite(logExpectedImprovement(-50, 1, 0).value)).toBe(true);
  });
});

import { Rng } from '@hpo/space';
import { isotropicMatern52Kernel } from '../src/configuration-kernel';
import { exponentialDecayKernel } from '../src/exponential-decay-kernel';
import { FreezeThawHyperparameters, LearningCurve, freezeThawLogMarginalLikelihood, freezeThawPosterior, predictCurve, predictNewCurve } from '../src/freeze-thaw-posterior';
import { denseReference } from './dense-reference';

const h: FreezeThawHyperparameters = {
  alpha: 1.7,
  beta: 2.5,
  curveVariance: 0.8,
  noiseVariance: 0.01,
  asymptoteVariance: 1.3,
  asymptoteMean: 0.2,
  kernelParameters: [Math.log(0.4)],
};

function randomCurves(rng: Rng, count: number, dim: number): LearningCurve[] {
  return Array.from({ length: count }, (_, n) => {
    const len = 1 + rng.integer(12);
    const steps = Array.from({ length: len }, (_, i) => i + 1 + (n % 2 === 0 ? 0 : 0.5));
    return {
      x: Array.from({ length: dim }, () => rng.uniform()),
      steps,
      values: steps.map((t) => 0.3 + Math.exp(-t / 4) + 0.05 * rng.normal()),
      weights: steps.map((_, i) => 1 + (i % 3)),
    };
  });
}

describe('exponentialDecayKernel', () => {
  it('equals β^α / (t + t′ + β)^α at hand-computed points', () => {
    expect(exponentialDecayKernel(1, 2, 2, 3)).toBeCloseTo(9 / 36, 14);
    expect(exponentialDecayKernel(0, 0, 0.5, 4)).toBeCloseTo(1, 14);
    expect(exponentialDecayKernel(5, 7, 1, 1)).toBeCloseTo(1 / 13, 14);
    expect(exponentialDecayKernel(10, 30, 3.5, 0.7)).toBeCloseTo(Math.pow(0.7, 3.5) / Math.pow(40.7, 3.5), 14);
  });

  it('is the covariance of exp(−λt) mixed over λ ~ Gamma(α, β) (the paper’s derivation)', () => {
    // ∫ e^{−λ(t+t′)} β^α λ^{α−1} e^{−βλ} / Γ(α) dλ by the trapezoid rule on a fine grid.
    const alpha = 2;
    const beta = 1.5;
    const t = 0.8;
    const tp = 2.1;
    const gamma2 = 1; // Γ(2)
    let integral = 0;
    const dl = 1e-4;
    for (let l = dl / 2; l < 60; l += dl) integral += Math.exp(-l * (t + tp)) * (Math.pow(beta, alpha) * Math.pow(l, alpha - 1) * Math.exp(-beta * l)) / gamma2 * dl;
    expect(integral).toBeCloseTo(exponentialDecayKernel(t, tp, alpha, beta), 6);
  });

  it('gives a positive-definite Gram matrix that decays with t + t′', () => {
    expect(exponentialDecayKernel(1, 1, 1, 1)).toBeGreaterThan(exponentialDecayKernel(1, 5, 1, 1));
    expect(exponentialDecayKernel(5, 5, 1, 1)).toBeLessThan(exponentialDecayKernel(1, 1, 1, 1));
  });
});

describe('freezeThawPosterior (block structure) vs a dense GP on all points', () => {
  it('one curve: asymptote, curve prediction and likelihood equal the dense GP to 1e-8', () => {
    const curves: LearningCurve[] = [{ x: [0.3, 0.6], steps: [1, 2, 3, 5, 8, 13], values: [1.2, 0.9, 0.75, 0.6, 0.52, 0.5] }];
    const p = freezeThawPosterior(curves, h, isotropicMatern52Kernel)!;
    const d = denseReference(curves, h, isotropicMatern52Kernel);
    expect(Math.abs(p.asymptoteMean[0] - d.asymptoteMean[0])).toBeLessThan(1e-8);
    expect(Math.abs(p.asymptoteCovariance[0] - d.asymptoteCovariance.get(0, 0))).toBeLessThan(1e-8);
    expect(Math.abs(p.logMarginalLikelihood - d.logMarginalLikelihood)).toBeLessThan(1e-8);
    for (const step of [4, 13, 30, 100]) {
      const a = predictCurve(p, 0, step);
      const b = d.predictCurve(0, step);
      expect(Math.abs(a.mean - b.mean)).toBeLessThan(1e-8);
      expect(Math.abs(a.variance - b.variance)).toBeLessThan(1e-8);
    }
  });

  it('several curves: joint asymptote posterior, predictions and likelihood equal the dense joint GP to 1e-8', () => {
    const rng = new Rng(7);
    for (let rep = 0; rep < 3; rep++) {
      const curves = randomCurves(rng, 6, 3);
      const p = freezeThawPosterior(curves, h, isotropicMatern52Kernel)!;
      const d = denseReference(curves, h, isotropicMatern52Kernel);
      expect(Math.abs(p.logMarginalLikelihood - d.logMarginalLikelihood)).toBeLessThan(1e-8);
      expect(Math.abs(freezeThawLogMarginalLikelihood(curves, h, isotropicMatern52Kernel)! - d.logMarginalLikelihood)).toBeLessThan(1e-8);
      for (let i = 0; i < curves.length; i++) {
        expect(Math.abs(p.asymptoteMean[i] - d.asymptoteMean[i])).toBeLessThan(1e-8);
        for (let j = 0; j < curves.length; j++) expect(Math.abs(p.asymptoteCovariance[i * curves.length + j] - d.asymptoteCovariance.get(i, j))).toBeLessThan(1e-8);
        const a = predictCurve(p, i, 40);
        const b = d.predictCurve(i, 40);
        expect(Math.abs(a.mean - b.mean)).toBeLessThan(1e-8);
        expect(Math.abs(a.variance - b.variance)).toBeLessThan(1e-8);
      }
      const xNew = [0.5, 0.5, 0.5];
      const a = predictNewCurve(p, xNew, 40);
      const b = d.predictNew(xNew, 40);
      expect(Math.abs(a.mean - b.mean)).toBeLessThan(1e-8);
      expect(Math.abs(a.variance - b.variance)).toBeLessThan(1e-8);
    }
  });

  it('a new configuration identical to an observed one inherits that curve’s asymptote', () => {
    const curves: LearningCurve[] = [
      { x: [0.1], steps: [1, 2, 3, 4, 5, 6, 7, 8], values: [1, 0.8, 0.7, 0.65, 0.62, 0.61, 0.6, 0.6] },
      { x: [0.9], steps: [1, 2, 3], values: [2, 1.9, 1.85] },
    ];
    const p = freezeThawPosterior(curves, { ...h, kernelParameters: [Math.log(0.1)] }, isotropicMatern52Kernel)!;
    const far = predictNewCurve(p, [0.5], 1e6);
    const same = predictNewCurve(p, [0.1], 1e6);
    expect(Math.abs(same.mean - p.asymptoteMean[0])).toBeLessThan(1e-9);
    expect(same.variance).toBeLessThan(far.variance);
  });

  it('rejects curves without points, naming the curve', () => {
    expect(() => freezeThawPosterior([{ x: [0], steps: [], values: [] }], h, isotropicMatern52Kernel)).toThrow(/curves\[0\]/);
  });
});

describe('isotropicMatern52Kernel (configuration kernel)', () => {
  it('is (1 + √5 r + 5r²/3) exp(−√5 r) at r = ‖a − b‖ / ℓ, and 1 at zero distance', () => {
    const r = Math.hypot(0.3, 0.4) / 0.4; // distance 0.5, ℓ = 0.4
    const closed = (1 + Math.sqrt(5) * r + (5 / 3) * r * r) * Math.exp(-Math.sqrt(5) * r);
    expect(isotropicMatern52Kernel.correlation([0.1, 0.2], [0.4, 0.6], [Math.log(0.4)])).toBeCloseTo(closed, 14);
    expect(isotropicMatern52Kernel.correlation([0.1, 0.2], [0.1, 0.2], [Math.log(0.4)])).toBe(1);
  });
});

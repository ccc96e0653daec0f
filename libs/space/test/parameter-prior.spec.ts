import { createEncoder } from '../src/encoder';
import { haltonSequence } from '../src/halton';
import { addPriorLogDensityGradient, DEFAULT_PRIOR_WIDTH, encodedPrior, priorLogDensity, samplePrior, UNIFORM_MIXTURE } from '../src/parameter-prior';
import type { SearchSpace } from '../src/types';
import { validateSpace } from '../src/validate-space';

const space: SearchSpace = {
  parameters: [
    { name: 'lr', type: 'DOUBLE', min: 1e-4, max: 1, scale: 'LOG', prior: { center: 1e-2, width: 0.1 } },
    { name: 'units', type: 'INTEGER', min: 0, max: 100, prior: { center: 80 } },
    { name: 'opt', type: 'CATEGORICAL', categories: ['a', 'b'], children: [{ parentCategories: ['b'], parameter: { name: 'm', type: 'DISCRETE', values: [0, 0.5, 1], prior: { center: 0.5 } } }] },
    { name: 'free', type: 'DOUBLE', min: 0, max: 1 },
  ],
};
const encoder = createEncoder(space);

describe('parameter priors (πBO) on the encoding', () => {
  it('puts each centre at its encoded position: log scale for LOG, the value range for the others', () => {
    const prior = encodedPrior(space, encoder)!;
    const at = (name: string) => prior.terms.find((t) => encoder.features[t.index].parameter === name)!;
    expect(at('lr').center).toBeCloseTo(0.5, 12); // 1e-2 is half way between 1e-4 and 1 in log
    expect(at('lr').sd).toBe(0.1);
    expect(at('units').sd).toBe(DEFAULT_PRIOR_WIDTH);
    expect(at('m').center).toBeCloseTo(0.5, 12);
    expect(prior.terms).toHaveLength(3);
    expect(encodedPrior({ parameters: [{ name: 'x', type: 'DOUBLE', min: 0, max: 1 }] }, createEncoder({ parameters: [{ name: 'x', type: 'DOUBLE', min: 0, max: 1 }] }))).toBeUndefined();
  });

  it('maps a Halton design into the prior: draws centred on it, inside the cube, free coordinates untouched', () => {
    const prior = encodedPrior(space, encoder)!;
    const lr = prior.terms[0];
    const halton = haltonSequence(encoder.dimension, 5);
    const draws = Array.from({ length: 2000 }, (_, i) => ({ u: halton.point(i), x: samplePrior(prior, halton.point(i)) }));
    const values = draws.map((d) => d.x[lr.index]);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
    // (1 − ε) N(0.5, 0.1²) and ε uniform: mean 0.5, variance (1 − ε)·0.01 + ε/12.
    expect(mean).toBeCloseTo(0.5, 2);
    expect(sd).toBeCloseTo(Math.sqrt((1 - UNIFORM_MIXTURE) * 0.01 + UNIFORM_MIXTURE / 12), 2);
    const free = encoder.features.findIndex((f) => f.parameter === 'free');
    for (const d of draws) {
      expect(Array.from(d.x).every((v) => v >= 0 && v <= 1)).toBe(true);
      expect(d.x[free]).toBe(d.u[free]);
    }
  });

  it('has the gradient of its log density (finite differences)', () => {
    const prior = encodedPrior(space, encoder)!;
    const x = Float64Array.from({ length: encoder.dimension }, (_, i) => 0.1 + 0.07 * i);
    const g = new Float64Array(encoder.dimension);
    addPriorLogDensityGradient(prior, x, 2, g);
    for (let i = 0; i < x.length; i++) {
      const h = 1e-6;
      const up = Float64Array.from(x);
      const down = Float64Array.from(x);
      up[i] += h;
      down[i] -= h;
      expect(g[i]).toBeCloseTo((2 * (priorLogDensity(prior, up) - priorLogDensity(prior, down))) / (2 * h), 4);
    }
    // Largest at the centres; never below log ε a coordinate, however far off.
    const atCentres = Float64Array.from(x, (v, i) => prior.terms.find((t) => t.index === i)?.center ?? v);
    expect(priorLogDensity(prior, atCentres)).toBeGreaterThan(priorLogDensity(prior, x));
    expect(priorLogDensity(prior, Float64Array.from(x, () => 0))).toBeGreaterThan(prior.terms.length * Math.log(UNIFORM_MIXTURE));
  });

  it('is validated: centre within the bounds, width in (0, 1], numeric parameters only', () => {
    const check = (p: SearchSpace['parameters'][number]) => () => validateSpace({ parameters: [p] });
    expect(check({ name: 'x', type: 'DOUBLE', min: 0, max: 1, prior: { center: 2 } })).toThrow(/config\.parameters\[0\]\.prior\.center.*within \[0, 1\].*got 2/);
    expect(check({ name: 'x', type: 'DOUBLE', min: 0, max: 1, prior: { center: 0.5, width: 0 } })).toThrow(/prior\.width.*\(0, 1\].*got 0/);
    expect(check({ name: 'x', type: 'DOUBLE', min: 0, max: 1, prior: { center: Number.NaN } })).toThrow(/prior\.center.*got NaN/);
    expect(check({ name: 'c', type: 'CATEGORICAL', categories: ['a'], prior: { center: 0 } })).toThrow(/prior.*not CATEGORICAL/);
    expect(check({ name: 'x', type: 'DISCRETE', values: [1, 2, 4], prior: { center: 2, width: 0.3 } })).not.toThrow();
  });
});

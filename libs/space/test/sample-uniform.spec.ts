import { assignmentKey } from '../src/assignment-key';
import { Rng, mixSeed } from '../src/rng';
import { sampleUniform } from '../src/sample-uniform';
import { validateAssignment } from '../src/validate-assignment';
import { mixedSpace } from './fixtures';

describe('sampleUniform', () => {
  it('always returns a configuration that validates, and is reproducible with a seed', () => {
    const a = new Rng(mixSeed(7, 1));
    const b = new Rng(mixSeed(7, 1));
    for (let i = 0; i < 300; i++) {
      const x = sampleUniform(mixedSpace, a);
      expect(validateAssignment(mixedSpace, x)).toEqual(x);
      expect(sampleUniform(mixedSpace, b)).toEqual(x);
    }
  });

  it('is log-uniform on LOG scales: each decade of learning_rate gets a fifth of the draws', () => {
    const rng = new Rng(3);
    const decades = new Array(5).fill(0);
    const n = 10000;
    for (let i = 0; i < n; i++) decades[Math.min(4, Math.floor(Math.log10(sampleUniform(mixedSpace, rng).learning_rate as number) + 5))]++;
    // Binomial(10000, 0.2): sd = 40, so +-200 is 5 sd.
    for (const count of decades) expect(Math.abs(count - n / 5)).toBeLessThan(200);
  });

  it('gives LOG integers the mass of their cell on the log axis', () => {
    const rng = new Rng(4);
    const space = { parameters: [{ name: 'n', type: 'INTEGER' as const, min: 1, max: 3, scale: 'LOG' as const }] };
    const counts = [0, 0, 0];
    const n = 20000;
    for (let i = 0; i < n; i++) counts[(sampleUniform(space, rng).n as number) - 1]++;
    // Cells [0.5, 1.5), [1.5, 2.5), [2.5, 3.5] on the log axis.
    const total = Math.log(3.5 / 0.5);
    const expected = [Math.log(3), Math.log(2.5 / 1.5), Math.log(3.5 / 2.5)].map((w) => (w / total) * n);
    counts.forEach((c, i) => expect(Math.abs(c - expected[i])).toBeLessThan(5 * Math.sqrt(expected[i])));
  });

  it('covers every category and both branches of a condition', () => {
    const rng = new Rng(5);
    const keys = new Set<string>();
    for (let i = 0; i < 200; i++) keys.add(Object.keys(sampleUniform(mixedSpace, rng)).join(','));
    expect(keys.size).toBe(3);
  });
});

describe('assignmentKey', () => {
  it('is independent of key order, ignores inactive keys and float round-off beyond 12 digits', () => {
    const a = { learning_rate: 0.1, dropout: 0, layers: 2, units: 8, batch: 16, momentum_grid: 0, optimizer: 'adam', beta_schedule: 0 };
    const reordered = Object.fromEntries(Object.entries(a).reverse());
    expect(assignmentKey(mixedSpace, reordered)).toBe(assignmentKey(mixedSpace, a));
    expect(assignmentKey(mixedSpace, { ...a, learning_rate: 0.1 * (1 + 1e-14) })).toBe(assignmentKey(mixedSpace, a));
    expect(assignmentKey(mixedSpace, { ...a, dropout: -0 })).toBe(assignmentKey(mixedSpace, a));
    expect(assignmentKey(mixedSpace, { ...a, learning_rate: 0.1000001 })).not.toBe(assignmentKey(mixedSpace, a));
    expect(assignmentKey(mixedSpace, { ...a, momentum: 0.3 })).toBe(assignmentKey(mixedSpace, a));
    expect(assignmentKey(mixedSpace, { ...a, layers: 2n as never })).toBe(assignmentKey(mixedSpace, a));
    expect(assignmentKey(mixedSpace, a)).toBe('batch=16&beta_schedule=0&dropout=0&layers=2&learning_rate=0.1&momentum_grid=0&optimizer="adam"&units=8');
  });
});

import fc from 'fast-check';
import { createEncoder } from '../src/encoder';
import { Rng } from '../src/rng';
import { sampleUniform } from '../src/sample-uniform';
import { validateAssignment } from '../src/validate-assignment';
import type { Assignment, SearchSpace } from '../src/types';
import { degenerateSpace, mixedSpace } from './fixtures';

const encoder = createEncoder(mixedSpace);
const cubePoint = (dimension: number) =>
  fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: dimension, maxLength: dimension });

function expectSameAssignment(a: Assignment, b: Assignment): void {
  expect(Object.keys(a).sort()).toEqual(Object.keys(b).sort());
  for (const [k, v] of Object.entries(a)) {
    if (typeof v === 'number') expect(b[k] as number).toBeCloseTo(v, 10);
    else expect(b[k]).toBe(v);
  }
}

describe('createEncoder', () => {
  it('lays out one coordinate per scalar and a one-hot group per categorical', () => {
    expect(encoder.dimension).toBe(6 + 3 + 1 + 1 + 2);
    expect(encoder.features.map((f) => f.kind)).toEqual([
      'continuous', 'continuous', 'integer', 'integer', 'discrete', 'discrete',
      'onehot', 'onehot', 'onehot', 'continuous', 'integer', 'onehot', 'onehot',
    ]);
    const groups = encoder.features.filter((f) => f.kind === 'onehot').map((f) => [f.parameter, f.category, f.group]);
    expect(groups).toEqual([
      ['optimizer', 'sgd', 0], ['optimizer', 'adam', 0], ['optimizer', 'rmsprop', 0], ['warmup', 'linear', 1], ['warmup', 'cosine', 1],
    ]);
  });

  it('warps linear and log scales to the documented positions', () => {
    const x = encoder.encode({ learning_rate: 1e-3, dropout: 0.25, layers: 6, units: 64, batch: 64, momentum_grid: 0.5, optimizer: 'adam', beta_schedule: 0 });
    expect(x[0]).toBeCloseTo(2 / 5, 12); // log10(1e-3) is 2/5 of the way from -5 to 0
    expect(x[1]).toBeCloseTo(0.5, 12);
    expect(x[2]).toBe(1);
    expect(x[3]).toBeCloseTo(Math.log(8) / Math.log(64), 12); // 64 = 8 * 8, range 8..512 = 8 * 64
    expect(x[4]).toBeCloseTo(0.5, 12); // 64 is the geometric middle of 16..256
    expect(x[5]).toBeCloseTo(0.5 / 0.99, 12);
    expect(Array.from(x.slice(6, 9))).toEqual([0, 1, 0]);
  });

  it('lists the feasible encoded positions of INTEGER and DISCRETE parameters', () => {
    expect(encoder.features[2].grid).toEqual([0, 0.2, 0.4, 0.6000000000000001, 0.8, 1].map((v) => expect.closeTo(v, 12)));
    expect(encoder.features[4].grid?.map((v) => Number(v.toFixed(12)))).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(encoder.features[3].grid).toHaveLength(505);
    const wide = createEncoder({ parameters: [{ name: 'n', type: 'INTEGER', min: 0, max: 1_000_000 }] });
    expect(wide.features[0].grid).toBeUndefined();
    expect(wide.decode([0.5000004])).toEqual({ n: 500000 });
  });

  it('encodes inactive children at the neutral value, so they do not move the point', () => {
    const sgd = encoder.encode({ learning_rate: 0.1, dropout: 0, layers: 1, units: 8, batch: 16, momentum_grid: 0, optimizer: 'adam', beta_schedule: 0 });
    expect(sgd[9]).toBe(0.5); // momentum: inactive under adam
    expect(Array.from(sgd.slice(11))).toEqual([0, 0]); // warmup: inactive when beta_schedule = 0
  });

  it('round-trips sampled configurations of every type, conditional and log included', () => {
    const rng = new Rng(11);
    const seen = new Set<string>();
    for (let i = 0; i < 500; i++) {
      const a = sampleUniform(mixedSpace, rng);
      seen.add(Object.keys(a).join(','));
      expectSameAssignment(a, encoder.decode(encoder.encode(a)));
    }
    expect(seen.size).toBe(3); // sgd/rmsprop with momentum, adam with and without warmup
  });

  it('round-trips the extremes of every range exactly', () => {
    const low = { learning_rate: 1e-5, dropout: 0, layers: 1, units: 8, batch: 16, momentum_grid: 0, optimizer: 'sgd', momentum: 0 };
    const high = { learning_rate: 1, dropout: 0.5, layers: 6, units: 512, batch: 256, momentum_grid: 0.99, optimizer: 'rmsprop', momentum: 0.99 };
    expect(encoder.decode(encoder.encode(low))).toEqual(low);
    expect(encoder.decode(encoder.encode(high))).toEqual(high);
  });

  it('decodes any point of the cube to a configuration that validates', () => {
    fc.assert(
      fc.property(cubePoint(encoder.dimension), (x) => {
        const a = encoder.decode(x);
        expect(validateAssignment(mixedSpace, a)).toEqual(a);
      }),
      { numRuns: 500 },
    );
  });

  it('projects idempotently onto feasible encodings', () => {
    fc.assert(
      fc.property(cubePoint(encoder.dimension), (x) => {
        const p = encoder.project(x);
        expect(Array.from(encoder.project(p))).toEqual(Array.from(p));
        expect(encoder.decode(p)).toEqual(encoder.decode(x));
      }),
      { numRuns: 500 },
    );
  });

  it('rounds INTEGER and DISCRETE coordinates to the nearest feasible position in the encoded space', () => {
    const space: SearchSpace = {
      parameters: [
        { name: 'n', type: 'INTEGER', min: 1, max: 100, scale: 'LOG' },
        { name: 'd', type: 'DISCRETE', values: [0, 1, 10] },
      ],
    };
    const e = createEncoder(space);
    const grid = e.features[0].grid as number[];
    // Just below and above the midpoint between the encodings of 1 and 2.
    const mid = (grid[0] + grid[1]) / 2;
    expect(e.decode([mid - 1e-9, 0]).n).toBe(1);
    expect(e.decode([mid + 1e-9, 0]).n).toBe(2);
    expect(e.decode([0, 0.04]).d).toBe(0);
    expect(e.decode([0, 0.06]).d).toBe(1);
    expect(e.decode([0, 0.56]).d).toBe(10);
  });

  it('decides one-hot groups by their largest coordinate', () => {
    const e = createEncoder({ parameters: [{ name: 'c', type: 'CATEGORICAL', categories: ['a', 'b', 'c'] }] });
    expect(e.decode([0.2, 0.9, 0.3])).toEqual({ c: 'b' });
    expect(e.decode([0, 0, 0])).toEqual({ c: 'a' });
  });

  it('handles degenerate ranges', () => {
    const e = createEncoder(degenerateSpace);
    const only = { fixed_double: 3, fixed_log: 0.1, fixed_int: 7, one_value: 2.5, one_category: 'only' };
    expect(Array.from(e.encode(only))).toEqual([0.5, 0.5, 0.5, 0.5, 1]);
    expect(e.decode([0, 1, 0.3, 0.9, 0])).toEqual(only);
    expect(e.features[2].grid).toEqual([0.5]);
  });

  it('rejects points of the wrong length or with non-finite coordinates instead of guessing', () => {
    expect(() => encoder.decode([0.5])).toThrow(/expected 13 coordinates/);
    const x = new Array(encoder.dimension).fill(0.5);
    x[3] = NaN;
    expect(() => encoder.decode(x)).toThrow(/coordinate 3 is NaN/);
  });

  it('clamps coordinates outside the cube to its faces', () => {
    const x = new Array(encoder.dimension).fill(0.5);
    x[0] = -3;
    x[1] = 7;
    const a = encoder.decode(x);
    expect(a.learning_rate).toBe(1e-5);
    expect(a.dropout).toBe(0.5);
  });
});

import { ackley, branin, hartmann3, hartmann6, levy, rosenbrock, type BenchmarkFunction } from '@hpo/testing';

/** Known minimisers (Surjanovic & Bingham): each must give the stated minimum, and random points of the
 *  box must not beat it, or the regrets of the quality bench would be meaningless. */
const MINIMISERS: [BenchmarkFunction, number[]][] = [
  [branin, [-Math.PI, 12.275]],
  [branin, [Math.PI, 2.275]],
  [branin, [9.42478, 2.475]],
  [hartmann3, [0.114614, 0.555649, 0.852547]],
  [hartmann6, [0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573]],
  [ackley(5), [0, 0, 0, 0, 0]],
  [levy(10), Array(10).fill(1)],
  [rosenbrock(4), [1, 1, 1, 1]],
];

describe('standard test functions', () => {
  it.each(MINIMISERS.map(([f, x]) => [f.name, f, x] as const))('%s attains its minimum at the known minimiser', (_, f, x) => {
    expect(f.evaluate(x)).toBeCloseTo(f.minimum, 4);
  });

  it.each([branin, hartmann3, hartmann6, ackley(10), levy(10), rosenbrock(4)].map((f) => [f.name, f] as const))('%s: no random point beats the minimum', (_, f) => {
    let state = 12345;
    const uniform = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 4294967296);
    for (let i = 0; i < 2000; i++) {
      const x = f.lower.map((lo, k) => lo + (f.upper[k] - lo) * uniform());
      expect(f.evaluate(x)).toBeGreaterThanOrEqual(f.minimum - 1e-9);
    }
  });
});

import { assignmentKey } from '../src/assignment-key';
import { createGrid, gridPoints, gridValues } from '../src/grid';
import { validateAssignment } from '../src/validate-assignment';
import type { SearchSpace } from '../src/types';
import { mixedSpace } from './fixtures';

describe('grid', () => {
  it('spaces DOUBLE values linearly or logarithmically, ends included', () => {
    expect(gridValues({ name: 'x', type: 'DOUBLE', min: 0, max: 1 }, 5)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    const log = gridValues({ name: 'x', type: 'DOUBLE', min: 1e-4, max: 1, scale: 'LOG' }, 5) as number[];
    [1e-4, 1e-3, 1e-2, 1e-1, 1].forEach((v, i) => expect(log[i]).toBeCloseTo(v, 12));
    expect(gridValues({ name: 'x', type: 'DOUBLE', min: 2, max: 4 }, 1)).toEqual([3]);
    expect(gridValues({ name: 'x', type: 'DOUBLE', min: 2, max: 2 }, 5)).toEqual([2]);
  });

  it('takes every INTEGER when they fit the resolution, else evenly spaced distinct ones', () => {
    expect(gridValues({ name: 'n', type: 'INTEGER', min: 1, max: 4 }, 5)).toEqual([1, 2, 3, 4]);
    expect(gridValues({ name: 'n', type: 'INTEGER', min: 0, max: 100 }, 5)).toEqual([0, 25, 50, 75, 100]);
    expect(gridValues({ name: 'n', type: 'INTEGER', min: 1, max: 1000, scale: 'LOG' }, 4)).toEqual([1, 10, 100, 1000]);
    // 11 log-spaced points over 1..12 round to 8 distinct integers (crowded at the low end, as a log grid should be).
    expect(gridValues({ name: 'n', type: 'INTEGER', min: 1, max: 12, scale: 'LOG' }, 11)).toEqual([1, 2, 3, 4, 6, 7, 9, 12]);
  });

  it('counts the cartesian product with children expanded only under the values that activate them', () => {
    const space: SearchSpace = {
      parameters: [
        { name: 'x', type: 'DOUBLE', min: 0, max: 1 },
        {
          name: 'opt',
          type: 'CATEGORICAL',
          categories: ['sgd', 'adam', 'lbfgs'],
          children: [
            { parentCategories: ['sgd'], parameter: { name: 'momentum', type: 'DISCRETE', values: [0, 0.9] } },
            { parentCategories: ['sgd', 'adam'], parameter: { name: 'decay', type: 'INTEGER', min: 0, max: 2 } },
          ],
        },
      ],
    };
    // x: 4 values; opt: sgd (2 momenta x 3 decays) + adam (3 decays) + lbfgs (1) = 10.
    const points = gridPoints(space, 4);
    expect(points).toHaveLength(40);
    expect(createGrid(space, 4).size).toBe(40);
    expect(new Set(points.map((p) => assignmentKey(space, p))).size).toBe(40);
    for (const p of points) expect(validateAssignment(space, p)).toEqual(p);
    expect(points.filter((p) => p.opt === 'lbfgs')).toHaveLength(4);
    expect(points[0]).toEqual({ x: 0, opt: 'sgd', momentum: 0, decay: 0 });
  });

  it('builds a valid grid for a space of every type', () => {
    const points = gridPoints(mixedSpace, 3);
    // lr 3, dropout 3, layers 3, units 3, batch 5, momentum_grid 4, optimizer: sgd 3 + rmsprop 3 + adam (1 + 2 x 2) = 11.
    expect(points).toHaveLength(3 * 3 * 3 * 3 * 5 * 4 * 11);
    for (const p of points.slice(0, 500)) expect(validateAssignment(mixedSpace, p)).toEqual(p);
  });

  it('indexes a grid too large to list, and refuses to list it', () => {
    const space: SearchSpace = { parameters: Array.from({ length: 8 }, (_, i) => ({ name: `x${i}`, type: 'DOUBLE' as const, min: 0, max: 1 })) };
    const grid = createGrid(space, 10);
    expect(grid.size).toBe(1e8);
    expect(grid.at(12345678)).toEqual({ x0: 1 / 9, x1: 2 / 9, x2: 3 / 9, x3: 4 / 9, x4: 5 / 9, x5: 6 / 9, x6: 7 / 9, x7: 8 / 9 });
    expect(() => gridPoints(space, 10)).toThrow(/too large to list/);
    expect(() => grid.at(1e8)).toThrow(RangeError);
  });
});

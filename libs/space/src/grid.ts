/** The grid of GRID_SEARCH: a cartesian product per parameter, with each conditional child expanded
 *  only under the parent values that activate it (so a grid never holds a value of an inactive
 *  parameter, and its size is the number of distinct configurations it covers). */
import { isChildActive } from './active-parameters';
import type { Assignment, ParameterSpec, ParameterValue, SearchSpace } from './types';

/** A grid addressed by index: point i is a mixed-radix number over the top-level parameters' subtrees
 *  (the first parameter most significant). */
export interface Grid {
  /** Number of points (a float: it may exceed 2^53 for huge grids; check before indexing). */
  readonly size: number;
  /** Point `index` (0 <= index < size). */
  at(index: number): Assignment;
}

/** Larger grids cannot be indexed exactly with doubles. */
const MAX_INDEXABLE = Number.MAX_SAFE_INTEGER;
/** gridPoints lists at most this many points; use createGrid(...).at for more. */
const MAX_LISTED_POINTS = 1_000_000;

/** Values a parameter takes on the grid: DOUBLE `resolution` points (log-spaced for LOG), INTEGER every
 *  value if there are at most `resolution`, else `resolution` evenly (or log-) spaced ones, DISCRETE and
 *  CATEGORICAL every value. */
export function gridValues(p: ParameterSpec, resolution: number): ParameterValue[] {
  if (p.type === 'CATEGORICAL') return [...(p.categories as string[])];
  if (p.type === 'DISCRETE') return [...(p.values as number[])];
  const min = p.min as number;
  const max = p.max as number;
  if (p.type === 'INTEGER' && max - min + 1 <= resolution) {
    return Array.from({ length: max - min + 1 }, (_, i) => min + i);
  }
  const spaced = spacedPoints(min, max, resolution, p.scale === 'LOG');
  const values = p.type === 'INTEGER' ? spaced.map((v) => Math.min(max, Math.max(min, Math.round(v)))) : spaced;
  return [...new Set(values)];
}

/** `n` points from min to max inclusive, evenly spaced on a linear or log axis; one point is the centre. */
function spacedPoints(min: number, max: number, n: number, log: boolean): number[] {
  if (min === max) return [min];
  const [a, b] = log ? [Math.log(min), Math.log(max)] : [min, max];
  const at = (t: number): number => {
    const v = log ? Math.exp(a + t * (b - a)) : a + t * (b - a);
    return Math.min(max, Math.max(min, v));
  };
  if (n <= 1) return [at(0.5)];
  return Array.from({ length: n }, (_, i) => (i === 0 ? min : i === n - 1 ? max : at(i / (n - 1))));
}

/** One parameter's subtree of the grid, counted rather than listed: its alternatives are, for each grid
 *  value in order, that value combined with every point of the grids of the children it activates
 *  (mixed radix over the children, the last one fastest). Nothing is materialised, so counting a grid of
 *  10^18 points (to reject it) costs only the sum of the parameters' value counts. */
interface SubtreeGrid {
  size: number;
  branches: { value: ParameterValue; children: SubtreeGrid[]; size: number }[];
  name: string;
}

function subtreeGrid(p: ParameterSpec, resolution: number): SubtreeGrid {
  const branches = gridValues(p, resolution).map((value) => {
    const children = (p.children ?? []).filter((c) => isChildActive(c, value)).map((c) => subtreeGrid(c.parameter, resolution));
    return { value, children, size: children.reduce((n, c) => n * c.size, 1) };
  });
  return { name: p.name, branches, size: branches.reduce((n, b) => n + b.size, 0) };
}

/** Writes alternative `index` of a subtree into `out`. */
function writeSubtreePoint(tree: SubtreeGrid, index: number, out: Assignment): void {
  let rest = index;
  for (const branch of tree.branches) {
    if (rest >= branch.size) {
      rest -= branch.size;
      continue;
    }
    out[tree.name] = branch.value;
    writeMixedRadix(branch.children, rest, out);
    return;
  }
  throw new RangeError(`grid index ${index} is outside subtree "${tree.name}" of size ${tree.size}`);
}

/** Point `index` of the product of several subtrees, the first most significant. */
function writeMixedRadix(trees: SubtreeGrid[], index: number, out: Assignment): void {
  let rest = index;
  for (let k = trees.length - 1; k >= 0; k--) {
    writeSubtreePoint(trees[k], rest % trees[k].size, out);
    rest = Math.floor(rest / trees[k].size);
  }
}

export function createGrid(space: SearchSpace, resolution: number): Grid {
  if (!Number.isInteger(resolution) || resolution < 1) throw new RangeError(`grid resolution must be a positive integer, got ${resolution}`);
  const trees = space.parameters.map((p) => subtreeGrid(p, resolution));
  const size = trees.reduce((n, t) => n * t.size, 1);
  return {
    size,
    at(index: number): Assignment {
      if (size > MAX_INDEXABLE) throw new RangeError(`grid of ${size} points is too large to index exactly`);
      if (!Number.isInteger(index) || index < 0 || index >= size) throw new RangeError(`grid index ${index} is outside [0, ${size})`);
      const out: Assignment = {};
      writeMixedRadix(trees, index, out);
      return orderLike(space, out);
    },
  };
}

/** All grid points, in index order. */
export function gridPoints(space: SearchSpace, resolution: number): Assignment[] {
  const grid = createGrid(space, resolution);
  if (grid.size > MAX_LISTED_POINTS) {
    throw new RangeError(`grid of ${grid.size} points is too large to list (max ${MAX_LISTED_POINTS}); use createGrid(...).at`);
  }
  return Array.from({ length: grid.size }, (_, i) => grid.at(i));
}

/** Keys in the space's depth-first order, for readable output. */
function orderLike(space: SearchSpace, a: Assignment): Assignment {
  const out: Assignment = {};
  const visit = (p: ParameterSpec): void => {
    if (!Object.hasOwn(a, p.name)) return;
    out[p.name] = a[p.name];
    for (const child of p.children ?? []) visit(child.parameter);
  };
  for (const p of space.parameters) visit(p);
  return out;
}

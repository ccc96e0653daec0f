/** GRID_SEARCH: the grid of libs/space walked in a seeded scattered order, skipping configurations the
 *  study already holds; once every grid point is used it returns fewer suggestions (none at the end). */
import { assignmentKey } from '@hpo/space';
import { createGrid } from '@hpo/space';
import { Rng, mixSeed } from '@hpo/space';
import type { SearchSpace } from '@hpo/space';
import type { StudyConfig, Suggestion, SuggestionPolicy } from '../types';
import { usedConfigurationKeys } from './used-configurations';

/** Points per DOUBLE (and per wide INTEGER) when config.grid_resolution is 0. */
export const DEFAULT_GRID_RESOLUTION = 10;
/** Stride of the walk as a fraction of the grid size: the golden ratio keeps successive points far apart
 *  in index (hence in the leading parameters) for any prefix of the walk (Weyl/Kronecker sequence). */
const GOLDEN_FRACTION = (Math.sqrt(5) - 1) / 2;
const GRID_SALT = 0x9a1d;

export function createGridSearchPolicy(config: StudyConfig): SuggestionPolicy {
  const space: SearchSpace = { parameters: config.parameters };
  const resolution = config.gridResolution > 0 ? config.gridResolution : DEFAULT_GRID_RESOLUTION;
  const grid = createGrid(space, resolution);
  const walk = scatteredOrder(grid.size, mixSeed(config.seed, GRID_SALT));
  return {
    name: 'GRID_SEARCH',
    async suggest({ study, count, state = {} }) {
      const used = usedConfigurationKeys(space, study);
      const out: Suggestion[] = [];
      // Each visited point is either new or one of the used ones, so this bound always suffices.
      const steps = Math.min(grid.size, used.size + count);
      for (let k = 0; k < steps && out.length < count; k++) {
        const index = walk(k);
        const parameters = grid.at(index);
        const key = assignmentKey(space, parameters);
        if (used.has(key)) continue;
        used.add(key);
        out.push({ parameters, origin: 'grid', reason: `grid point ${index + 1} of ${grid.size}` });
      }
      return { suggestions: out, state };
    },
  };
}

/** The bijection k -> (a k + c) mod n on [0, n), with a coprime to n near n times the golden ratio and a
 *  seeded offset c: a fixed, seed-dependent order that visits every grid point exactly once. BigInt
 *  because a k can exceed 2^53. */
export function scatteredOrder(n: number, seed: number): (k: number) => number {
  if (n <= 1) return () => 0;
  const size = BigInt(n);
  let a = BigInt(Math.max(1, Math.round(n * GOLDEN_FRACTION)));
  while (gcd(a, size) !== 1n) a += 1n;
  const c = BigInt(Math.floor(new Rng(seed).uniform() * n));
  return (k) => Number((a * BigInt(k) + c) % size);
}

function gcd(x: bigint, y: bigint): bigint {
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

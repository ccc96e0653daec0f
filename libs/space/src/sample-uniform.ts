/** Uniform random configurations: the RANDOM_SEARCH baseline and a fallback for every other policy. */
import { isChildActive } from './active-parameters';
import type { Rng } from './rng';
import type { Assignment, ParameterSpec, ParameterValue, SearchSpace } from './types';

/** One configuration drawn uniformly (log-uniformly for LOG scale), children drawn when active. */
export function sampleUniform(space: SearchSpace, rng: Rng): Assignment {
  const out: Assignment = {};
  const visit = (p: ParameterSpec): void => {
    const value = sampleValue(p, rng);
    out[p.name] = value;
    for (const child of p.children ?? []) if (isChildActive(child, value)) visit(child.parameter);
  };
  for (const p of space.parameters) visit(p);
  return out;
}

function sampleValue(p: ParameterSpec, rng: Rng): ParameterValue {
  switch (p.type) {
    case 'CATEGORICAL': {
      const c = p.categories as string[];
      return c[rng.integer(c.length)];
    }
    case 'DISCRETE': {
      const v = p.values as number[];
      return v[rng.integer(v.length)];
    }
    case 'INTEGER':
      return sampleInteger(p.min as number, p.max as number, p.scale === 'LOG', rng);
    case 'DOUBLE':
      return sampleDouble(p.min as number, p.max as number, p.scale === 'LOG', rng);
  }
}

function sampleDouble(min: number, max: number, log: boolean, rng: Rng): number {
  const u = rng.uniform();
  const v = log ? Math.exp(Math.log(min) + u * (Math.log(max) - Math.log(min))) : min + u * (max - min);
  return Math.min(max, Math.max(min, v));
}

/** LOG integers: log-uniform over [min - 1/2, max + 1/2] then rounded, so each integer gets the mass of
 *  its cell on the log axis (min >= 1 is guaranteed by validation, so min - 1/2 > 0). */
function sampleInteger(min: number, max: number, log: boolean, rng: Rng): number {
  if (!log) return min + rng.integer(max - min + 1);
  const v = Math.round(sampleDouble(min - 0.5, max + 0.5, true, rng));
  return Math.min(max, Math.max(min, v));
}

/** Assignment validation: a configuration coming from a client (AddTrials, completed trials) or from
 *  an algorithm must name only known parameters, give every active one a feasible value and give no
 *  value to an inactive child. */
import { InvalidArgumentError } from './errors';
import { flattenParameters, isChildActive } from './active-parameters';
import type { Assignment, ParameterSpec, ParameterValue, SearchSpace } from './types';

/** Values that differ from a listed DISCRETE value only by float round-off (e.g. after a text round
 *  trip) are snapped to it rather than rejected. */
const DISCRETE_RELATIVE_TOLERANCE = 1e-12;

/** Returns the normalised assignment (active parameters only, in the space's order; INTEGER values as
 *  numbers, DISCRETE values snapped to the listed value). Throws InvalidArgumentError with
 *  `${field}.${name}` as the field. */
export function validateAssignment(space: SearchSpace, assignment: Assignment, field = 'parameters'): Assignment {
  if (!assignment || typeof assignment !== 'object') throw new InvalidArgumentError(field, 'must be an object of parameter values');
  const known = new Set(flattenParameters(space).map((p) => p.name));
  for (const name of Object.keys(assignment)) {
    if (!known.has(name)) {
      throw new InvalidArgumentError(`${field}.${name}`, `unknown parameter (the space has: ${[...known].join(', ')})`);
    }
  }
  // Walk the tree with normalised values so that a parent's canonical value decides its children.
  const normalised: Assignment = {};
  const visit = (p: ParameterSpec): void => {
    const raw = Object.hasOwn(assignment, p.name) ? (assignment[p.name] as unknown) : undefined;
    if (raw === undefined || raw === null) {
      throw new InvalidArgumentError(`${field}.${p.name}`, 'is required (the parameter is active in this configuration)');
    }
    const value = validateValue(p, raw, `${field}.${p.name}`);
    normalised[p.name] = value;
    for (const child of p.children ?? []) if (isChildActive(child, value)) visit(child.parameter);
  };
  for (const p of space.parameters) visit(p);
  for (const [name, value] of Object.entries(assignment)) {
    // An explicit undefined/null is an absent value, as for active parameters above.
    if (value !== undefined && value !== null && !Object.hasOwn(normalised, name)) {
      const parent = parentOf(space, name);
      const parentValue = parent && Object.hasOwn(normalised, parent) ? JSON.stringify(normalised[parent]) : 'unset or inactive';
      throw new InvalidArgumentError(
        `${field}.${name}`,
        `must not be set: this conditional parameter is inactive (its parent ${parent} is ${parentValue})`,
      );
    }
  }
  return normalised;
}

/** The name of the parameter whose children include `name`. */
function parentOf(space: SearchSpace, name: string): string | undefined {
  for (const p of flattenParameters(space)) {
    if ((p.children ?? []).some((c) => c.parameter.name === name)) return p.name;
  }
  return undefined;
}

/** Checks one value against its parameter and returns its canonical form. */
export function validateValue(p: ParameterSpec, raw: unknown, field: string): ParameterValue {
  if (p.type === 'CATEGORICAL') {
    if (typeof raw !== 'string') throw new InvalidArgumentError(field, `must be a string, one of ${(p.categories ?? []).join(', ')} (got ${describe(raw)})`);
    if (!(p.categories ?? []).includes(raw)) {
      throw new InvalidArgumentError(field, `"${raw}" is not one of ${(p.categories ?? []).join(', ')}`);
    }
    return raw;
  }
  const value = toNumber(raw, field);
  if (p.type === 'DISCRETE') {
    const values = p.values ?? [];
    const match = values.find((v) => Math.abs(v - value) <= DISCRETE_RELATIVE_TOLERANCE * Math.max(1, Math.abs(v)));
    if (match === undefined) throw new InvalidArgumentError(field, `${value} is not one of ${values.join(', ')}`);
    return match;
  }
  if (p.type === 'INTEGER' && !Number.isInteger(value)) throw new InvalidArgumentError(field, `must be an integer (got ${value})`);
  const min = p.min as number;
  const max = p.max as number;
  if (value < min || value > max) throw new InvalidArgumentError(field, `${value} is out of range [${min}, ${max}]`);
  return value;
}

/** Numbers must arrive as numbers (int64 may arrive as bigint); never parse strings, never accept NaN. */
function toNumber(raw: unknown, field: string): number {
  if (typeof raw === 'bigint') {
    const n = Number(raw);
    if (!Number.isSafeInteger(n)) throw new InvalidArgumentError(field, `${raw} is too large to represent exactly`);
    return n;
  }
  if (typeof raw !== 'number') throw new InvalidArgumentError(field, `must be a number (got ${describe(raw)})`);
  if (!Number.isFinite(raw)) throw new InvalidArgumentError(field, `must be a finite number (got ${raw})`);
  return raw;
}

function describe(raw: unknown): string {
  return typeof raw === 'string' ? `string "${raw}"` : `${typeof raw} ${String(raw)}`;
}

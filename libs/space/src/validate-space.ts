/** Search-space validation: every rule a space must satisfy before anything samples from it. Field
 *  paths use the wire names of hpo.v1.ParameterSpec so a person can find the offending field. */
import { InvalidArgumentError } from './errors';
import type { ParameterSpec, SearchSpace } from './types';

const TYPES = ['DOUBLE', 'INTEGER', 'DISCRETE', 'CATEGORICAL'] as const;
/** Names travel in URLs, CSV headers and LLM prompts: keep them to identifier-like characters. */
const NAME_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.:\-/]*$/;
const MAX_NAME_LENGTH = 128;

/** Throws InvalidArgumentError naming the first offending field and the rule it breaks. */
export function validateSpace(space: SearchSpace, field = 'config.parameters'): void {
  if (!space || !Array.isArray(space.parameters) || space.parameters.length === 0) {
    throw new InvalidArgumentError(field, 'must contain at least one parameter');
  }
  const seen = new Map<string, string>();
  space.parameters.forEach((p, i) => validateParameter(p, `${field}[${i}]`, seen));
}

function validateParameter(p: ParameterSpec, field: string, seen: Map<string, string>): void {
  if (!p || typeof p !== 'object') throw new InvalidArgumentError(field, 'is required');
  validateName(p.name, `${field}.name`, seen);
  if (!TYPES.includes(p.type)) {
    throw new InvalidArgumentError(`${field}.type`, `must be one of ${TYPES.join(', ')} (got ${String(p.type)})`);
  }
  if (p.scale !== undefined && p.scale !== 'LINEAR' && p.scale !== 'LOG') {
    throw new InvalidArgumentError(`${field}.scale`, `must be LINEAR or LOG (got ${String(p.scale)})`);
  }
  if (p.type === 'DOUBLE' || p.type === 'INTEGER') validateBounds(p, field);
  else if (p.type === 'DISCRETE') validateDiscreteValues(p, field);
  else validateCategories(p, field);
  validateUnusedLists(p, field);
  if (p.prior !== undefined) validatePrior(p, field);
  (p.children ?? []).forEach((child, j) => {
    const childField = `${field}.children[${j}]`;
    validateChildCondition(p, child.parentValues, child.parentCategories, childField);
    if (!child.parameter) throw new InvalidArgumentError(`${childField}.parameter`, 'is required');
    validateParameter(child.parameter, `${childField}.parameter`, seen);
  });
}

function validateName(name: unknown, field: string, seen: Map<string, string>): void {
  if (typeof name !== 'string' || name.length === 0) throw new InvalidArgumentError(field, 'must be a non-empty string');
  if (name.length > MAX_NAME_LENGTH) {
    throw new InvalidArgumentError(field, `must be at most ${MAX_NAME_LENGTH} characters`);
  }
  if (!NAME_PATTERN.test(name)) {
    throw new InvalidArgumentError(
      field,
      `"${name}" must start with a letter, digit or underscore and contain only letters, digits and _ . : - /`,
    );
  }
  const earlier = seen.get(name);
  if (earlier !== undefined) {
    throw new InvalidArgumentError(field, `duplicate parameter name "${name}" (already used at ${earlier})`);
  }
  seen.set(name, field);
}

function validateBounds(p: ParameterSpec, field: string): void {
  for (const [key, value] of [['min_value', p.min], ['max_value', p.max]] as const) {
    if (value === undefined) {
      throw new InvalidArgumentError(`${field}.${key}`, `is required for ${p.type} parameters`);
    }
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new InvalidArgumentError(`${field}.${key}`, `must be a finite number for ${p.type} parameters (got ${String(value)})`);
    }
    if (p.type === 'INTEGER' && !Number.isInteger(value)) {
      throw new InvalidArgumentError(`${field}.${key}`, `must be an integer for INTEGER parameters (got ${value})`);
    }
  }
  const min = p.min as number;
  const max = p.max as number;
  if (min > max) throw new InvalidArgumentError(`${field}.max_value`, `must be >= min_value (${max} < ${min})`);
  if (p.scale === 'LOG' && min <= 0) {
    throw new InvalidArgumentError(`${field}.min_value`, `must be > 0 for LOG scale (got ${min})`);
  }
}

function validateDiscreteValues(p: ParameterSpec, field: string): void {
  const f = `${field}.discrete_values`;
  const values = p.values;
  if (!Array.isArray(values) || values.length === 0) throw new InvalidArgumentError(f, 'must list at least one value');
  values.forEach((v, i) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new InvalidArgumentError(`${f}[${i}]`, `must be a finite number (got ${String(v)})`);
    }
    if (i > 0 && v === values[i - 1]) throw new InvalidArgumentError(`${f}[${i}]`, `must be distinct (${v} is repeated)`);
    if (i > 0 && v < values[i - 1]) {
      throw new InvalidArgumentError(`${f}[${i}]`, `must be in ascending order (${v} after ${values[i - 1]})`);
    }
  });
  if (p.scale === 'LOG' && values[0] <= 0) {
    throw new InvalidArgumentError(`${f}[0]`, `must be > 0 for LOG scale (got ${values[0]})`);
  }
}

function validateCategories(p: ParameterSpec, field: string): void {
  const f = `${field}.categories`;
  const categories = p.categories;
  if (!Array.isArray(categories) || categories.length === 0) {
    throw new InvalidArgumentError(f, 'must list at least one category');
  }
  const seen = new Set<string>();
  categories.forEach((c, i) => {
    if (typeof c !== 'string' || c.length === 0) throw new InvalidArgumentError(`${f}[${i}]`, 'must be a non-empty string');
    if (seen.has(c)) throw new InvalidArgumentError(`${f}[${i}]`, `must be distinct ("${c}" is repeated)`);
    seen.add(c);
  });
  if (p.scale === 'LOG') throw new InvalidArgumentError(`${field}.scale`, 'LOG scale is not allowed for CATEGORICAL parameters');
}

/** A list that belongs to another type is almost always a mistake (e.g. categories on a DOUBLE). */
function validateUnusedLists(p: ParameterSpec, field: string): void {
  if (p.type !== 'DISCRETE' && (p.values ?? []).length > 0) {
    throw new InvalidArgumentError(`${field}.discrete_values`, `must be empty for ${p.type} parameters`);
  }
  if (p.type !== 'CATEGORICAL' && (p.categories ?? []).length > 0) {
    throw new InvalidArgumentError(`${field}.categories`, `must be empty for ${p.type} parameters`);
  }
}

function validateChildCondition(
  parent: ParameterSpec,
  parentValues: number[] | undefined,
  parentCategories: string[] | undefined,
  field: string,
): void {
  if (parent.type === 'DOUBLE') {
    throw new InvalidArgumentError(
      field,
      'DOUBLE parameters cannot have conditional children (a child needs exact parent values: use INTEGER, DISCRETE or CATEGORICAL)',
    );
  }
  const values = parentValues ?? [];
  const categories = parentCategories ?? [];
  if (parent.type === 'CATEGORICAL') {
    if (values.length > 0) {
      throw new InvalidArgumentError(`${field}.parent_values`, 'must be empty under a CATEGORICAL parent (use parent_categories)');
    }
    if (categories.length === 0) {
      throw new InvalidArgumentError(`${field}.parent_categories`, 'must list at least one of the parent\'s categories');
    }
    categories.forEach((c, i) => {
      if (!(parent.categories ?? []).includes(c)) {
        throw new InvalidArgumentError(
          `${field}.parent_categories[${i}]`,
          `"${String(c)}" is not a category of parent "${parent.name}" (${(parent.categories ?? []).join(', ')})`,
        );
      }
    });
    return;
  }
  if (categories.length > 0) {
    throw new InvalidArgumentError(`${field}.parent_categories`, `must be empty under a ${parent.type} parent (use parent_values)`);
  }
  if (values.length === 0) {
    throw new InvalidArgumentError(`${field}.parent_values`, 'must list at least one of the parent\'s feasible values');
  }
  values.forEach((v, i) => {
    const feasible =
      parent.type === 'INTEGER'
        ? Number.isInteger(v) && v >= (parent.min as number) && v <= (parent.max as number)
        : (parent.values ?? []).includes(v);
    if (!feasible) {
      const range =
        parent.type === 'INTEGER' ? `an integer in [${parent.min}, ${parent.max}]` : `one of ${(parent.values ?? []).join(', ')}`;
      throw new InvalidArgumentError(
        `${field}.parent_values[${i}]`,
        `${String(v)} is not a feasible value of parent "${parent.name}" (must be ${range})`,
      );
    }
  });
}

/** A prior's centre lies in the parameter's range (a LOG parameter's above 0 with it), its width in
 *  (0, 1]; categorical priors are not supported. */
function validatePrior(p: ParameterSpec, field: string): void {
  const prior = p.prior!;
  if (p.type === 'CATEGORICAL') throw new InvalidArgumentError(`${field}.prior`, 'applies to DOUBLE, INTEGER and DISCRETE parameters, not CATEGORICAL');
  const lo = p.type === 'DISCRETE' ? p.values![0] : p.min!;
  const hi = p.type === 'DISCRETE' ? p.values![p.values!.length - 1] : p.max!;
  if (typeof prior.center !== 'number' || !Number.isFinite(prior.center) || prior.center < lo || prior.center > hi) {
    throw new InvalidArgumentError(`${field}.prior.center`, `must be a finite number within [${lo}, ${hi}] (got ${String(prior.center)})`);
  }
  if (prior.width !== undefined && (typeof prior.width !== 'number' || !(prior.width > 0 && prior.width <= 1))) {
    throw new InvalidArgumentError(`${field}.prior.width`, `must be in (0, 1], a fraction of the range (got ${String(prior.width)})`);
  }
}

/** One proposed configuration checked against the space, parameter by parameter:
 *  - DOUBLE: a finite number, clamped into [min, max] (or rejected, by option);
 *  - INTEGER: a finite number, rounded to the nearest integer, then clamped;
 *  - DISCRETE: a finite number, snapped to the nearest allowed value (clamping in effect);
 *  - CATEGORICAL: exactly one of the categories;
 *  - a wrong type (a string for a number, a number for a category, null, an object) rejects the
 *    configuration, as does a missing parameter that is active;
 *  - parameters the space does not have, and children their parent's value switches off, are dropped.
 *  Numeric strings are refused on purpose: a model that writes "0.1" for a number is not following
 *  the schema, and guessing is how "1e-3" becomes 1. */
import type { Assignment, ParameterSpec, ParameterValue } from '@hpo/space';
import { allParameters, isChildActive } from './space-walk';

export type OutOfRangePolicy = 'clamp' | 'reject';

export type CoercedCandidate =
  | { ok: true; assignment: Assignment; notes: string[] }
  | { ok: false; reason: string };

function coerceValue(
  p: ParameterSpec,
  raw: unknown,
  outOfRange: OutOfRangePolicy,
  notes: string[],
): { ok: true; value: ParameterValue } | { ok: false; reason: string } {
  if (p.type === 'CATEGORICAL') {
    if (typeof raw !== 'string') return { ok: false, reason: `${p.name}: expected one of the categories, got ${typeName(raw)}` };
    if (!(p.categories ?? []).includes(raw)) return { ok: false, reason: `${p.name}: "${raw.slice(0, 40)}" is not one of the categories` };
    return { ok: true, value: raw };
  }
  if (typeof raw !== 'number') return { ok: false, reason: `${p.name}: expected a number, got ${typeName(raw)}` };
  if (!Number.isFinite(raw)) return { ok: false, reason: `${p.name}: expected a finite number` };
  if (p.type === 'DISCRETE') {
    const values = p.values ?? [];
    let nearest = values[0];
    for (const v of values) if (Math.abs(v - raw) < Math.abs(nearest - raw)) nearest = v;
    if (nearest !== raw) {
      if (outOfRange === 'reject' && (raw < values[0] || raw > values[values.length - 1])) {
        return { ok: false, reason: `${p.name}: ${raw} is outside the allowed values` };
      }
      notes.push(`${p.name}: ${raw} snapped to ${nearest}`);
    }
    return { ok: true, value: nearest };
  }
  const min = p.min as number;
  const max = p.max as number;
  let value = p.type === 'INTEGER' ? Math.round(raw) : raw;
  if (value < min || value > max) {
    if (outOfRange === 'reject') return { ok: false, reason: `${p.name}: ${raw} is outside [${min}, ${max}]` };
    const clamped = Math.min(max, Math.max(min, value));
    notes.push(`${p.name}: ${raw} clamped to ${clamped}`);
    value = clamped;
  }
  return { ok: true, value };
}

function typeName(raw: unknown): string {
  if (raw === null) return 'null';
  if (Array.isArray(raw)) return 'an array';
  return typeof raw === 'string' ? `the string ${JSON.stringify(raw.slice(0, 40))}` : `a ${typeof raw}`;
}

export function coerceCandidate(
  parameters: ParameterSpec[],
  raw: unknown,
  outOfRange: OutOfRangePolicy = 'clamp',
): CoercedCandidate {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { ok: false, reason: `a configuration must be a JSON object, got ${typeName(raw)}` };
  }
  const input = raw as Record<string, unknown>;
  const assignment: Assignment = {};
  const notes: string[] = [];
  const visit = (p: ParameterSpec): string | undefined => {
    if (!Object.hasOwn(input, p.name) || input[p.name] === undefined) return `${p.name}: missing`;
    const coerced = coerceValue(p, input[p.name], outOfRange, notes);
    if (!coerced.ok) return coerced.reason;
    assignment[p.name] = coerced.value;
    for (const child of p.children ?? []) {
      if (isChildActive(child, coerced.value)) {
        const failure = visit(child.parameter);
        if (failure) return failure;
      }
    }
    return undefined;
  };
  for (const p of parameters) {
    const failure = visit(p);
    if (failure) return { ok: false, reason: failure };
  }
  const known = new Set(allParameters(parameters).map((p) => p.name));
  const dropped = Object.keys(input).filter((k) => !Object.hasOwn(assignment, k));
  const unknown = dropped.filter((k) => !known.has(k));
  if (unknown.length > 0) notes.push(`dropped unknown parameter(s) ${unknown.slice(0, 5).join(', ')}`);
  if (dropped.length > unknown.length) notes.push(`dropped inactive parameter(s) ${dropped.filter((k) => known.has(k)).join(', ')}`);
  return { ok: true, assignment, notes };
}

/** A canonical key for de-duplication: parameters in sorted order, numbers to 10 significant digits
 *  (two proposals that differ beyond that are the same trial to any model). */
export function candidateKey(assignment: Assignment): string {
  return JSON.stringify(
    Object.keys(assignment)
      .sort()
      .map((k) => {
        const v = assignment[k];
        return [k, typeof v === 'number' ? Number(v.toPrecision(10)) : v];
      }),
  );
}

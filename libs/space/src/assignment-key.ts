/** A canonical string per configuration, for de-duplicating suggestions against existing trials. */
import { activeParameters } from './active-parameters';
import type { Assignment, SearchSpace } from './types';

/** Digits kept: enough to tell apart any two values a person or an optimiser means to be different,
 *  few enough that float round-off (e.g. exp(log(x))) does not. */
const SIGNIFICANT_DIGITS = 12;

/** "name=value" pairs of the active parameters, sorted by name; numbers rounded to 12 significant
 *  digits, strings JSON-quoted (so "1" and 1 differ). Keys of inactive parameters are ignored. */
export function assignmentKey(space: SearchSpace, assignment: Assignment): string {
  return activeParameters(space, assignment)
    .map((p) => p.name)
    .sort()
    .map((name) => `${name}=${formatValue(assignment[name])}`)
    .join('&');
}

function formatValue(raw: unknown): string {
  // int64 values may arrive as bigint before validation; JSON.stringify would throw on them.
  const v = typeof raw === 'bigint' ? Number(raw) : raw;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return String(v);
    // Number(...) drops trailing zeros and maps -0 to 0.
    return String(Number(v.toPrecision(SIGNIFICANT_DIGITS)) + 0);
  }
  return JSON.stringify(v);
}

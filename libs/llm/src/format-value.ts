/** Numbers as the prompt shows them. LLAMBO rounds the few-shot examples to the precision of the
 *  space; shorter numbers cost fewer tokens and are easier for a model to compare. */
import type { ParameterSpec, ParameterValue } from '@hpo/space';

/** Significant digits of a DOUBLE in a prompt: 4 on a linear scale (0.01 % of the range is below any
 *  tuning resolution people care about), 3 on a log scale (a factor of 1.001). */
const LINEAR_DIGITS = 4;
const LOG_DIGITS = 3;
/** Objective values keep 6 significant digits, as LLAMBO's serialisation does ('%.6f'). */
const OBJECTIVE_DIGITS = 6;

export function roundSignificant(x: number, digits: number): number {
  if (x === 0 || !Number.isFinite(x)) return x;
  return Number(x.toPrecision(digits));
}

export function formatParameterValue(spec: ParameterSpec | undefined, value: ParameterValue): ParameterValue {
  if (typeof value === 'string' || !spec || spec.type !== 'DOUBLE') return value;
  return roundSignificant(value, spec.scale === 'LOG' ? LOG_DIGITS : LINEAR_DIGITS);
}

export function formatObjective(value: number): string {
  return String(roundSignificant(value, OBJECTIVE_DIGITS));
}

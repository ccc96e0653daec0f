/** Reading and comparing the objective (the first metric). */
import type { Measurement, StudyConfig } from './types';

/** The objective metric's value, or undefined when the measurement does not carry a finite one. */
export function objectiveValue(config: StudyConfig, measurement: Measurement | undefined): number | undefined {
  const v = measurement?.metrics[config.metrics[0].name];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** Whether objective value `a` is strictly better than `b` under the objective's goal. */
export function isBetter(config: StudyConfig, a: number, b: number): boolean {
  return config.metrics[0].goal === 'MAXIMIZE' ? a > b : a < b;
}

/** Measurement validation for ReportIntermediate, CompleteTrial and AddTrials. */
import { InvalidArgumentError } from '@hpo/space';
import type { Measurement, StudyConfig } from './types';

export interface MeasurementRules {
  /** A final measurement must carry every configured metric (all are objectives: one decides the best
   *  trial, several the Pareto set). Intermediate ones may carry any subset. */
  final?: boolean;
}

export function validateMeasurement(
  config: StudyConfig,
  measurement: Measurement,
  field = 'measurement',
  rules: MeasurementRules = {},
): void {
  if (!measurement || typeof measurement !== 'object') throw new InvalidArgumentError(field, 'is required');
  const { step, elapsedSeconds, metrics } = measurement;
  if (typeof step !== 'number' || !Number.isSafeInteger(step) || step < 0) {
    throw new InvalidArgumentError(`${field}.step`, `must be an integer >= 0 (got ${String(step)})`);
  }
  // max_step is the last step of every trial: a report past it is a mistake, and would stretch the
  // learning-curve models' time axis for every other trial.
  const maxStep = config.earlyStopping?.maxStep ?? 0;
  if (maxStep > 0 && step > maxStep) {
    throw new InvalidArgumentError(`${field}.step`, `must be at most the study's early_stopping.max_step ${maxStep} (got ${step})`);
  }
  if (typeof elapsedSeconds !== 'number' || !Number.isFinite(elapsedSeconds) || elapsedSeconds < 0) {
    throw new InvalidArgumentError(`${field}.elapsed_seconds`, `must be a finite number >= 0 (got ${String(elapsedSeconds)})`);
  }
  if (!metrics || typeof metrics !== 'object') throw new InvalidArgumentError(`${field}.metrics`, 'is required');
  const known = config.metrics.map((m) => m.name);
  for (const [name, value] of Object.entries(metrics)) {
    if (!known.includes(name)) {
      throw new InvalidArgumentError(`${field}.metrics.${name}`, `unknown metric (the study has: ${known.join(', ')})`);
    }
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new InvalidArgumentError(`${field}.metrics.${name}`, `must be a finite number (got ${String(value)})`);
    }
  }
  if (rules.final) {
    for (const name of known) {
      if (!Object.hasOwn(metrics, name)) {
        throw new InvalidArgumentError(`${field}.metrics.${name}`, 'is required in a final measurement');
      }
    }
  }
}

import type { Measurement } from '@hpo/core';

/** Same step, elapsed time and metric values: a re-sent completion, not a different one. */
export function sameMeasurement(a: Measurement | undefined, b: Measurement | undefined): boolean {
  if (!a || !b) return a === b;
  if (a.step !== b.step || a.elapsedSeconds !== b.elapsedSeconds) return false;
  const ka = Object.keys(a.metrics);
  if (ka.length !== Object.keys(b.metrics).length) return false;
  return ka.every((k) => Object.hasOwn(b.metrics, k) && b.metrics[k] === a.metrics[k]);
}

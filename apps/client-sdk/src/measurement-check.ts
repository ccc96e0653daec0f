/** Checks a measurement against the study's metrics before it is sent, so that a bad value (NaN, an
 *  infinity, a metric the study does not have) fails that one trial instead of coming back as
 *  INVALID_ARGUMENT and ending the optimize loop. The server applies the same rules. */

/** Why `metrics` cannot be sent, or undefined when they can. `final`: every metric is required. */
export function measurementProblem(metrics: Record<string, number>, known: string[], final: boolean): string | undefined {
  if (metrics === null || typeof metrics !== 'object') return `the metrics must be an object of numbers (got ${String(metrics)})`;
  for (const [name, value] of Object.entries(metrics)) {
    if (!known.includes(name)) return `unknown metric "${name}" (the study has: ${known.join(', ')})`;
    if (typeof value !== 'number' || !Number.isFinite(value)) return `metric "${name}" is ${String(value)}, not a finite number`;
  }
  if (final) {
    const missing = known.filter((name) => !Object.hasOwn(metrics, name));
    if (missing.length > 0) return `the final measurement lacks metric(s) ${missing.join(', ')}`;
  }
  return undefined;
}

/** Output standardisation: the GP models (y − offset) / scale so that its priors (unit signal variance,
 *  zero mean) fit any metric's scale, from 1e-12 to 1e12. A constant or single observation gets scale 1
 *  (there is no spread to learn from, and dividing by zero would make NaN). */
export interface OutputTransform {
  offset: number;
  scale: number;
}

export function fitOutputTransform(y: ArrayLike<number>): OutputTransform {
  const n = y.length;
  if (n === 0) return { offset: 0, scale: 1 };
  let mean = 0;
  for (let i = 0; i < n; i++) mean += y[i];
  mean /= n;
  let sq = 0;
  for (let i = 0; i < n; i++) sq += (y[i] - mean) * (y[i] - mean);
  const std = n > 1 ? Math.sqrt(sq / (n - 1)) : 0;
  // A spread below double-precision resolution of the mean is no spread at all.
  const resolution = Math.abs(mean) * 1e-14;
  return { offset: mean, scale: std > resolution && Number.isFinite(std) && std > 0 ? std : 1 };
}

export function standardize(y: ArrayLike<number>, t: OutputTransform): Float64Array {
  const out = new Float64Array(y.length);
  for (let i = 0; i < y.length; i++) out[i] = (y[i] - t.offset) / t.scale;
  return out;
}

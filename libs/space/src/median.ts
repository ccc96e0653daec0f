/** The median of a sample (the mean of the two middle values when the count is even), shared by every
 *  lib and the benches: output warping, the warm-start gate, median stopping, paired comparisons. NaN for
 *  an empty sample. */
export function median(values: ArrayLike<number>): number {
  const s = Array.from(values).sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

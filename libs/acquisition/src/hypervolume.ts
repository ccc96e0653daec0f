/** The hypervolume indicator: the volume dominated by a set of points and bounded below by a reference
 *  point, every coordinate larger-is-better (Zitzler & Thiele 1999). Exact, by slicing along the last
 *  objective (HSO, While, Hingston, Barone & Huband 2006): O(n^(m−1)) for m objectives, which is
 *  milliseconds for the few hundred points and 2–4 objectives a study has. */

/** Hypervolume of `points` (each of length m) above `reference` (length m). Points that do not strictly
 *  dominate the reference add nothing. */
export function hypervolume(points: ArrayLike<number>[], reference: ArrayLike<number>): number {
  const m = reference.length;
  const inside = points.filter((p) => {
    for (let i = 0; i < m; i++) if (!(p[i] > reference[i])) return false;
    return true;
  });
  return slice(inside.map((p) => Array.from({ length: m }, (_, i) => p[i])), Array.from(reference), m);
}

function slice(points: number[][], reference: number[], m: number): number {
  if (points.length === 0) return 0;
  if (m === 1) return Math.max(...points.map((p) => p[0])) - reference[0];
  if (m === 2) return sweep2d(points, reference);
  // Sweep the last coordinate from the top: between consecutive levels, the cross-section is the
  // (m−1)-dimensional hypervolume of every point at or above the upper level.
  const sorted = [...points].sort((a, b) => b[m - 1] - a[m - 1]);
  let volume = 0;
  for (let k = 0; k < sorted.length; k++) {
    const top = sorted[k][m - 1];
    const bottom = k + 1 < sorted.length ? sorted[k + 1][m - 1] : reference[m - 1];
    if (top <= bottom) continue;
    volume += (top - bottom) * slice(sorted.slice(0, k + 1), reference, m - 1);
  }
  return volume;
}

/** Two objectives: sort by the first descending and add the staircase's steps. */
function sweep2d(points: number[][], reference: number[]): number {
  const sorted = [...points].sort((a, b) => b[0] - a[0] || b[1] - a[1]);
  let volume = 0;
  let height = reference[1];
  for (const p of sorted) {
    if (p[1] <= height) continue;
    volume += (p[0] - reference[0]) * (p[1] - height);
    height = p[1];
  }
  return volume;
}

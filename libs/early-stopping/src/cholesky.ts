/** Dense Cholesky factorisation and triangular solves on row-major Float64Arrays: the per-curve and
 *  per-study matrices here are small (tens of rows), so a plain loop beats allocating ml-matrix objects
 *  in the marginal-likelihood inner loop. */

/** Lower-triangular L with A = L Lᵀ, or null when A is not numerically positive definite. */
export function cholesky(a: Float64Array, n: number): Float64Array | null {
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j];
    for (let k = 0; k < j; k++) d -= l[j * n + k] * l[j * n + k];
    if (!(d > 0) || !Number.isFinite(d)) return null;
    const ljj = Math.sqrt(d);
    l[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j];
      for (let k = 0; k < j; k++) s -= l[i * n + k] * l[j * n + k];
      l[i * n + j] = s / ljj;
    }
  }
  return l;
}

/** Solves L z = b (forward substitution). */
export function solveLower(l: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[i * n + k] * z[k];
    z[i] = s / l[i * n + i];
  }
  return z;
}

/** Solves Lᵀ x = z (back substitution). */
export function solveUpper(l: Float64Array, n: number, z: ArrayLike<number>): Float64Array {
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = z[i];
    for (let k = i + 1; k < n; k++) s -= l[k * n + i] * x[k];
    x[i] = s / l[i * n + i];
  }
  return x;
}

/** Solves (L Lᵀ) x = b. */
export function choleskySolve(l: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  return solveUpper(l, n, solveLower(l, n, b));
}

/** log |L Lᵀ| = 2 Σ log L_ii. */
export function choleskyLogDet(l: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.log(l[i * n + i]);
  return 2 * s;
}

/** Cholesky with escalating diagonal jitter (1e-10 … 1e-4 of the mean diagonal), as GP codes do for
 *  matrices that are positive definite in exact arithmetic but not in floating point. */
export function choleskyWithJitter(a: Float64Array, n: number): Float64Array | null {
  const direct = cholesky(a, n);
  if (direct) return direct;
  let meanDiag = 0;
  for (let i = 0; i < n; i++) meanDiag += a[i * n + i] / n;
  for (let jitter = 1e-10; jitter <= 1e-4; jitter *= 10) {
    const b = Float64Array.from(a);
    for (let i = 0; i < n; i++) b[i * n + i] += jitter * Math.max(meanDiag, 1e-300);
    const l = cholesky(b, n);
    if (l) return l;
  }
  return null;
}

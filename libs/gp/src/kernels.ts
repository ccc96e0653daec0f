/** Stationary ARD kernels on the unit-cube encoding, written as functions of the scaled squared distance
 *  s = Σ_i (x_i − x'_i)² / ℓ_i², so that one derivative dk/ds gives every gradient by the chain rule:
 *    ∂k/∂log ℓ_i = dk/ds · (−2 Δ_i² / ℓ_i²),   ∂k/∂x_i = dk/ds · (2 Δ_i / ℓ_i²).
 *  Rasmussen & Williams 2006, eq. 4.9 (squared exponential) and eq. 4.17 (Matérn ν = 5/2). */

export type KernelName = 'MATERN52' | 'SQUARED_EXPONENTIAL';

const SQRT5 = Math.sqrt(5);

/** k(s)/σ² for unit signal variance. */
export function kernelOfSquaredDistance(kernel: KernelName, s: number): number {
  if (kernel === 'MATERN52') {
    const r = Math.sqrt(s);
    return (1 + SQRT5 * r + (5 / 3) * s) * Math.exp(-SQRT5 * r);
  }
  return Math.exp(-0.5 * s);
}

/** d(k/σ²)/ds. For Matérn-5/2: k = (1 + √5 r + 5r²/3) e^{−√5 r}, dk/dr = −(5/3) r (1 + √5 r) e^{−√5 r},
 *  and dk/ds = dk/dr / (2r) = −(5/6)(1 + √5 r) e^{−√5 r}, finite at r = 0 (the kernel is twice
 *  differentiable there). */
export function kernelDerivativeOfSquaredDistance(kernel: KernelName, s: number): number {
  if (kernel === 'MATERN52') {
    const r = Math.sqrt(s);
    return -(5 / 6) * (1 + SQRT5 * r) * Math.exp(-SQRT5 * r);
  }
  return -0.5 * Math.exp(-0.5 * s);
}

/** Scaled squared distance between row i of a (n×d) and point b (offset bOffset in its array). */
export function scaledSquaredDistance(
  a: Float64Array, aOffset: number, b: ArrayLike<number>, bOffset: number, inverseSquaredLengthscales: Float64Array,
): number {
  let s = 0;
  for (let k = 0; k < inverseSquaredLengthscales.length; k++) {
    const delta = a[aOffset + k] - b[bOffset + k];
    s += delta * delta * inverseSquaredLengthscales[k];
  }
  return s;
}

/** The n×n matrix σ² k(x_i, x_j) (row-major, symmetric) and, for the likelihood gradient, the matrix of
 *  scaled squared distances. Kernel branches are hoisted out of the O(n² d) loop. */
export function kernelMatrix(
  kernel: KernelName, x: Float64Array, n: number, inverseSquaredLengthscales: Float64Array, signalVariance: number,
  squaredDistancesOut?: Float64Array,
): Float64Array {
  const d = inverseSquaredLengthscales.length;
  const k = new Float64Array(n * n);
  const s = squaredDistancesOut ?? new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const io = i * d;
    for (let j = 0; j < i; j++) {
      const jo = j * d;
      let sum = 0;
      for (let c = 0; c < d; c++) {
        const delta = x[io + c] - x[jo + c];
        sum += delta * delta * inverseSquaredLengthscales[c];
      }
      s[i * n + j] = sum;
    }
  }
  const matern = kernel === 'MATERN52';
  for (let i = 0; i < n; i++) {
    const row = i * n;
    k[row + i] = signalVariance;
    s[row + i] = 0;
    for (let j = 0; j < i; j++) {
      const sq = s[row + j];
      let v: number;
      if (matern) {
        const r = Math.sqrt(sq);
        v = signalVariance * (1 + SQRT5 * r + (5 / 3) * sq) * Math.exp(-SQRT5 * r);
      } else {
        v = signalVariance * Math.exp(-0.5 * sq);
      }
      k[row + j] = v;
      k[j * n + i] = v;
      s[j * n + i] = sq;
    }
  }
  return k;
}

/** σ² k(x_i, q) for every training row x_i and one query point q. */
export function crossCovariance(
  kernel: KernelName, x: Float64Array, n: number, q: ArrayLike<number>, qOffset: number,
  inverseSquaredLengthscales: Float64Array, signalVariance: number, out: Float64Array = new Float64Array(n),
): Float64Array {
  const d = inverseSquaredLengthscales.length;
  for (let i = 0; i < n; i++) {
    out[i] = signalVariance * kernelOfSquaredDistance(kernel, scaledSquaredDistance(x, i * d, q, qOffset, inverseSquaredLengthscales));
  }
  return out;
}

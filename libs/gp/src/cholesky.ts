/** Cholesky factorisation of a symmetric positive (semi-)definite matrix, with jitter escalation so that
 *  a near-singular kernel matrix (duplicated points, tiny noise) still factors: the GP then behaves as if
 *  its noise were a little larger, which is the standard remedy (GPyTorch's psd_safe_cholesky, Rasmussen
 *  & Williams 2006 §A.4). Matrices are n×n row-major Float64Arrays; only the lower triangle is read. */

/** Relative jitters tried in turn, as multiples of the mean diagonal: GPyTorch starts at 1e-8 (float64)
 *  and multiplies by 10; we go further because a policy must answer, never throw. */
const RELATIVE_JITTERS = [0, 1e-10, 1e-9, 1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1];

export interface CholeskyFactor {
  /** Lower-triangular factor L (row-major n×n, upper triangle zero) with L Lᵀ = A + jitter·I. */
  lower: Float64Array;
  n: number;
  /** The absolute jitter that was added to the diagonal (0 when A factored as given). */
  jitter: number;
}

/** Factors A + jitter·I = L Lᵀ with the smallest jitter that works. Never throws: if no jitter helps
 *  (e.g. non-finite entries) it returns the diagonal factor of max(diag, tiny), a model that believes
 *  every point independent, which is harmless for acquisition. */
export function choleskyWithJitter(a: Float64Array, n: number): CholeskyFactor {
  let meanDiagonal = 0;
  for (let i = 0; i < n; i++) meanDiagonal += a[i * n + i];
  meanDiagonal = n > 0 && meanDiagonal > 0 && Number.isFinite(meanDiagonal) ? meanDiagonal / n : 1;
  const lower = new Float64Array(n * n);
  for (const relative of RELATIVE_JITTERS) {
    const jitter = relative * meanDiagonal;
    if (choleskyInto(a, n, jitter, lower)) return { lower, n, jitter };
  }
  lower.fill(0);
  for (let i = 0; i < n; i++) {
    const d = a[i * n + i];
    lower[i * n + i] = Math.sqrt(Number.isFinite(d) && d > 1e-12 ? d : meanDiagonal);
  }
  return { lower, n, jitter: Number.NaN };
}

/** Crout-style row Cholesky: the inner products run over contiguous row prefixes, which is what V8
 *  vectorises best. Returns false when a pivot is not positive and finite. */
function choleskyInto(a: Float64Array, n: number, jitter: number, lower: Float64Array): boolean {
  for (let i = 0; i < n; i++) {
    const rowI = i * n;
    for (let j = 0; j <= i; j++) {
      const rowJ = j * n;
      let sum = a[rowI + j];
      for (let k = 0; k < j; k++) sum -= lower[rowI + k] * lower[rowJ + k];
      if (i === j) {
        sum += jitter;
        if (!(sum > 0) || !Number.isFinite(sum)) return false;
        lower[rowI + i] = Math.sqrt(sum);
      } else {
        lower[rowI + j] = sum / lower[rowJ + j];
      }
    }
    for (let j = i + 1; j < n; j++) lower[rowI + j] = 0;
  }
  return true;
}

/** Solves L z = b in place (forward substitution). */
export function solveLowerInPlace(lower: Float64Array, n: number, b: Float64Array): Float64Array {
  for (let i = 0; i < n; i++) {
    const row = i * n;
    let sum = b[i];
    for (let k = 0; k < i; k++) sum -= lower[row + k] * b[k];
    b[i] = sum / lower[row + i];
  }
  return b;
}

/** Solves Lᵀ z = b in place (back substitution). */
export function solveUpperTransposedInPlace(lower: Float64Array, n: number, b: Float64Array): Float64Array {
  for (let i = n - 1; i >= 0; i--) {
    b[i] /= lower[i * n + i];
    const bi = b[i];
    const row = i * n;
    for (let k = 0; k < i; k++) b[k] -= lower[row + k] * bi;
  }
  return b;
}

/** (L Lᵀ)⁻¹ b, a copy. */
export function choleskySolve(factor: CholeskyFactor, b: ArrayLike<number>): Float64Array {
  const z = Float64Array.from(b);
  solveLowerInPlace(factor.lower, factor.n, z);
  return solveUpperTransposedInPlace(factor.lower, factor.n, z);
}

/** (L Lᵀ)⁻¹ as a full symmetric matrix: L⁻¹ by forward substitution, then L⁻ᵀ L⁻¹ (≈ 2n³/3 flops). */
export function choleskyInverse(factor: CholeskyFactor): Float64Array {
  const { lower, n } = factor;
  // Row-major inverse of L, lower triangular.
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const row = i * n;
    inv[row + i] = 1 / lower[row + i];
    for (let j = 0; j < i; j++) {
      // (L⁻¹)_{ij} = -(Σ_{k=j}^{i-1} L_{ik} (L⁻¹)_{kj}) / L_{ii}
      let sum = 0;
      for (let k = j; k < i; k++) sum += lower[row + k] * inv[k * n + j];
      inv[row + j] = -sum / lower[row + i];
    }
  }
  // A⁻¹_{ij} = Σ_{k ≥ max(i,j)} (L⁻¹)_{ki} (L⁻¹)_{kj}: accumulate row by row of L⁻¹ (contiguous reads).
  const out = new Float64Array(n * n);
  for (let k = 0; k < n; k++) {
    const rowK = k * n;
    for (let i = 0; i <= k; i++) {
      const v = inv[rowK + i];
      if (v === 0) continue;
      const rowI = i * n;
      for (let j = 0; j <= i; j++) out[rowI + j] += v * inv[rowK + j];
    }
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) out[j * n + i] = out[i * n + j];
  return out;
}

/** Extends the factor of A (n×n) to the factor of [[A, b], [bᵀ, c]] in O(n²): the fantasy update for
 *  kriging-believer batches. */
export function choleskyAppend(factor: CholeskyFactor, b: ArrayLike<number>, c: number): CholeskyFactor {
  const { lower, n } = factor;
  const m = n + 1;
  const out = new Float64Array(m * m);
  for (let i = 0; i < n; i++) out.set(lower.subarray(i * n, i * n + i + 1), i * m);
  const z = Float64Array.from(b);
  solveLowerInPlace(lower, n, z);
  let sq = 0;
  for (let k = 0; k < n; k++) sq += z[k] * z[k];
  out.set(z, n * m);
  // Floor the new pivot like the jitter would, so a fantasy on top of an existing point cannot break it.
  const pivot = c + (Number.isFinite(factor.jitter) ? factor.jitter : 0) - sq;
  out[n * m + n] = Math.sqrt(Math.max(pivot, 1e-10 * Math.max(c, 1e-300)));
  return { lower: out, n: m, jitter: factor.jitter };
}

/** The one Cholesky of the project: factorisation of a symmetric positive (semi-)definite matrix with
 *  jitter escalation, so that a near-singular kernel matrix (duplicated points, tiny noise) still factors
 *  and the model behaves as if its noise were a little larger, the standard remedy (GPyTorch's
 *  psd_safe_cholesky, Rasmussen & Williams 2006 §A.4). Matrices are n×n row-major Float64Arrays; only
 *  the lower triangle is read.
 *
 *  Contract: `choleskyWithJitter(a, n, { maxRelativeJitter })` returns the factor of A + jitter·I with the
 *  smallest jitter in 0, 1e-10, 1e-9, … up to maxRelativeJitter × mean diagonal, or **null** when none
 *  works (A not numerically positive definite, or non-finite entries). Callers decide what null means:
 *  the GP (libs/gp) answers anyway with `independentCholeskyFactor(a, n)`, a model that believes every
 *  point independent (harmless for acquisition); the freeze-thaw posterior (libs/early-stopping) treats
 *  its hyperparameters as degenerate and lets its fit move on. */

/** Relative jitters tried in turn, as multiples of the mean diagonal: GPyTorch starts at 1e-8 (float64)
 *  and multiplies by 10; the default goes to 1 because a policy must answer. */
const RELATIVE_JITTERS = [0, 1e-10, 1e-9, 1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1];

export interface CholeskyFactor {
  /** Lower-triangular factor L (row-major n×n, upper triangle zero) with L Lᵀ = A + jitter·I. */
  lower: Float64Array;
  n: number;
  /** The absolute jitter that was added to the diagonal (0 when A factored as given); NaN for the
   *  independent fallback (independentCholeskyFactor), which is not a factor of A. */
  jitter: number;
}

export interface CholeskyOptions {
  /** The largest jitter tried, as a multiple of the mean diagonal (default 1; 0 = no jitter at all). */
  maxRelativeJitter?: number;
}

/** Factors A + jitter·I = L Lᵀ with the smallest jitter that works, or null when even
 *  maxRelativeJitter × mean diagonal does not (see the contract above). Never throws. */
export function choleskyWithJitter(a: Float64Array, n: number, options: CholeskyOptions = {}): CholeskyFactor | null {
  const maxRelativeJitter = options.maxRelativeJitter ?? 1;
  const meanDiagonal = meanPositiveDiagonal(a, n);
  const lower = new Float64Array(n * n);
  for (const relative of RELATIVE_JITTERS) {
    if (relative > maxRelativeJitter) break;
    const jitter = relative * meanDiagonal;
    if (choleskyInto(a, n, jitter, lower)) return { lower, n, jitter };
  }
  return null;
}

/** The fallback when choleskyWithJitter gives up: the diagonal factor of max(diag, tiny) (jitter NaN), a
 *  model that believes every point independent, for callers that must answer anyway (the GP). */
export function independentCholeskyFactor(a: Float64Array, n: number): CholeskyFactor {
  const meanDiagonal = meanPositiveDiagonal(a, n);
  const lower = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const d = a[i * n + i];
    lower[i * n + i] = Math.sqrt(Number.isFinite(d) && d > 1e-12 ? d : meanDiagonal);
  }
  return { lower, n, jitter: Number.NaN };
}

function meanPositiveDiagonal(a: Float64Array, n: number): number {
  let meanDiagonal = 0;
  for (let i = 0; i < n; i++) meanDiagonal += a[i * n + i];
  return n > 0 && meanDiagonal > 0 && Number.isFinite(meanDiagonal) ? meanDiagonal / n : 1;
}

/** Crout-style row Cholesky, with rows taken in blocks: L_ij = (A_ij − Σ_{k<j} L_ik L_jk) / L_jj needs
 *  rows i and j of L up to column j, so for a block of ROW_BLOCK rows every earlier row j is read once
 *  for the whole block instead of once per row. Same arithmetic as the plain loop; the O(n³) pass reads
 *  memory ROW_BLOCK times less, which matters once L outgrows the cache (n ≳ 300). Returns false when a
 *  pivot is not positive and finite. */
const ROW_BLOCK = 16;

function choleskyInto(a: Float64Array, n: number, jitter: number, lower: Float64Array): boolean {
  lower.fill(0);
  for (let i0 = 0; i0 < n; i0 += ROW_BLOCK) {
    const i1 = Math.min(i0 + ROW_BLOCK, n);
    // Columns left of the block: every row j < i0 is final.
    for (let j = 0; j < i0; j++) {
      const rowJ = j * n;
      const pivot = lower[rowJ + j];
      for (let i = i0; i < i1; i++) {
        const rowI = i * n;
        lower[rowI + j] = (a[rowI + j] - dotPrefix(lower, rowI, lower, rowJ, j)) / pivot;
      }
    }
    // The diagonal block, row by row.
    for (let i = i0; i < i1; i++) {
      const rowI = i * n;
      for (let j = i0; j <= i; j++) {
        const rowJ = j * n;
        const sum = a[rowI + j] - dotPrefix(lower, rowI, lower, rowJ, j);
        if (i === j) {
          const pivot = sum + jitter;
          if (!(pivot > 0) || !Number.isFinite(pivot)) return false;
          lower[rowI + i] = Math.sqrt(pivot);
        } else {
          lower[rowI + j] = sum / lower[rowJ + j];
        }
      }
    }
  }
  return true;
}

/** Σ_{k<length} a[aOffset + k] b[bOffset + k], unrolled four ways with separate accumulators: V8 does
 *  not vectorise, and breaking the add dependency chain roughly doubles the throughput of the O(n³)
 *  loops (measured in bench/src/gp-latency.ts). */
export function dotPrefix(a: Float64Array, aOffset: number, b: Float64Array, bOffset: number, length: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let k = 0;
  for (; k + 3 < length; k += 4) {
    s0 += a[aOffset + k] * b[bOffset + k];
    s1 += a[aOffset + k + 1] * b[bOffset + k + 1];
    s2 += a[aOffset + k + 2] * b[bOffset + k + 2];
    s3 += a[aOffset + k + 3] * b[bOffset + k + 3];
  }
  for (; k < length; k++) s0 += a[aOffset + k] * b[bOffset + k];
  return s0 + s1 + s2 + s3;
}

/** Solves L z = b in place (forward substitution). */
export function solveLowerInPlace(lower: Float64Array, n: number, b: Float64Array): Float64Array {
  for (let i = 0; i < n; i++) {
    const row = i * n;
    b[i] = (b[i] - dotPrefix(lower, row, b, 0, i)) / lower[row + i];
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

/** L⁻¹ b, a copy. */
export function solveLower(factor: CholeskyFactor, b: ArrayLike<number>): Float64Array {
  return solveLowerInPlace(factor.lower, factor.n, Float64Array.from(b));
}

/** log |L Lᵀ| = 2 Σ log L_ii. */
export function choleskyLogDet(factor: CholeskyFactor): number {
  const { lower, n } = factor;
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.log(lower[i * n + i]);
  return 2 * s;
}

/** (L Lᵀ)⁻¹ b, a copy. */
export function choleskySolve(factor: CholeskyFactor, b: ArrayLike<number>): Float64Array {
  const z = Float64Array.from(b);
  solveLowerInPlace(factor.lower, factor.n, z);
  return solveUpperTransposedInPlace(factor.lower, factor.n, z);
}

/** (L Lᵀ)⁻¹ as a full symmetric matrix (≈ 2n³/3 flops). Row j of U = L⁻ᵀ is column j of L⁻¹, found by
 *  forward substitution L c = e_j; then (L Lᵀ)⁻¹_{ab} = Σ_{k ≥ max(a,b)} U_{ak} U_{bk}. Both steps read
 *  contiguous rows only. */
export function choleskyInverse(factor: CholeskyFactor): Float64Array {
  const { lower, n } = factor;
  const u = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    const rowJ = j * n;
    u[rowJ + j] = 1 / lower[rowJ + j];
    for (let i = j + 1; i < n; i++) {
      // c_i = −(Σ_{k=j}^{i−1} L_ik c_k) / L_ii
      u[rowJ + i] = -dotPrefix(lower, i * n + j, u, rowJ + j, i - j) / lower[i * n + i];
    }
  }
  const out = new Float64Array(n * n);
  for (let a = 0; a < n; a++) {
    const rowA = a * n;
    for (let b = 0; b <= a; b++) {
      const v = dotPrefix(u, rowA + a, u, b * n + a, n - a);
      out[rowA + b] = v;
      out[b * n + a] = v;
    }
  }
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

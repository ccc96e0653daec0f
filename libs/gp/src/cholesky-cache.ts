/** Incremental Cholesky factors across suggestions. Between hyperparameter refits a study's GP keeps
 *  its hyperparameters (GP_BANDIT reuses them until the data grew by 5 %), and its training inputs are the
 *  previous call's plus the trials completed since. The factor of K_θ = K + σ_n² I depends on the inputs
 *  and θ only, not on the outputs, so the previous factor extends to the new one by appending rows:
 *  O(n²) a new point instead of O(n³/3) for refactoring (≈ 170 ms at n = 1000 here).
 *
 *  A bounded memo, not a model: a hit returns the factor a full factorisation would give up to rounding
 *  (identical when nothing was appended), so results do not depend on what the cache held beyond the
 *  last bits; a miss factors from scratch. Entries are keyed by the exact hyperparameters and matched on
 *  an exact prefix of the inputs. */
import { choleskyWithJitter, dotPrefix, independentCholeskyFactor, type CholeskyFactor } from '@hpo/numeric';
import { inverseSquaredLengthscales, type GpHyperparameters } from './hyperparameters';
import { crossCovariance, kernelMatrix } from './kernels';

interface Entry {
  key: string;
  d: number;
  x: Float64Array;
  factor: CholeskyFactor;
}

/** Appending more than this share of the rows costs about as much as refactoring (k n² vs n³/3). */
const MAX_APPEND_SHARE = 0.25;
/** A new pivot below this share of its diagonal means a near-duplicate point: refactor, so the jitter
 *  escalation decides as it would have. */
const MIN_RELATIVE_PIVOT = 1e-8;

export class CholeskyCache {
  private entries: Entry[] = [];
  hits = 0;
  misses = 0;

  /** At most `maxEntries` factors, and at most `maxFloats` Float64 values held in all (8 bytes each). */
  constructor(private readonly maxEntries = 8, private readonly maxFloats = 4_000_000) {}

  /** The factor of K_θ + σ_n² I for the n×d inputs x, extended from a cached prefix when there is one. */
  factor(h: GpHyperparameters, x: Float64Array, n: number, d: number): CholeskyFactor {
    const key = `${h.kernel}|${h.logLengthscales.join(',')}|${h.logSignalVariance}|${h.logNoiseVariance}`;
    let best: Entry | undefined;
    for (const e of this.entries) {
      if (e.key !== key || e.d !== d || e.factor.n > n || (best && best.factor.n >= e.factor.n)) continue;
      if (isPrefix(e.x, x)) best = e;
    }
    let factor: CholeskyFactor | undefined;
    if (best && n - best.factor.n <= MAX_APPEND_SHARE * n) factor = extend(best.factor, h, x, n, d);
    if (factor) this.hits++;
    else {
      this.misses++;
      const signalVariance = Math.exp(h.logSignalVariance);
      const k = kernelMatrix(h.kernel, x, n, inverseSquaredLengthscales(h.logLengthscales, d), signalVariance);
      const noise = Math.exp(h.logNoiseVariance);
      for (let i = 0; i < n; i++) k[i * n + i] += noise;
      factor = choleskyWithJitter(k, n) ?? independentCholeskyFactor(k, n);
    }
    if (best?.factor.n !== n) this.remember({ key, d, x: Float64Array.from(x.subarray(0, n * d)), factor });
    return factor;
  }

  private remember(entry: Entry): void {
    // Most recent first; a study's previous factor is superseded by its extension.
    this.entries = [entry, ...this.entries.filter((e) => !(e.key === entry.key && e.d === entry.d && isPrefix(e.x, entry.x)))];
    let floats = 0;
    this.entries = this.entries.filter((e, i) => {
      floats += e.factor.lower.length + e.x.length;
      return i < this.maxEntries && floats <= this.maxFloats;
    });
  }
}

function isPrefix(prefix: Float64Array, x: Float64Array): boolean {
  if (prefix.length > x.length) return false;
  for (let i = 0; i < prefix.length; i++) if (prefix[i] !== x[i]) return false;
  return true;
}

/** Rows old.n … n−1 appended one block: for each new row i, solve L z = k_i (its covariances with the
 *  earlier rows) and set the pivot √(K_ii + σ_n² + jitter − zᵀz). Undefined when a pivot is too small. */
function extend(old: CholeskyFactor, h: GpHyperparameters, x: Float64Array, n: number, d: number): CholeskyFactor | undefined {
  if (old.n === n) return old;
  if (!Number.isFinite(old.jitter)) return undefined;
  const invL2 = inverseSquaredLengthscales(h.logLengthscales, d);
  const signalVariance = Math.exp(h.logSignalVariance);
  const diagonal = signalVariance + Math.exp(h.logNoiseVariance) + old.jitter;
  const lower = new Float64Array(n * n);
  for (let i = 0; i < old.n; i++) lower.set(old.lower.subarray(i * old.n, i * old.n + i + 1), i * n);
  const k = new Float64Array(n);
  for (let i = old.n; i < n; i++) {
    // Covariances of row i with rows 0 … i−1 (crossCovariance over the first i rows).
    crossCovariance(h.kernel, x, i, x, i * d, invL2, signalVariance, k);
    const z = k.subarray(0, i);
    solveLowerRows(lower, n, i, z);
    let sq = 0;
    for (let j = 0; j < i; j++) sq += z[j] * z[j];
    const pivot = diagonal - sq;
    if (!(pivot > MIN_RELATIVE_PIVOT * diagonal)) return undefined;
    lower.set(z, i * n);
    lower[i * n + i] = Math.sqrt(pivot);
  }
  return { lower, n, jitter: old.jitter };
}

/** Forward substitution with the leading m×m block of a lower factor stored with row stride `stride`. */
function solveLowerRows(lower: Float64Array, stride: number, m: number, b: Float64Array): void {
  for (let i = 0; i < m; i++) {
    const row = i * stride;
    b[i] = (b[i] - dotPrefix(lower, row, b, 0, i)) / lower[row + i];
  }
}

/** Scrambled Halton sequence: the quasi-random design of QUASI_RANDOM_SEARCH and the GP's initial
 *  design. Coordinate d is the radical inverse of the point's index in the d-th prime base (Halton
 *  1960). Plain Halton points in high bases are strongly correlated between dimensions; random digit
 *  scrambling (Matoušek 1998, "On the L2-discrepancy for anchored boxes", J. Complexity 14: each digit
 *  position of each dimension gets its own random permutation of {0..b-1}) breaks that while keeping
 *  the low discrepancy. The permutations depend only on the seed, so a design continues across calls
 *  from any index. */
import { Rng, mixSeed } from './rng';

/** Largest value below 1: a sum of scrambled digits can round up to 1.0 in floating point. */
const BELOW_ONE = 1 - 2 ** -53;

/** A Halton sequence addressed by index, its scrambling fixed at creation (reuse one object to draw many
 *  points: the permutations are built once). */
export interface HaltonSequence {
  readonly dimension: number;
  /** Point `index` (a non-negative safe integer) in [0, 1)^dimension. */
  point(index: number): Float64Array;
}

/** With a seed the digits are scrambled (the same seed always gives the same sequence); without one it
 *  is the plain sequence (index 0 is the origin, index 1 is (1/2, 1/3, 1/5, ...)). */
export function haltonSequence(dimension: number, seed?: number): HaltonSequence {
  if (!Number.isInteger(dimension) || dimension < 1) throw new RangeError(`Halton: dimension must be a positive integer, got ${dimension}`);
  const bases = firstPrimes(dimension);
  const scramblers = bases.map((b, d) => digitPermutations(b, seed === undefined ? undefined : mixSeed(seed, d, 0x4a17)));
  return {
    dimension,
    point(index: number): Float64Array {
      if (!Number.isSafeInteger(index) || index < 0) throw new RangeError(`Halton: index must be a non-negative integer, got ${index}`);
      const x = new Float64Array(dimension);
      for (let d = 0; d < dimension; d++) x[d] = radicalInverse(index, bases[d], scramblers[d]);
      return x;
    },
  };
}

/** Points `start .. start + count - 1` of the (scrambled when `seed` is given) Halton sequence. */
export function scrambledHalton(dimension: number, start: number, count: number, seed?: number): Float64Array[] {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`Halton: count must be a non-negative integer, got ${count}`);
  const sequence = haltonSequence(dimension, seed);
  return Array.from({ length: count }, (_, i) => sequence.point(start + i));
}

/** Σ_j π_j(a_j) b^{-(j+1)} over enough digit positions j for double precision, where a_j are the
 *  base-b digits of the index (Matoušek's random digit scrambling; π_j = identity when unscrambled).
 *  Positions beyond the index's last digit still contribute π_j(0) when scrambled, as they must. */
function radicalInverse(index: number, base: number, permutations: Array<Uint16Array | Uint32Array> | undefined): number {
  let n = index;
  let scale = 1 / base;
  let sum = 0;
  if (permutations === undefined) {
    while (n > 0) {
      sum += (n % base) * scale;
      n = Math.floor(n / base);
      scale /= base;
    }
    return sum;
  }
  const linear = base > MAX_FULLY_PERMUTED_BASE;
  for (const pi of permutations) {
    const digit = n % base;
    // Linear scrambling stores (h, g): π(a) = (h·a + g) mod b, exact in doubles (h·a < 2^53).
    sum += (linear ? (pi[0] * digit + pi[1]) % base : pi[digit]) * scale;
    n = Math.floor(n / base);
    scale /= base;
  }
  return Math.min(sum, BELOW_ONE);
}

/** Bases up to this get a full random permutation per digit position (Matoušek's random digit
 *  scrambling; the first 168 dimensions). Larger bases get a random linear scrambling instead (also
 *  Matoušek 1998: π(a) = (h·a + g) mod b with h ≠ 0, a permutation because b is prime), which costs
 *  O(1) per position instead of O(b): full permutations for every base would make building a sequence
 *  quadratic in the dimension (d = 4,000 took 20 s, on the event loop at CreateStudy). */
const MAX_FULLY_PERMUTED_BASE = 1000;

/** One random permutation of the digits per digit position, enough positions to exhaust 53 bits. */
function digitPermutations(base: number, seed: number | undefined): Array<Uint16Array | Uint32Array> | undefined {
  if (seed === undefined) return undefined;
  const rng = new Rng(seed);
  const positions = Math.ceil(53 / Math.log2(base));
  const out: Array<Uint16Array | Uint32Array> = [];
  for (let j = 0; j < positions; j++) {
    if (base > MAX_FULLY_PERMUTED_BASE) {
      out.push(Uint32Array.of(1 + rng.integer(base - 1), rng.integer(base)));
      continue;
    }
    const pi = new Uint16Array(base);
    for (let k = 0; k < base; k++) pi[k] = k;
    for (let k = base - 1; k > 0; k--) {
      const r = rng.integer(k + 1);
      const t = pi[k];
      pi[k] = pi[r];
      pi[r] = t;
    }
    out.push(pi);
  }
  return out;
}

/** The first n primes (Halton's bases), by trial division up to the square root. */
export function firstPrimes(n: number): number[] {
  const primes: number[] = [];
  for (let c = 2; primes.length < n; c++) {
    let prime = true;
    for (const p of primes) {
      if (p * p > c) break;
      if (c % p === 0) {
        prime = false;
        break;
      }
    }
    if (prime) primes.push(c);
  }
  return primes;
}

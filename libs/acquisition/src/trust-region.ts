/** A TuRBO-style trust region for the acquisition search (Eriksson, Pearce, Gardner, Turner & Poloczek
 *  2019, "Scalable global optimization via local Bayesian optimization", NeurIPS; Vizier's GP bandit also
 *  bounds its acquisition search by a trust region in higher dimensions). In 20–50 dimensions a global
 *  GP's acquisition maximum sits in the corners of the cube, where the variance is large and nothing is
 *  learnt; confining the search to a box around the incumbent turns the same model into a local search
 *  that expands while it succeeds and contracts while it fails.
 *
 *  - The box: a hyper-rectangle of side L · w_i centred on the incumbent and clipped to [0, 1]^d, with
 *    weights w_i ∝ ℓ_i (the GP's length scales, capped at MAX_WEIGHTING_LENGTHSCALE as TuRBO's fit bounds
 *    them) normalised to geometric mean 1, so the box's volume is L^d before clipping and it is longer
 *    along directions the model finds smooth.
 *  - L: replayed from the study's values in the order observed (no state to keep or to lose): it starts
 *    at `initial` when the initial design ends; an observation better than the best so far by
 *    1e-3 |best| is a success, anything else a failure; `successTolerance` successes in a row double L
 *    (up to `max`), `failureTolerance` failures in a row halve it; below `min` it restarts at `initial`
 *    (TuRBO restarts with a fresh design; here the global model is kept and only the box widens).
 *  Values are "larger is better". Pure functions. */

export interface TrustRegionSettings {
  /** L at the end of the initial design (TuRBO: 0.8). */
  initial: number;
  /** Below this L the region restarts (TuRBO: 0.5^7). */
  min: number;
  /** L never exceeds this (TuRBO: 1.6). */
  max: number;
  /** Consecutive successes that double L (TuRBO: 3). */
  successTolerance: number;
  /** Consecutive failures that halve L (TuRBO: ⌈max(4, d)⌉ for one point a batch). */
  failureTolerance: number;
}

/** TuRBO-1's settings for one suggestion at a time in dimension d. */
export function defaultTrustRegionSettings(dimension: number): TrustRegionSettings {
  return { initial: 0.8, min: 0.5 ** 7, max: 1.6, successTolerance: 3, failureTolerance: Math.ceil(Math.max(4, dimension)) };
}

export interface TrustRegionLength {
  length: number;
  successes: number;
  failures: number;
  /** Times L fell below `min` and restarted at `initial`. */
  restarts: number;
}

/** L after the observations `values` (in the order observed, larger is better; −∞ for an infeasible
 *  trial, always a failure), the first `designSize` of them being the initial design. */
export function replayTrustRegion(values: ArrayLike<number>, designSize: number, settings: TrustRegionSettings): TrustRegionLength {
  let best = Number.NEGATIVE_INFINITY;
  const start = Math.min(Math.max(0, designSize), values.length);
  for (let i = 0; i < start; i++) best = Math.max(best, values[i]);
  const state: TrustRegionLength = { length: settings.initial, successes: 0, failures: 0, restarts: 0 };
  for (let i = start; i < values.length; i++) {
    const v = values[i];
    const improved = Number.isFinite(v) && (!Number.isFinite(best) || v > best + 1e-3 * Math.abs(best));
    if (improved) {
      state.successes++;
      state.failures = 0;
    } else {
      state.failures++;
      state.successes = 0;
    }
    if (state.successes >= settings.successTolerance) {
      state.length = Math.min(2 * state.length, settings.max);
      state.successes = 0;
    } else if (state.failures >= settings.failureTolerance) {
      state.length /= 2;
      state.failures = 0;
    }
    if (state.length < settings.min) {
      state.length = settings.initial;
      state.restarts++;
    }
    if (Number.isFinite(v)) best = Math.max(best, v);
  }
  return state;
}

/** Length scales above this weigh like it (TuRBO fits ℓ ∈ [0.005, 2]): an irrelevant direction, whose
 *  fitted ℓ runs to the bound, would otherwise shrink every other side of the box through the
 *  geometric-mean normalisation. */
export const MAX_WEIGHTING_LENGTHSCALE = 2;

export interface Box {
  lower: Float64Array;
  upper: Float64Array;
  /** The incumbent the region is centred on: when given, the acquisition pool perturbs it on a random
   *  subset of coordinates (TuRBO's candidate generation) instead of filling the box. */
  center?: Float64Array;
}

/** The box of side L · w_i around `center`, clipped to the unit cube. */
export function trustRegionBox(center: ArrayLike<number>, length: number, logLengthscales: ArrayLike<number>): Box {
  const d = center.length;
  const logs = Array.from({ length: d }, (_, i) => Math.min(logLengthscales[i], Math.log(MAX_WEIGHTING_LENGTHSCALE)));
  const logMean = logs.reduce((s, v) => s + v, 0) / Math.max(1, d);
  const lower = new Float64Array(d);
  const upper = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    const half = 0.5 * length * Math.exp(logs[i] - logMean);
    lower[i] = Math.max(0, center[i] - half);
    upper[i] = Math.min(1, center[i] + half);
  }
  return { lower, upper, center: Float64Array.from(center) };
}

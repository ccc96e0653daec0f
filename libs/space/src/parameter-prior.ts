/** User priors on the optimum's location (πBO: Hvarfner, Stoll, Souza, Lindauer, Hutter & Nardi 2022,
 *  "πBO: Augmenting Acquisition Functions with User Beliefs for Bayesian Optimization", ICLR), in the
 *  unit-cube encoding: per coordinate of a parameter with a prior, a mixture of a normal N(c, w²)
 *  truncated to [0, 1] (c the encoded centre, w the width as a fraction of the encoded range, which is
 *  the log range for LOG parameters) and a uniform with weight UNIFORM_MIXTURE. Coordinates without a
 *  prior are uniform.
 *
 *  The uniform component bounds what a wrong belief costs: log π ≥ log ε everywhere, so the prior's
 *  pull on the acquisition is at most a few nats a coordinate, and a quarter of the initial design stays
 *  space-filling. With the pure normal (ε = 0, β = 10), a confident prior 0.7 of the range off the
 *  optimum (−½(0.7/0.1)² = −24.5 nats a coordinate) outweighed log-EI for the whole of a 40-trial run
 *  on a 4-d quadratic: regret 0.16–0.62 where no prior reaches 2e-4 (libs/core/test/
 *  parameter-prior-search.spec.ts's function without its sin² term now reaches < 0.01 from that prior). */
import { normalCdf, normalPdf, normalQuantile } from '@hpo/numeric';
import { warpOf } from './encoder';
import type { ParameterSpec, SearchSpace, SpaceEncoder } from './types';

/** Width when the user gives only a centre: a belief worth a few evaluations, not a constraint
 *  (Hvarfner et al.'s "strong" priors have σ of 10 % of the range; 15 % errs on the modest side). */
export const DEFAULT_PRIOR_WIDTH = 0.15;
/** ε, the uniform component's weight in each coordinate's prior. */
export const UNIFORM_MIXTURE = 0.25;

export interface PriorCoordinate {
  /** Coordinate of the encoding. */
  index: number;
  center: number;
  sd: number;
}

export interface EncodedPrior {
  terms: PriorCoordinate[];
}

/** The priors of the space's parameters (conditional children included) on the encoder's coordinates;
 *  undefined when no parameter has one. */
export function encodedPrior(space: SearchSpace, encoder: SpaceEncoder): EncodedPrior | undefined {
  const terms: PriorCoordinate[] = [];
  const visit = (p: ParameterSpec): void => {
    if (p.prior) {
      const index = encoder.features.findIndex((f) => f.parameter === p.name && f.kind !== 'onehot');
      if (index >= 0) terms.push({ index, center: warpOf(p).toUnit(p.prior.center), sd: p.prior.width ?? DEFAULT_PRIOR_WIDTH });
    }
    for (const child of p.children ?? []) visit(child.parameter);
  };
  space.parameters.forEach(visit);
  return terms.length > 0 ? { terms } : undefined;
}

/** The truncated normal's density at v and its derivative. */
function truncatedNormal(t: PriorCoordinate, v: number): { density: number; derivative: number } {
  const z = (v - t.center) / t.sd;
  const mass = normalCdf((1 - t.center) / t.sd) - normalCdf(-t.center / t.sd);
  const density = normalPdf(z) / (t.sd * mass);
  return { density, derivative: (-z / t.sd) * density };
}

/** log π(x) = Σ log((1 − ε) N_[0,1](x_i; c_i, σ_i) + ε) over the coordinates with a prior. */
export function priorLogDensity(prior: EncodedPrior, x: ArrayLike<number>): number {
  let s = 0;
  for (const t of prior.terms) s += Math.log((1 - UNIFORM_MIXTURE) * truncatedNormal(t, x[t.index]).density + UNIFORM_MIXTURE);
  return s;
}

/** Adds `weight` ∇ log π(x) to `gradient`. */
export function addPriorLogDensityGradient(prior: EncodedPrior, x: ArrayLike<number>, weight: number, gradient: Float64Array): void {
  for (const t of prior.terms) {
    const n = truncatedNormal(t, x[t.index]);
    gradient[t.index] += (weight * (1 - UNIFORM_MIXTURE) * n.derivative) / ((1 - UNIFORM_MIXTURE) * n.density + UNIFORM_MIXTURE);
  }
}

/** Maps a point of the unit cube (a Halton point) to a draw from the prior, coordinate by coordinate:
 *  u < ε stretches to a uniform draw, the rest goes through the truncated normal's inverse CDF;
 *  coordinates without a prior are unchanged. A low-discrepancy design stays low-discrepancy. */
export function samplePrior(prior: EncodedPrior, u: ArrayLike<number>): Float64Array {
  const x = Float64Array.from(u);
  for (const t of prior.terms) {
    const v = u[t.index];
    if (v < UNIFORM_MIXTURE) {
      x[t.index] = v / UNIFORM_MIXTURE;
      continue;
    }
    const a = normalCdf((0 - t.center) / t.sd);
    const b = normalCdf((1 - t.center) / t.sd);
    const q = Math.min(Math.max((v - UNIFORM_MIXTURE) / (1 - UNIFORM_MIXTURE), 1e-12), 1 - 1e-12);
    x[t.index] = Math.min(1, Math.max(0, t.center + t.sd * normalQuantile(a + q * (b - a))));
  }
  return x;
}

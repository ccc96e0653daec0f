/** Batches and pending trials by fantasised observations (Ginsbourger, Le Riche & Carraro 2010,
 *  "Kriging is well-suited to parallelize optimization"): each pending point, and each point already
 *  chosen for this batch, is added to the GP as if observed, so the next choice sees reduced variance
 *  there and goes elsewhere. Kriging believer lies with the posterior mean (the landscape is unchanged,
 *  only the uncertainty near the point collapses); constant liar with the worst observed value (a
 *  pessimistic lie that also pushes the mean down, for stronger repulsion). The factor is extended in
 *  O(n²) per fantasy, never refactored. */
import type { GaussianProcess } from '@hpo/gp';
import type { Rng } from '@hpo/space';
import { ucbBeta, type AcquisitionKind, type AcquisitionSpec } from './acquisition-functions';
import { optimizeAcquisition, type AcquisitionOptimizationOptions, type ScoredCandidate } from './optimize-acquisition';

export type FantasyStrategy = 'KRIGING_BELIEVER' | 'CONSTANT_LIAR';

export interface BatchOptions extends Omit<AcquisitionOptimizationOptions, 'gp' | 'spec' | 'rng'> {
  gp: GaussianProcess;
  kind: AcquisitionKind;
  count: number;
  rng: Rng;
  /** Encoded points under evaluation elsewhere (ACTIVE / REQUESTED trials). */
  pending?: Float64Array[];
  strategy?: FantasyStrategy;
  /** Rejects a candidate (e.g. its configuration is already a trial); the next best is taken. */
  accept?: (candidate: ScoredCandidate) => boolean;
  /** Euclidean distance in the encoded cube below which a candidate counts as a copy of a pending or
   *  already chosen point and is skipped (default MIN_PENDING_SEPARATION). */
  minSeparation?: number;
}

/** A fantasy only lowers the variance at a pending point down to the noise level, and EI under noise
 *  still rewards re-sampling the incumbent's neighbourhood, so once the GP has converged the believer
 *  alone hands a second worker a point within 1e-5 of one still running. A parallel near-copy teaches
 *  nothing the running trial will not, so closer than 1 % of the cube's edge is treated as a duplicate. */
export const MIN_PENDING_SEPARATION = 1e-2;

export interface BatchChoice extends ScoredCandidate {
  /** The acquisition the choice was made with (its `best` moves as fantasies are added). */
  spec: AcquisitionSpec;
}

/** The incumbent for improvement-based acquisitions: the best standardised output the GP holds, real or
 *  fantasised. */
export function acquisitionSpec(gp: GaussianProcess, kind: AcquisitionKind, observations: number): AcquisitionSpec {
  let best = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < gp.n; i++) best = Math.max(best, gp.y[i]);
  if (!Number.isFinite(best)) best = 0;
  return { kind, best, beta: ucbBeta(gp.d, observations) };
}

export function selectBatch(options: BatchOptions): BatchChoice[] {
  const strategy = options.strategy ?? 'KRIGING_BELIEVER';
  const observations = options.gp.n;
  let worst = Number.POSITIVE_INFINITY;
  for (let i = 0; i < options.gp.n; i++) worst = Math.min(worst, options.gp.y[i]);
  if (!Number.isFinite(worst)) worst = 0;
  let gp = options.gp;
  const lie = (x: Float64Array): number => (strategy === 'CONSTANT_LIAR' ? worst : gp.predict(x, 1).mean[0]);
  const held = [...(options.pending ?? [])];
  for (const x of held) gp = gp.withObservation(x, lie(x));
  const separation = options.minSeparation ?? MIN_PENDING_SEPARATION;
  const farFromHeld = (c: ScoredCandidate): boolean => isFarFromAll(held, c.x, separation);

  const chosen: BatchChoice[] = [];
  for (let b = 0; b < options.count; b++) {
    const spec = acquisitionSpec(gp, options.kind, observations);
    // A wider ranked list when points are held, so that skipping near-copies still leaves candidates.
    const keep = held.length > 0 ? Math.max(options.keep ?? 16, 64) : options.keep;
    const ranked = optimizeAcquisition({ ...options, keep, gp, spec, rng: options.rng });
    const pick = ranked.find((c) => farFromHeld(c) && (options.accept ? options.accept(c) : true));
    if (!pick) break;
    chosen.push({ ...pick, spec });
    held.push(pick.x);
    if (b + 1 < options.count) gp = gp.withObservation(pick.x, lie(pick.x));
  }
  return chosen;
}

/** Whether x is at least `separation` (Euclidean, encoded cube) from every held point: the duplicate
 *  rule for pending and already chosen points, shared by every batch selection. */
export function isFarFromAll(held: readonly Float64Array[], x: Float64Array, separation = MIN_PENDING_SEPARATION): boolean {
  return held.every((h) => euclidean(h, x) >= separation);
}

function euclidean(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return Math.sqrt(s);
}

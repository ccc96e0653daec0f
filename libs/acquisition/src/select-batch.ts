/** Batches and pending trials by fantasised observations (Ginsbourger, Le Riche & Carraro 2010,
 *  "Kriging is well-suited to parallelize optimization"): each pending point, and each point already
 *  chosen for this batch, is added to the GP as if observed, so the next choice sees reduced variance
 *  there and goes elsewhere. Kriging believer lies with the posterior mean (the landscape is unchanged,
 *  only the uncertainty near the point collapses); constant liar with the worst observed value (a
 *  pessimistic lie that also pushes the mean down, for stronger repulsion). The factor is extended in
 *  O(n²) per fantasy, never refactored. */
import type { GaussianProcess } from '../../gp/src/gaussian-process';
import type { Rng } from '../../space/src/rng';
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
}

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
  for (const x of options.pending ?? []) gp = gp.withObservation(x, lie(x));

  const chosen: BatchChoice[] = [];
  for (let b = 0; b < options.count; b++) {
    const spec = acquisitionSpec(gp, options.kind, observations);
    const ranked = optimizeAcquisition({ ...options, gp, spec, rng: options.rng });
    const pick = ranked.find((c) => (options.accept ? options.accept(c) : true));
    if (!pick) break;
    chosen.push({ ...pick, spec });
    if (b + 1 < options.count) gp = gp.withObservation(pick.x, lie(pick.x));
  }
  return chosen;
}

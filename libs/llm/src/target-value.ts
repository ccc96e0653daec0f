/** LLAMBO's conditional candidate sampling (Liu et al., ICLR 2024, eq. 4): ask for configurations that
 *  reach a target value s* just beyond the incumbent,
 *      s* = s_best − α (s_worst − s_best)   for a minimised objective,
 *      s* = s_best + α (s_best − s_worst)   for a maximised one,
 *  where α sets exploration: α > 0 asks for an improvement of α times the observed range. */
import type { Goal } from '@hpo/core';

/** α = 0.1: a target 10 % of the observed range past the incumbent. (LLAMBO's released code defaults
 *  to α = −0.2 with a jitter towards the incumbent; our proposals are re-ranked by the GP's acquisition
 *  anyway, so we ask for a modest improvement as the issue asks, "just beyond the incumbent".) */
export const DEFAULT_EXPLORATION_ALPHA = 0.1;

export function targetValue(values: number[], goal: Goal, alpha: number = DEFAULT_EXPLORATION_ALPHA): number {
  if (values.length === 0) throw new Error('targetValue: needs at least one observation');
  if (!Number.isFinite(alpha)) throw new Error('targetValue: alpha must be a finite number');
  const best = goal === 'MINIMIZE' ? Math.min(...values) : Math.max(...values);
  const worst = goal === 'MINIMIZE' ? Math.max(...values) : Math.min(...values);
  // With one observation (or all equal) there is no range: use 10 % of the value's size, as LLAMBO does.
  let range = Math.abs(worst - best);
  if (range === 0) range = 0.1 * Math.abs(best) || 0.1;
  return goal === 'MINIMIZE' ? best - alpha * range : best + alpha * range;
}

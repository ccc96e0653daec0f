/** LLAMBO's discriminative surrogate (Liu et al., ICLR 2024, section 5.1): the model predicts each
 *  candidate's objective from in-context examples; asking K times with the examples in K different
 *  orders gives K predictions per candidate, whose mean and standard deviation stand in for a
 *  posterior. Candidates are then scored by expected improvement under that Gaussian, so the LLM can
 *  act as the acquisition's model while the GP has seen too little to be trusted. */
import { expectedImprovement as expectedImprovementAbove, expectedImprovementBelow } from '@hpo/numeric';
import type { Goal } from '@hpo/core';

export interface SurrogatePrediction {
  mean: number;
  std: number;
}

/** Floor on σ as a fraction of the observed objective range: K agreeing samples do not make the model
 *  certain (LLAMBO notes its uncertainty is under-dispersed), and EI needs σ > 0. */
export const MIN_STD_FRACTION = 0.01;

/** samples[k][i]: prediction of prompt k for candidate i. */
export function summarisePredictions(samples: number[][], objectiveRange: number): SurrogatePrediction[] {
  if (samples.length === 0) return [];
  const count = samples[0].length;
  const floor = MIN_STD_FRACTION * (objectiveRange > 0 ? objectiveRange : 1);
  const out: SurrogatePrediction[] = [];
  for (let i = 0; i < count; i++) {
    const xs = samples.map((s) => s[i]);
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const variance = xs.length > 1 ? xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (xs.length - 1) : 0;
    out.push({ mean, std: Math.max(Math.sqrt(variance), floor) });
  }
  return out;
}

/** Expected improvement over the incumbent in the goal's direction (Jones, Schonlau & Welch 1998): the
 *  @hpo/numeric's EI, above or below. σ > 0 by the floor above. */
export function expectedImprovement(p: SurrogatePrediction, incumbent: number, goal: Goal): number {
  return goal === 'MINIMIZE' ? expectedImprovementBelow(p.mean, p.std, incumbent) : expectedImprovementAbove(p.mean, p.std, incumbent).value;
}

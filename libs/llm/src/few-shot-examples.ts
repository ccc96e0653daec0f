/** Which observations go into a prompt, under a token budget. */
import type { Goal } from '@hpo/core';
import type { ParameterSpec } from '@hpo/space';
import { fewShotExample } from './describe-study';
import type { Rng } from '@hpo/space';
import type { Observation } from './study-history';
import { worstToBest } from './study-history';
import { estimateTokens } from './token-estimate';

export interface FewShotBlock {
  text: string;
  /** How many observations made it into the prompt, and how many were left out for the budget. */
  included: number;
  omitted: number;
}

/** Keeps the best observations that fit in `maxTokens` (they carry the most information about where to
 *  go next), then lays them out worst to best so the best sit next to the question, as in LLAMBO.
 *  With `rng`, the kept examples are shuffled instead (the surrogate's several prompts: LLAMBO varies
 *  the order of in-context examples between prompts to get a spread of predictions). */
export function fewShotBlock(
  parameters: ParameterSpec[],
  observations: Observation[],
  goal: Goal,
  maxTokens: number,
  rng?: Rng,
): FewShotBlock {
  const bestFirst = worstToBest(observations, goal).reverse();
  const kept: Observation[] = [];
  let tokens = 0;
  for (const o of bestFirst) {
    const cost = estimateTokens(fewShotExample(parameters, o)) + 1;
    if (tokens + cost > maxTokens) break;
    kept.push(o);
    tokens += cost;
  }
  const ordered = rng ? shuffle(kept, rng) : worstToBest(kept, goal);
  return {
    text: ordered.map((o) => fewShotExample(parameters, o)).join('\n\n'),
    included: kept.length,
    omitted: observations.length - kept.length,
  };
}

/** Fisher–Yates with the caller's generator. */
export function shuffle<T>(items: T[], rng: Rng): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.integer(i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

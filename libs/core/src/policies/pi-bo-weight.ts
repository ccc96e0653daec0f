/** πBO (Hvarfner et al. 2022, eq. 6): the acquisition is multiplied by π(x)^(β/n), the user's prior on
 *  the optimum raised to a power that decays with the number of observations n, so a good prior steers
 *  the first suggestions and a wrong one fades. The paper uses β = budget / 10; β = 5 suits the 50–200
 *  trial studies we see: the exponent is 0.5 at n = 10 observations and 0.05 at n = 100. */
import type { EncodedPrior } from '@hpo/space';
import type { WeightedPrior } from '@hpo/acquisition';

export const PRIOR_STRENGTH = 5;

export function decayingPrior(prior: EncodedPrior | undefined, observations: number): WeightedPrior | undefined {
  return prior ? { prior, weight: PRIOR_STRENGTH / Math.max(1, observations) } : undefined;
}

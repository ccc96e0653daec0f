/** Standard-normal helpers for the decisions (probability and expected improvement, minimisation). */

import { expectedImprovement as expectedImprovementMax } from '@hpo/acquisition';
import { normalCdf, normalPdf } from '@hpo/acquisition';

export { normalCdf, normalPdf };

/** P(Y < incumbent) for Y ~ N(mean, sd²) (minimisation). */
export function probabilityOfImprovement(mean: number, sd: number, incumbent: number): number {
  if (sd <= 0) return mean < incumbent ? 1 : 0;
  return normalCdf((incumbent - mean) / sd);
}

/** E[max(incumbent − Y, 0)] for Y ~ N(mean, sd²) (Jones et al. 1998, minimisation): the acquisition's
 *  EI of −Y over −incumbent. */
export function expectedImprovement(mean: number, sd: number, incumbent: number): number {
  if (sd <= 0) return Math.max(incumbent - mean, 0);
  return expectedImprovementMax(-mean, sd, -incumbent).value;
}

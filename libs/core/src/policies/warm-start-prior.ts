/** The LLM warm start as a πBO prior: where the LLM's zero-shot proposals sit is its belief about the
 *  optimum, so after the initial design the acquisition is weighted towards that region the way a
 *  user's prior weights it (Hvarfner et al. 2022), decaying with n. Per numeric coordinate without a
 *  user prior: a normal centred on the median of the proposals (encoded), as wide as their spread but
 *  never narrower than DEFAULT_PRIOR_WIDTH (a few proposals are weak evidence of a narrow belief) nor
 *  wider than MAX_WIDTH (wider says nothing). The user's own priors always win, and the LLM's part is
 *  dropped when its warm start is dominated by the space-filling design (the warm-start gate's rule in
 *  gp-bandit.ts: its best value below the design's median), so misleading advice stops steering. */
import { DEFAULT_PRIOR_WIDTH, median, type EncodedPrior, type PriorCoordinate, type SpaceEncoder } from '@hpo/space';
import { objectiveValue } from '../objective';
import type { StudyView, TrialOrigin } from '../types';

/** Proposals needed before their spread means anything. */
const MIN_PROPOSALS = 2;
/** Widest prior worth having: a third of the range is already close to no belief under the ε mixture. */
const MAX_WIDTH = 0.3;

export function warmStartPrior(study: StudyView, encoder: SpaceEncoder, userPrior: EncodedPrior | undefined): EncodedPrior | undefined {
  const proposals = study.trials.filter((t) => t.origin === 'llm-warm-start').map((t) => encoder.encode(t.parameters));
  if (proposals.length < MIN_PROPOSALS || warmStartDominated(study)) return userPrior;
  const believed = new Set((userPrior?.terms ?? []).map((t) => t.index));
  const terms: PriorCoordinate[] = [...(userPrior?.terms ?? [])];
  encoder.features.forEach((feature, index) => {
    if (feature.kind === 'onehot' || believed.has(index)) return;
    const values = proposals.map((x) => x[index]);
    const center = median(values);
    // 1.4826 × MAD: the normal's σ, robust to one odd proposal.
    const spread = 1.4826 * median(values.map((v) => Math.abs(v - center)));
    terms.push({ index, center, sd: Math.min(MAX_WIDTH, Math.max(DEFAULT_PRIOR_WIDTH, spread)) });
  });
  return terms.length > 0 ? { terms: terms.sort((a, b) => a.index - b.index) } : undefined;
}

/** The warm start's best value is below the median of the space-filling design's values. */
function warmStartDominated(study: StudyView): boolean {
  const sign = study.config.metrics[0].goal === 'MAXIMIZE' ? 1 : -1;
  const values = (origin: TrialOrigin): number[] =>
    study.trials
      .filter((t) => t.origin === origin && t.state === 'SUCCEEDED')
      .map((t) => objectiveValue(study.config, t.finalMeasurement))
      .filter((v): v is number => v !== undefined)
      .map((v) => sign * v);
  return isWarmStartDominated(values('llm-warm-start'), values('design'));
}

/** The warm-start gate's rule on larger-is-better values: the best warm-start value is below the
 *  space-filling values' median (undecided, so false, while either side has none). */
export function isWarmStartDominated(warm: number[], spaceFilling: number[]): boolean {
  return warm.length > 0 && spaceFilling.length > 0 && Math.max(...warm) < median(spaceFilling);
}

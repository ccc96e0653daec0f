/** The initial design, one rule for everyone who needs it: GP_BANDIT (when to stop taking design points
 *  and fit the model), the server (whether to ask the LLM for a warm start or for candidates) and the LLM
 *  module (how many zero-shot configurations to propose). Written once so the server never pays the LLM
 *  for proposals the GP then discards. */
import { createEncoder } from '@hpo/space';
import type { StudyConfig, StudyView, TrialView } from './types';

export interface InitialDesign {
  /** Trials of the design: max(5, d + 1) over the encoded dimension d. d + 1 points are the fewest that
   *  fix a linear trend in every encoded direction, which is what the ARD length scales first need; 5 is
   *  a floor because below it the marginal likelihood is nearly flat. Larger designs (Jones et al.'s 10d)
   *  spend budget the model could spend better at the 25–100-trial budgets typical of tuning. An explicit
   *  llm.warm_start_trials larger than that extends the design to hold every warm-start trial. */
  size: number;
  /** Design slots the LLM's warm start may fill (counted in started trials): llm.warm_start_trials when
   *  set, otherwise half the design rounded up, so the GP always keeps space-filling points (measured in
   *  bench/results/llm.md: misleading advice for the whole design cost clearly more than for half). */
  warmStartSlots: number;
}

/** Trials of the design for an encoded dimension, without an LLM. */
export function designSizeForDimension(dimension: number): number {
  return Math.max(5, dimension + 1);
}

export function initialDesign(config: StudyConfig): InitialDesign {
  const base = designSizeForDimension(createEncoder({ parameters: config.parameters }).dimension);
  const explicit = config.llm?.enabled && config.llm.warmStart ? Math.max(0, config.llm.warmStartTrials ?? 0) : 0;
  return { size: Math.max(base, explicit), warmStartSlots: explicit > 0 ? explicit : Math.ceil(base / 2) };
}

/** A trial the model learns from: SUCCEEDED (a final value) or INFEASIBLE (the worst value). */
function observed(trial: TrialView): boolean {
  return trial.state === 'SUCCEEDED' || trial.state === 'INFEASIBLE';
}

export interface DesignPhase {
  /** True while fewer than `size` trials are observed: suggestions come from the design. */
  inDesign: boolean;
  /** Warm-start configurations still worth asking the LLM for (0 past the design or its slots). */
  warmStartWanted: number;
}

/** Where a study stands in its design. Started trials (all but FAILED, whose slots are handed out
 *  again) count against the warm-start slots; observed ones end the design, and so do trials whose
 *  final value the learning-curve model predicts (`curvePredicted`: running, paused or early-stopped
 *  trials with curves, SuggestRequest.curvePredictions), so the design ends when enough trials have
 *  curves, not only when enough have finished. */
export function designPhase(config: StudyConfig, study: StudyView, curvePredicted: ReadonlySet<number> = new Set()): DesignPhase {
  const { size, warmStartSlots } = initialDesign(config);
  const inDesign = study.trials.filter((t) => observed(t) || curvePredicted.has(t.id)).length < size;
  const started = study.trials.filter((t) => t.state !== 'FAILED').length;
  return { inDesign, warmStartWanted: inDesign ? Math.max(0, warmStartSlots - started) : 0 };
}

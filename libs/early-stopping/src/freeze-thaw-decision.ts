/** What to do with a trial that just reported (Swersky et al. 2014 freeze a run "when it is unlikely
 *  to be the best"; we make that a rule on the predicted final value):
 *  - CONTINUE when it is among the top few predicted finals or may still beat the incumbent;
 *  - PAUSE when its probability of improving on the incumbent's predicted final value is small: it
 *    keeps its checkpoint and stays in the model, and may be thawed if the picture changes;
 *  - STOP when that probability is negligible and at least half of the training has been observed, or
 *    the curve is diverging (worse than any trial was at its first report): resuming it would never pay.
 *    Earlier, a negligible probability still only PAUSEs: extrapolating from a few epochs can be
 *    confidently wrong (slow power-law curves in bench/results/early-stopping.md), and a paused trial
 *    can be thawed when the model changes its mind.
 *
 *  One rule with the suggesting side (chooseThawOrNew), with hysteresis so a trial cannot ping-pong:
 *  - keeping a trial training is valued like the other two actions, by expected improvement of its
 *    final value per remaining step; it is PAUSED only when the best alternative (a new configuration
 *    or a paused trial, `alternativeValue`) is worth HYSTERESIS times more per step, on top of the
 *    probability test; chooseThawOrNew thaws only when thawing beats a new configuration outright (or
 *    the paused trial now ranks among the top protectTopK, which this rule never pauses) — between the
 *    two lies a band where neither flips;
 *  - a trial that was thawed once (`resumed`) is never paused again: where the rule would pause it, it
 *    is stopped (it keeps its curve, as an early-stopped trial). So no trial flips more than twice. */
import { FinalValuePrediction, FreezeThawModel } from './freeze-thaw-model';
import { expectedImprovementBelow as expectedImprovement, probabilityBelow as probabilityOfImprovement } from '@hpo/numeric';

export type FreezeThawDecisionKind = 'CONTINUE' | 'PAUSE' | 'STOP';

export interface FreezeThawDecisionOptions {
  /** PAUSE below this probability of improvement (default PAUSE_PROBABILITY, 0.2). */
  pauseProbability?: number;
  /** STOP below this probability of improvement (default 1e-4: beyond 3.7 standard deviations). */
  stopProbability?: number;
  /** Trials ranked this high by predicted final value always continue (default 2). */
  protectTopK?: number;
  /** A non-diverging trial is STOPPED only after this fraction of max_step (default 0.5); before, PAUSED. */
  stopAfterFraction?: number;
  /** Best expected improvement per step among the other actions (a new configuration, thawing a paused
   *  trial), model units; when given, a trial is paused only if that is HYSTERESIS times its own. A
   *  function is called only when the trial is a pause candidate (scoring alternatives costs a little). */
  alternativeValue?: number | (() => number);
  /** The trial was thawed before: it is stopped, never paused a second time. */
  resumed?: boolean;
}

/** How much more per step an alternative must be worth before a running trial gives way to it. */
export const HYSTERESIS = 2;
/** P(better) below which a trial may be paused (when an alternative is also worth HYSTERESIS times
 *  more per step). Measured on the recorded curves (bench/results/early-stopping-gp.md, 10 seeds): at
 *  0.05 the model's P(better) fell below the gate only late, so near-good trials were paused at 17-33
 *  of 40 epochs or trained to the end; 0.2 pauses them sooner (digits-mlp: 0.80x the epochs to a top-5 %
 *  configuration, crossing 0.93x, sgd-linear 1.03x); 0.3 and 0.5 paused top configurations too. */
export const PAUSE_PROBABILITY = 0.2;
/** P(better) a paused trial needs before it may be thawed while new configurations can still start
 *  (chooseThawOrNew): below the pause gate, so a trial paused near 0.2 is not thawed at the next call. */
export const THAW_PROBABILITY = 0.05;
/** P(better) below which a trial past stopAfterFraction is stopped (beyond 3.7 standard deviations). */
export const STOP_PROBABILITY = 1e-4;

export interface FreezeThawDecision {
  decision: FreezeThawDecisionKind;
  reason: string;
  probabilityOfImprovement: number;
}

export function formatMetric(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return v.toExponential(2);
  const s = v.toPrecision(3);
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

/** "predicted final 0.912 [0.9, 0.93]" in the metric's units. */
export function describePrediction(p: FinalValuePrediction): string {
  return `predicted final ${formatMetric(p.value)} [${formatMetric(p.lower)}, ${formatMetric(p.upper)}]`;
}

/** The best (lowest, model units) predicted final mean over the given trials, or undefined. */
export function incumbentPrediction(model: FreezeThawModel, excludeTrialId?: number): FinalValuePrediction | undefined {
  let best: FinalValuePrediction | undefined;
  for (const p of model.predictions) {
    if (p.trialId === excludeTrialId) continue;
    if (!best || p.mean < best.mean) best = p;
  }
  return best;
}

export function freezeThawDecision(model: FreezeThawModel, trialId: number, options: FreezeThawDecisionOptions = {}): FreezeThawDecision {
  const index = model.predictions.findIndex((p) => p.trialId === trialId);
  if (index < 0) throw new Error(`freezeThawDecision: trial ${trialId} has no curve in the model`);
  const own = model.predictions[index];
  const text = describePrediction(own);
  if (own.lastStep >= model.maxStep) return { decision: 'CONTINUE', reason: `reached max_step ${model.maxStep}; ${text}`, probabilityOfImprovement: 1 };

  if (own.diverging) {
    return { decision: 'STOP', reason: `diverging: the latest report is worse than every trial's first report; ${text}`, probabilityOfImprovement: 0 };
  }

  const incumbent = incumbentPrediction(model, trialId);
  if (!incumbent) return { decision: 'CONTINUE', reason: `${text}; no other trial to compare with`, probabilityOfImprovement: 1 };
  const pi = probabilityOfImprovement(own.mean, own.sd, incumbent.mean);
  const versus = `${text} vs the best other predicted final ${formatMetric(incumbent.value)} (trial ${incumbent.trialId}); P(better) ${pi < 1e-3 ? '< 0.001' : pi.toFixed(3)}`;
  const rank = model.predictions.filter((p) => p.mean < own.mean).length;
  if (rank < (options.protectTopK ?? 2)) return { decision: 'CONTINUE', reason: `${versus}; ranked ${rank + 1}`, probabilityOfImprovement: pi };
  const mayStop = own.lastStep >= (options.stopAfterFraction ?? 0.5) * model.maxStep;
  if (mayStop && pi < (options.stopProbability ?? STOP_PROBABILITY)) return { decision: 'STOP', reason: versus, probabilityOfImprovement: pi };
  if (!(pi < (options.pauseProbability ?? PAUSE_PROBABILITY))) return { decision: 'CONTINUE', reason: versus, probabilityOfImprovement: pi };
  const ownValue = expectedImprovement(own.mean, own.sd, incumbent.mean) / Math.max(model.maxStep - own.lastStep, 1);
  const alternative = typeof options.alternativeValue === 'function' ? options.alternativeValue() : options.alternativeValue;
  if (alternative !== undefined && !(alternative > HYSTERESIS * ownValue)) {
    const why = `${versus}; EI per remaining step ${ownValue.toExponential(2)} is within ${HYSTERESIS}x of the best alternative's ${alternative.toExponential(2)}`;
    return { decision: 'CONTINUE', reason: why, probabilityOfImprovement: pi };
  }
  if (options.resumed) return { decision: 'STOP', reason: `${versus}; thawed once already, so stopped rather than paused again`, probabilityOfImprovement: pi };
  return { decision: 'PAUSE', reason: versus, probabilityOfImprovement: pi };
}

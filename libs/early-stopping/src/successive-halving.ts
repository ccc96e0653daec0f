/** Asynchronous successive halving (ASHA, Li et al. 2020, "A System for Massively Parallel
 *  Hyperparameter Tuning", as a stopping rule like Ray Tune's ASHAScheduler and Syne Tune's
 *  "stopping" variant) and asynchronous Hyperband (the same paper §3.2: every trial is assigned a
 *  bracket, each bracket is an ASHA whose first rung is η^s times later).
 *
 *  Rungs are at r_min·η^k below max_step. When a trial's report first reaches a rung, its value there
 *  is compared with the values every other trial of its bracket had when it reached that rung: it goes
 *  on when it is in the top 1/η of them (itself included), otherwise it is stopped. A trial that is
 *  not at a rung continues. Stateless: a trial's "value at a rung" is its first report at or past the
 *  rung, so the rule reads everything it needs from the curves (any replica decides the same). */
import type { Goal } from '@hpo/space';

export type RungGoal = Goal;

export interface RungCurve {
  /** Trial id: Hyperband assigns brackets by it. */
  trialId: number;
  steps: readonly number[];
  values: readonly number[];
}

export interface RungDecisionInput {
  goal: RungGoal;
  trial: RungCurve;
  others: readonly RungCurve[];
  /** Rung milestones (increasing). */
  rungs: readonly number[];
  /** Reduction factor η: the top 1/η of a rung go on. */
  eta: number;
  /** No decision at a rung with fewer than this many other trials recorded there. */
  minTrials: number;
}

export interface RungDecision {
  decision: 'CONTINUE' | 'STOP';
  reason: string;
}

/** Milestones r_min·η^k strictly below maxStep (all of them up to a cap when maxStep is 0: unknown). */
export function rungMilestones(minResource: number, maxStep: number, eta: number): number[] {
  if (!(minResource > 0) || !(eta > 1)) throw new Error(`rungMilestones: need minResource > 0 and eta > 1 (got ${minResource}, ${eta})`);
  const limit = maxStep > 0 ? maxStep : Number.MAX_SAFE_INTEGER;
  const out: number[] = [];
  for (let r = minResource; r < limit && out.length < 64; r *= eta) out.push(Math.round(r * 1e9) / 1e9);
  return out;
}

/** The value a curve had when it first reached `rung` (its first report at or past it), if it did. */
export function valueAtRung(curve: Pick<RungCurve, 'steps' | 'values'>, rung: number): number | undefined {
  for (let i = 0; i < curve.steps.length; i++) if (curve.steps[i] >= rung) return curve.values[i];
  return undefined;
}

/** The rung the trial's latest report reached for the first time (undefined when it reached none). */
function rungJustReached(curve: RungCurve, rungs: readonly number[]): number | undefined {
  const n = curve.steps.length;
  if (n === 0) return undefined;
  const last = curve.steps[n - 1];
  const previous = n > 1 ? curve.steps[n - 2] : Number.NEGATIVE_INFINITY;
  let reached: number | undefined;
  for (const r of rungs) if (r <= last && r > previous) reached = r;
  return reached;
}

export function successiveHalvingDecision(input: RungDecisionInput): RungDecision {
  const { goal, trial, eta } = input;
  const rung = rungJustReached(trial, input.rungs);
  if (rung === undefined) return { decision: 'CONTINUE', reason: 'not at a rung' };
  const own = trial.values[trial.values.length - 1];
  const recorded: number[] = [];
  for (const other of input.others) {
    const v = valueAtRung(other, rung);
    if (v !== undefined && Number.isFinite(v)) recorded.push(v);
  }
  if (recorded.length < Math.max(input.minTrials, 1)) {
    return { decision: 'CONTINUE', reason: `rung ${rung}: ${recorded.length} other trials recorded; min_trials is ${input.minTrials}` };
  }
  // Rank among all values at the rung, itself included (ties in its favour): the top ceil(n/η) go on.
  const better = recorded.filter((v) => (goal === 'MINIMIZE' ? v < own : v > own)).length;
  const n = recorded.length + 1;
  const keep = Math.max(1, Math.floor(n / eta));
  const text = `rung ${rung}: ranked ${better + 1} of ${n} (top ${keep} go on, η = ${eta})`;
  return better < keep ? { decision: 'CONTINUE', reason: text } : { decision: 'STOP', reason: text };
}

/** Hyperband's brackets for rungs starting at r_min: s = 0 … s_max, bracket s starting at r_min·η^s;
 *  s_max is the largest s with r_min·η^s ≤ max_step (that bracket trains to the end). */
export function hyperbandMaxBracket(minResource: number, maxStep: number, eta: number): number {
  if (!(maxStep > 0)) throw new Error('hyperbandMaxBracket: Hyperband needs max_step > 0');
  let s = 0;
  while (minResource * Math.pow(eta, s + 1) <= maxStep * (1 + 1e-9)) s++;
  return s;
}

/** The trial's bracket, drawn in proportion to synchronous Hyperband's bracket sizes (the bracket
 *  with L stopping levels below max_step starts ⌈(s_max+1)/(L+1)·η^L⌉ configurations), by a hash of
 *  the trial id so that every replica agrees without storing it. */
export function hyperbandBracket(trialId: number, sMax: number, eta: number): number {
  const weights: number[] = [];
  for (let s = 0; s <= sMax; s++) {
    // Bracket s here has s_max − s stopping levels below max_step (s = 0: the most aggressive).
    const levels = sMax - s;
    weights.push(Math.ceil(((sMax + 1) / (levels + 1)) * Math.pow(eta, levels)));
  }
  const total = weights.reduce((a, b) => a + b, 0);
  // A 32-bit integer hash of the id (Wang/Jenkins style mixing), mapped to [0, 1).
  let h = (trialId ^ 0x9e3779b9) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  h = (h ^ (h >>> 16)) >>> 0;
  let u = (h / 2 ** 32) * total;
  for (let s = 0; s <= sMax; s++) {
    u -= weights[s];
    if (u < 0) return s;
  }
  return sMax;
}

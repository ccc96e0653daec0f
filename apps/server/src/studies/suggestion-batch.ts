/** SuggestTrials for a batch of callers waiting on the same study: one planning transaction, one policy
 *  call for everybody's new trials, one transaction storing them. Batching is what keeps hundreds of
 *  workers on one study from queueing for a policy call each (Vizier batches the same way). Callers
 *  in a batch have distinct client ids. */
import type { StudyView, TrialState } from '@hpo/core';
import { assignmentKey } from '@hpo/space';
import { checkSuggestions, type CheckedSuggestion } from '../suggestion/checked-suggestions';
import type { NewTrial, StudyRecord, StudyTransaction, TrialRecord } from '../storage/storage';
import { finishPausedTrial } from './finish-paused-trial';
import { toView } from './study-view';

export interface SuggestRequestOf {
  clientId: string;
  count: number;
  /** True once the caller has gone (cancelled, or past its deadline): it must not be given new trials
   *  nobody would receive, which would sit ACTIVE until their lease ran out. */
  gone?: () => boolean;
}

/** The tenant's active-trial quota as the batch sees it (0: none). */
export interface ActiveTrialQuota {
  maxActiveTrials: number;
}

export interface BatchPlan {
  study: StudyRecord;
  /** Per caller: the trials it gets (its own ACTIVE ones first, then new or resumed ones). */
  given: TrialRecord[][];
  /** Per caller: how many more trials it asked for than it already holds. */
  needs: number[];
  /** New or resumed trials to ask the policy for (the callers' needs within the study's limits). */
  need: number;
  view?: StudyView;
  /** The records `view` was made from (the replica's held history: a finished trial is the same object
   *  on every read), by which the policy thread is sent only what changed (shipped-history.ts). */
  history?: TrialRecord[];
  /** False once max_trials is reached: the policy may only resume PAUSED trials. */
  newTrialsAllowed: boolean;
  /** The highest trial id when the view was taken (another replica changing it makes the plan stale). */
  snapshot: number;
  done: boolean;
  /** Per caller: it asked for trials, holds none, and the tenant's active-trial quota left none. */
  overQuota: boolean[];
}

const LIVE_AND_COUNTED: TrialState[] = ['REQUESTED', 'ACTIVE', 'PAUSED', 'STOPPING', 'SUCCEEDED', 'INFEASIBLE', 'EARLY_STOPPED'];

function limits(study: StudyRecord, counts: Record<TrialState, number>, stepsSpent: number): { parallelRoom: number; newRoom: number } {
  const { maxParallel, maxTrials } = study.config;
  const existing = LIVE_AND_COUNTED.reduce((n, s) => n + counts[s], 0);
  const budget = study.config.earlyStopping.maxStepsTotal ?? 0;
  return {
    parallelRoom: maxParallel > 0 ? maxParallel - (counts.ACTIVE + counts.STOPPING) : Infinity,
    // FAILED trials do not count: their slots are handed out again. A spent step budget
    // (early_stopping.max_steps_total) closes the study to new trials like max_trials does.
    newRoom: budget > 0 && stepsSpent >= budget ? 0 : maxTrials > 0 ? Math.max(0, maxTrials - existing) : Infinity,
  };
}

/** Steps trained so far over the study's trials (each trial's last reported step), for max_steps_total. */
async function stepsSpent(tx: StudyTransaction): Promise<number> {
  if (!((tx.study.config.earlyStopping.maxStepsTotal ?? 0) > 0)) return 0;
  const trials = await tx.listTrials({});
  return trials.reduce((n, t) => n + Math.max(t.lastStep, 0), 0);
}

/** First transaction: expire the study's leases, give every caller its own ACTIVE trials back (with a
 *  fresh lease) and work out how many new suggestions the limits allow. Nothing creates REQUESTED
 *  trials today, so there are no unassigned ones to hand out before asking the policy. */
export async function planBatch(tx: StudyTransaction, requests: SuggestRequestOf[], quota: ActiveTrialQuota = { maxActiveTrials: 0 }): Promise<BatchPlan & { expired: number[] }> {
  const { study } = tx;
  const expired = await tx.expireLeases();
  const lease = tx.now + study.config.leaseSeconds;
  // Every caller's own ACTIVE trials in one read and one lease renewal (not two statements a caller).
  const held = await tx.listTrials({ states: ['ACTIVE'], clientIds: requests.map((r) => r.clientId), withMeasurements: true });
  const given: TrialRecord[][] = requests.map((r) =>
    held.filter((t) => t.clientId === r.clientId).slice(0, r.count).map((t) => ({ ...t, leaseExpiresAt: lease })),
  );
  await tx.updateTrials(given.flat().map((t) => t.id), { leaseExpiresAt: lease });
  const needs = requests.map((r, i) => r.count - given[i].length);
  const counts = await tx.countTrials();
  const { parallelRoom, newRoom } = limits(study, counts, await stepsSpent(tx));
  const done = newRoom === 0 && counts.PAUSED === 0;
  // With no room for new trials, only PAUSED ones can still be handed out (resumed).
  // The quota is re-checked exactly when the trials are written (applyBatch); here it only keeps the
  // policy from computing suggestions nobody may take.
  const quotaRoom = quota.maxActiveTrials > 0 ? Math.max(0, quota.maxActiveTrials - (await tx.leasedTrialsOfTenant(false))) : Infinity;
  const wanted = needs.reduce((a, b) => a + b, 0);
  const need = Math.max(0, Math.min(wanted, parallelRoom, quotaRoom, newRoom === 0 ? counts.PAUSED : Infinity));
  const newTrialsAllowed = newRoom > 0;
  if (need === 0) {
    const overQuota = needs.map((n, i) => quotaRoom === 0 && n > 0 && given[i].length === 0);
    return { study, given, needs, need: 0, snapshot: 0, done, expired, newTrialsAllowed, overQuota };
  }
  // Learning curves matter to suggestions only under freeze-thaw (thaw or start new); elsewhere the
  // policies use final measurements, and leaving the curves out keeps a big study's snapshot small.
  const trials = await tx.history(study.config.earlyStopping.mode === 'FREEZE_THAW');
  const overQuota = requests.map(() => false);
  return { study, given, needs, need, view: toView(study.config, trials), history: trials, snapshot: await tx.maxTrialId(), done, expired, newTrialsAllowed, overQuota };
}

/** Assignment keys a new suggestion must not repeat: the trials written since the plan's snapshot (by
 *  another replica, or a batch this one ran meanwhile) — the policy saw everything before it — and, for
 *  GRID_SEARCH, whose points are unique by definition, every trial of the study. FAILED trials' points
 *  may be handed out again (their slots are). */
async function takenAssignments(tx: StudyTransaction, since: TrialRecord[]): Promise<Set<string>> {
  const space = { parameters: tx.study.config.parameters };
  const trials = tx.study.config.algorithm === 'GRID_SEARCH' ? await tx.listTrials() : since;
  return new Set(trials.filter((t) => t.state !== 'FAILED').map((t) => assignmentKey(space, t.parameters)));
}

/** Suggestions are validated and keyed before the second transaction opens (in the policy worker when
 *  there is one), so the transaction, which on SQLite holds the one connection every other request
 *  needs, stays a few statements long. */
export { checkSuggestions, type CheckedSuggestion };

/** Second transaction: store the policy's suggestions (new ACTIVE trials, or PAUSED trials resumed
 *  from their next step), callers served in order, the limits re-checked; 'stale' when another process
 *  added trials since the plan (the caller recomputes). The advice's tokens are counted either way. */
export async function applyBatch(
  tx: StudyTransaction,
  requests: SuggestRequestOf[],
  plan: BatchPlan,
  suggestions: CheckedSuggestion[],
  tokensUsed: number,
  mayBeStale: boolean,
  quota: ActiveTrialQuota = { maxActiveTrials: 0 },
): Promise<{ given: TrialRecord[][]; handedOut: HandedOut[][]; done: boolean; overQuota: boolean[] } | 'stale'> {
  if (tokensUsed > 0) await tx.addTokensUsed(tokensUsed);
  const since = await tx.trialsAfter(plan.snapshot);
  if (mayBeStale && since.length > 0) return 'stale';
  // On the last attempt the plan may still be stale: the suggestions are written, but none that
  // repeats an assignment written meanwhile (two replicas never hand out one grid point twice).
  const taken = await takenAssignments(tx, since);
  const { config } = tx.study;
  const before = await tx.countTrials();
  let { parallelRoom, newRoom } = limits(tx.study, before, await stepsSpent(tx));
  // Counted under the tenant's quota lock, after the study's: exact across studies and replicas.
  let quotaRoom = quota.maxActiveTrials > 0 ? Math.max(0, quota.maxActiveTrials - (await tx.leasedTrialsOfTenant(true))) : Infinity;
  const lease = tx.now + config.leaseSeconds;
  const given = plan.given.map((g) => [...g]);
  const handedOut: HandedOut[][] = requests.map(() => []);
  // New trials are written together after the loop (one multi-row INSERT); their places are kept.
  const fresh: Array<{ caller: number; slot: number; trial: NewTrial }> = [];
  let resumed = 0;
  // Checked here, just before the trials are written: a caller gone by now gets none.
  const remaining = plan.needs.map((n, i) => (requests[i].gone?.() ? 0 : n));
  let caller = 0;
  for (const s of suggestions.slice(0, plan.need)) {
    while (caller < remaining.length && remaining[caller] <= 0) caller++;
    if (caller >= remaining.length || parallelRoom <= 0 || quotaRoom <= 0) break;
    const clientId = requests[caller].clientId;
    if (s.resumeTrialId !== undefined) {
      const paused = await tx.getTrial(s.resumeTrialId, true);
      if (!paused || paused.state !== 'PAUSED') continue;
      const patch = { state: 'ACTIVE' as const, clientId, leaseExpiresAt: lease, resumeFromStep: paused.lastStep + 1, statusReason: s.reason ?? 'resumed' };
      await tx.updateTrial(paused.id, patch);
      given[caller].push({ ...paused, ...patch });
      handedOut[caller].push({ trialId: paused.id, clientId, paused });
      resumed += 1;
    } else {
      if (newRoom <= 0) continue;
      const { parameters, key } = s.checked ?? checkSuggestions(config, [s])[0].checked!;
      if (taken.has(key)) continue;
      taken.add(key);
      fresh.push({ caller, slot: given[caller].length, trial: { state: 'ACTIVE', parameters, clientId, leaseExpiresAt: lease, startTime: tx.now, statusReason: s.reason ?? '', origin: s.origin } });
      given[caller].push(undefined as unknown as TrialRecord);
      newRoom -= 1;
    }
    remaining[caller] -= 1;
    parallelRoom -= 1;
    quotaRoom -= 1;
  }
  const inserted = await tx.insertTrials(fresh.map((f) => f.trial));
  fresh.forEach((f, k) => {
    given[f.caller][f.slot] = inserted[k];
    handedOut[f.caller].push({ trialId: inserted[k].id, clientId: f.trial.clientId! });
  });
  const overQuota = given.map((g, i) => quotaRoom <= 0 && plan.needs[i] > 0 && g.length === 0);
  // The counts now: those read above with this transaction's own writes (lock-free completions since
  // can only make the study look busier than it is, which a caller's next call corrects).
  let after: Record<TrialState, number> = { ...before, ACTIVE: before.ACTIVE + inserted.length + resumed, PAUSED: before.PAUSED - resumed };
  if (!plan.newTrialsAllowed && suggestions.length === 0 && after.PAUSED > 0) {
    after = await tx.countTrials();
    if (after.PAUSED > 0 && after.REQUESTED + after.ACTIVE + after.STOPPING === 0) {
      // At max_trials with nothing training, no new data can change the policy's refusal to resume the
      // paused trials: they end as early-stopped trials (their last measurement), and the study ends.
      for (const trial of await tx.listTrials({ states: ['PAUSED'], withMeasurements: true })) {
        await finishPausedTrial(tx, trial, 'not resumed: the study reached its budget (max_trials or max_steps_total) and the model gives this trial no real chance to beat the incumbent');
      }
      after = await tx.countTrials();
    }
  }
  const live = after.REQUESTED + after.ACTIVE + after.PAUSED + after.STOPPING;
  const closed = config.maxTrials > 0 || (config.earlyStopping.maxStepsTotal ?? 0) > 0;
  const done = (closed && newRoom <= 0 && after.PAUSED === 0) || (suggestions.length === 0 && live === 0);
  return { given, handedOut, done, overQuota };
}

/** A trial a batch handed to a caller: new, or resumed from `paused` (the row as it was). */
export interface HandedOut {
  trialId: number;
  clientId: string;
  paused?: TrialRecord;
}

/** Undoes hand-outs whose caller went away while the batch was being stored (its deadline passed or it
 *  cancelled between the last check and the commit): nobody will train those trials, and left ACTIVE
 *  they would hold a parallel slot and the tenant's quota until the lease ran out. A new trial ends
 *  FAILED (its slot, like any failed trial's, is handed out again); a resumed one goes back to PAUSED as
 *  it was. A trial the caller already reported on (it was received after all) is left alone. Past this
 *  point the answer is on the wire, and only the lease can tell. */
export async function releaseUnreceived(tx: StudyTransaction, handedOut: HandedOut[]): Promise<number[]> {
  const released: number[] = [];
  for (const h of handedOut) {
    const now = await tx.getTrial(h.trialId);
    const untouched = h.paused ? now?.lastStep === h.paused.lastStep : (now?.lastStep ?? 0) < 0;
    if (!now || now.state !== 'ACTIVE' || now.clientId !== h.clientId || !untouched) continue;
    if (h.paused) {
      const { clientId, leaseExpiresAt, resumeFromStep, statusReason } = h.paused;
      await tx.updateTrial(h.trialId, { state: 'PAUSED', clientId, leaseExpiresAt, resumeFromStep, statusReason });
    } else {
      await tx.updateTrial(h.trialId, { state: 'FAILED', leaseExpiresAt: null, completeTime: tx.now, statusReason: 'not received: the caller went away (cancelled, or its deadline passed) before the suggestion reached it' });
    }
    released.push(h.trialId);
  }
  return released;
}

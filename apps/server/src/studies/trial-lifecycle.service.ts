/** The trial lifecycle: ReportIntermediate, CompleteTrial, FailTrial, AddTrials, StopTrial, Heartbeat,
 *  and the reads. Every write happens in the study's serialised transaction, so a rejected call changes
 *  nothing; the common report and completion of a live trial take one statement without the study lock.
 *  Takes and returns domain records (Measurement, TrialRecord with its study's config): wire mapping is
 *  the controllers' business. SuggestTrials is the SuggestionCoordinator's. */
import { Inject, Injectable } from '../nest';
import { FailedPreconditionError, InvalidArgumentError, NotFoundError } from '@hpo/core';
import { validateMeasurement, warmUpReason } from '@hpo/core';
import type { Measurement, StopDecision, StudyConfig, TrialState } from '@hpo/core';
import { validateAssignment } from '@hpo/space';
import type { Assignment } from '@hpo/space';
import type { Storage, StudyTransaction, TenantRecord, TrialPatch, TrialRecord } from '../storage/storage';
import { APP_LOGGER, POLICY_RUNNER, STORAGE } from '../tokens';
import { tenantLane } from '../suggestion/policy-runner';
import type { PolicyRunner } from '../suggestion/policy-runner';
import { decideOrFallBack } from '../suggestion/policy-fallback';
import { readPolicyState, storePolicyState } from '../suggestion/policy-state';
import type { AppLogger } from '../logging/pino-logger.service';
import { MAX_MEASUREMENTS_PER_TRIAL } from '../grpc/request-limits';
import { sameMeasurement } from './measurement-equality';
import { finishPausedTrial } from './finish-paused-trial';
import { toView } from './study-view';
import { decodePageToken, encodePageToken, pageSize } from './page-token';
import { SuggestionCoordinator } from './suggestion-coordinator';
import { validClientId } from './client-id';
import { trialName } from './resource-names';

const LEASED: TrialState[] = ['ACTIVE', 'STOPPING'];

/** A STOP decision ends the trial: EARLY_STOPPED with its last measurement as final_measurement, or
 *  SUCCEEDED when it already reported max_step (nothing was cut short). */
function earlyStopPatch(trial: TrialRecord, reason: string, now: number, maxStep: number): TrialPatch {
  const last = trial.measurements[trial.measurements.length - 1];
  const reachedEnd = maxStep > 0 && last !== undefined && last.step >= maxStep;
  return { state: reachedEnd ? 'SUCCEEDED' : 'EARLY_STOPPED', finalMeasurement: last, completeTime: now, leaseExpiresAt: null, statusReason: reason };
}
const MAX_FAILURE_REASON = 4096;

/** A trial and its study's config (what a caller needs to show it). */
export interface StudyTrial {
  config: StudyConfig;
  trial: TrialRecord;
}

export interface StudyTrials {
  config: StudyConfig;
  trials: TrialRecord[];
}

/** How a worker ends a trial: with a final measurement (or its last report when omitted), or infeasible. */
export type Completion = { infeasible: false; finalMeasurement?: Measurement } | { infeasible: true; reason: string };

/** A trial evaluated elsewhere (AddTrials), as decoded from the request; validated against the study here. */
export interface AddedTrial {
  parameters: Assignment;
  measurements: Measurement[];
  finalMeasurement?: Measurement;
  infeasible: boolean;
  infeasibleReason: string;
}

/** A page of trials; `tokenAfter(id)` continues after trial `id` (the caller may cut the page shorter). */
export interface TrialPage extends StudyTrials {
  /** More trials follow the last one returned. */
  more: boolean;
  tokenAfter(trialId: number): string;
}

function notFoundTrial(studyId: number, trialId: number): NotFoundError {
  return new NotFoundError(`trial ${trialName(studyId, trialId)} not found`);
}

function notFoundStudy(studyId: number): NotFoundError {
  return new NotFoundError(`study studies/${studyId} not found`);
}

/** A call that names its client (ReportIntermediate, CompleteTrial, Heartbeat of one trial) must come
 *  from the trial's holder: after a lost reply and a resume elsewhere, the old worker learns that it
 *  lost the trial instead of training it alongside the new one. No client_id: not checked. */
function requireHolder(trial: TrialRecord, clientId: string | undefined, studyId: number): void {
  if (clientId === undefined || trial.clientId === clientId) return;
  throw new FailedPreconditionError(`trial ${trialName(studyId, trial.id)} is held by client "${trial.clientId}", not "${clientId}"`);
}

@Injectable()
export class TrialLifecycle {
  constructor(
    @Inject(STORAGE) private readonly storage: Storage,
    @Inject(POLICY_RUNNER) private readonly runner: PolicyRunner,
    @Inject(APP_LOGGER) private readonly logger: AppLogger,
    private readonly coordinator: SuggestionCoordinator,
  ) {}

  private async inStudy<T>(tenant: TenantRecord, studyId: number, work: (tx: StudyTransaction) => Promise<T>): Promise<T> {
    const r = await this.storage.studyTransaction(tenant.id, studyId, work);
    if (r === undefined) throw notFoundStudy(studyId);
    return r;
  }

  // ---- ReportIntermediate ----

  /** With `clientIdRaw`, only the trial's holder may report (requireHolder). */
  async report(tenant: TenantRecord, studyId: number, trialId: number, measurement: Measurement, clientIdRaw?: string): Promise<StudyTrial & { decision: StopDecision }> {
    const clientId = clientIdRaw ? validClientId(clientIdRaw) : undefined;
    const quick = await this.reportWithoutLock(tenant, studyId, trialId, measurement, clientId);
    if (quick) return quick;
    const stored = await this.inStudy(tenant, studyId, async (tx) => {
      const trial = await tx.getTrial(trialId, true);
      if (!trial) throw notFoundTrial(studyId, trialId);
      validateMeasurement(tx.study.config, measurement, 'measurement');
      if (trial.state !== 'ACTIVE' && trial.state !== 'STOPPING') {
        throw new FailedPreconditionError(
          `trial ${trialName(studyId, trialId)} is ${trial.state}: intermediate measurements are accepted only while ACTIVE or STOPPING`,
        );
      }
      requireHolder(trial, clientId, studyId);
      const last = trial.measurements[trial.measurements.length - 1];
      const retry = last !== undefined && last.step === measurement.step && sameMeasurement(last, measurement);
      if (!retry && trial.measurements.length >= MAX_MEASUREMENTS_PER_TRIAL) {
        throw new InvalidArgumentError('measurement', `a trial holds at most ${MAX_MEASUREMENTS_PER_TRIAL} intermediate measurements (this one has ${trial.measurements.length}); complete it`);
      }
      if (!retry && measurement.step <= trial.lastStep) {
        throw new InvalidArgumentError('measurement.step', `must be greater than the last reported step ${trial.lastStep} (got ${measurement.step})`);
      }
      const leaseExpiresAt = tx.now + tx.study.config.leaseSeconds;
      if (!retry) {
        await tx.addMeasurement(trialId, measurement);
        trial.measurements.push(measurement);
      }
      await tx.updateTrial(trialId, { lastStep: Math.max(trial.lastStep, measurement.step), leaseExpiresAt });
      const updated: TrialRecord = { ...trial, lastStep: Math.max(trial.lastStep, measurement.step), leaseExpiresAt };
      if (trial.state === 'STOPPING' || tx.study.config.earlyStopping.mode === 'NONE') return { trial: updated, config: tx.study.config };
      // Inside the step warm-up no mode decides: CONTINUE without reading the history or asking the policy
      // (a third of all reports where trials are paused at their first decision).
      const warmUp = warmUpReason(tx.study.config, trial.measurements.length, measurement.step);
      if (warmUp) return { trial: updated, config: tx.study.config, warmUp };
      const view = toView(tx.study.config, await tx.history(true));
      return { trial: updated, config: tx.study.config, view, state: readPolicyState(tx.study.policyStateJson) };
    });
    const { config } = stored;
    if (stored.trial.state === 'STOPPING') {
      return { decision: { decision: 'STOP', reason: stored.trial.statusReason || 'stop requested (StopTrial)' }, config, trial: stored.trial };
    }
    if (stored.warmUp) return { decision: { decision: 'CONTINUE', reason: stored.warmUp }, config, trial: stored.trial };
    if (!stored.view) {
      return { decision: { decision: 'CONTINUE', reason: 'no early stopping configured' }, config, trial: stored.trial };
    }
    const read = stored.state ?? {};
    const warn = (entry: object) => this.logger.warn({ ...entry, study: `studies/${studyId}` });
    const result = await decideOrFallBack(this.runner, { study: stored.view, trialIds: [trialId], state: read }, warn, tenantLane(tenant.id));
    const [decision] = result.decisions;
    const { state } = result;
    const stateChanged = JSON.stringify(state) !== JSON.stringify(read);
    if (decision.decision === 'CONTINUE') {
      // inStudy reads an undefined result as "study not found": answer something.
      if (stateChanged) await this.inStudy(tenant, studyId, async (tx) => (await storePolicyState(tx, read, state), true));
      return { decision, config, trial: stored.trial };
    }
    return this.inStudy(tenant, studyId, async (tx) => {
      if (stateChanged) await storePolicyState(tx, read, state);
      const trial = await tx.getTrial(trialId, true);
      if (!trial) throw notFoundTrial(studyId, trialId);
      if (trial.state === 'STOPPING') {
        return { decision: { decision: 'STOP' as const, reason: trial.statusReason || 'stop requested (StopTrial)' }, config, trial };
      }
      if (trial.state !== 'ACTIVE') return { decision, config, trial };
      if (decision.decision === 'PAUSE') {
        const patch = { state: 'PAUSED' as const, clientId: '', leaseExpiresAt: null, statusReason: decision.reason };
        await tx.updateTrial(trialId, patch);
        return { decision, config, trial: { ...trial, ...patch } };
      }
      // STOP from the rule: the trial ends here, EARLY_STOPPED with its last measurement (Optuna's
      // PRUNED); the worker's CompleteTrial that follows returns it unchanged.
      const patch = earlyStopPatch(trial, decision.reason, tx.now, config.earlyStopping.maxStep);
      await tx.updateTrial(trialId, patch);
      return { decision, config, trial: { ...trial, ...patch } };
    });
  }

  /** Without early stopping there is nothing to decide: a new step of a live trial is stored in one
   *  statement, without the study lock. undefined sends the call down the locked path (retried reports,
   *  finished or unknown trials, bad input, early-stopping studies). */
  private async reportWithoutLock(
    tenant: TenantRecord,
    studyId: number,
    trialId: number,
    measurement: Measurement,
    clientId: string | undefined,
  ): Promise<(StudyTrial & { decision: StopDecision }) | undefined> {
    const config = await this.storage.studyConfig(tenant.id, studyId);
    if (!config || config.earlyStopping.mode !== 'NONE') return undefined;
    try {
      validateMeasurement(config, measurement, 'measurement');
    } catch {
      return undefined;
    }
    const trial = await this.storage.recordLeasedMeasurement(tenant.id, studyId, trialId, measurement, config.leaseSeconds, MAX_MEASUREMENTS_PER_TRIAL, clientId);
    if (!trial) return undefined;
    const decision: StopDecision =
      trial.state === 'STOPPING'
        ? { decision: 'STOP', reason: trial.statusReason || 'stop requested (StopTrial)' }
        : { decision: 'CONTINUE', reason: 'no early stopping configured' };
    return { decision, config, trial };
  }

  // ---- CompleteTrial ----

  /** With `clientIdRaw`, only the holder may complete a live trial (requireHolder). */
  async complete(tenant: TenantRecord, studyId: number, trialId: number, completion: Completion, clientIdRaw?: string): Promise<StudyTrial> {
    const requested = completion.infeasible ? undefined : completion.finalMeasurement;
    const infeasibleReason = completion.infeasible ? completion.reason : '';
    const clientId = clientIdRaw ? validClientId(clientIdRaw) : undefined;
    const finished = await this.completeWithoutLock(tenant, studyId, trialId, completion.infeasible ? { state: 'INFEASIBLE', infeasibleReason } : requested, clientId);
    if (finished) return finished;
    return this.inStudy(tenant, studyId, async (tx) => {
      const { config } = tx.study;
      const trial = await tx.getTrial(trialId, true);
      if (!trial) throw notFoundTrial(studyId, trialId);
      const name = trialName(studyId, trialId);
      // Finished trials answer as before (a retried completion is a no-op); a live one only to its holder.
      if (trial.state === 'ACTIVE' || trial.state === 'STOPPING') requireHolder(trial, clientId, studyId);
      if (completion.infeasible) {
        if (trial.state === 'INFEASIBLE') return { config, trial };
        this.requireCompletable(trial, name, 'infeasible');
        const patch = { state: 'INFEASIBLE' as const, infeasibleReason, completeTime: tx.now, leaseExpiresAt: null };
        await tx.updateTrial(trialId, patch);
        return { config, trial: { ...trial, ...patch } };
      }
      const final = requested ?? trial.measurements[trial.measurements.length - 1];
      if (!final) {
        throw new InvalidArgumentError('final_measurement', 'is required when the trial has no intermediate measurement to use instead');
      }
      validateMeasurement(config, final, 'final_measurement', { final: true });
      // Stopped by the early-stopping rule: its value is its last report, a partial curve; the worker's
      // completion (with that report or its own final value) is acknowledged and changes nothing.
      if (trial.state === 'EARLY_STOPPED') return { config, trial };
      if (trial.state === 'SUCCEEDED') {
        if (sameMeasurement(trial.finalMeasurement, final)) return { config, trial };
        throw new FailedPreconditionError(`trial ${name} is already SUCCEEDED with a different final measurement`);
      }
      this.requireCompletable(trial, name, 'completed');
      const patch = { state: 'SUCCEEDED' as const, finalMeasurement: final, completeTime: tx.now, leaseExpiresAt: null };
      await tx.updateTrial(trialId, patch);
      return { config, trial: { ...trial, ...patch } };
    });
  }

  /** The common case in one statement, without the study lock: a live trial ended with a valid final
   *  measurement (or as infeasible). undefined sends the call down the locked path, which answers every
   *  other case (retries, finished or unknown trials, bad input) as before. */
  private async completeWithoutLock(
    tenant: TenantRecord,
    studyId: number,
    trialId: number,
    outcome: Measurement | { state: 'INFEASIBLE'; infeasibleReason: string } | undefined,
    clientId: string | undefined,
  ): Promise<StudyTrial | undefined> {
    if (!outcome) return undefined;
    const config = await this.storage.studyConfig(tenant.id, studyId);
    if (!config) return undefined;
    if (!('state' in outcome)) {
      try {
        validateMeasurement(config, outcome, 'final_measurement', { final: true });
      } catch {
        return undefined;
      }
    }
    const ending = 'state' in outcome ? outcome : { state: 'SUCCEEDED' as const, finalMeasurement: outcome };
    const trial = await this.storage.finishLeasedTrial(tenant.id, studyId, trialId, ending, clientId);
    return trial && { config, trial };
  }

  // ---- FailTrial ----

  /** The client gives up on a trial (its code threw, or produced NaN or an unknown metric): FAILED with
   *  the reason, like a lost lease, so the slot is handed out again and the algorithm ignores it. */
  async fail(tenant: TenantRecord, studyId: number, trialId: number, reasonRaw: string, clientIdRaw: string): Promise<StudyTrial> {
    const reason = reasonRaw ?? '';
    if (reason.length > MAX_FAILURE_REASON) {
      throw new InvalidArgumentError('reason', `must be at most ${MAX_FAILURE_REASON} characters (got ${reason.length})`);
    }
    const clientId = clientIdRaw ? validClientId(clientIdRaw) : undefined;
    return this.inStudy(tenant, studyId, async (tx) => {
      const { config } = tx.study;
      const trial = await tx.getTrial(trialId, true);
      if (!trial) throw notFoundTrial(studyId, trialId);
      const name = trialName(studyId, trialId);
      if (trial.state === 'FAILED') return { config, trial };
      this.requireCompletable(trial, name, 'failed');
      if (clientId !== undefined && trial.state !== 'PAUSED' && trial.clientId !== clientId) {
        throw new FailedPreconditionError(`trial ${name} is held by client "${trial.clientId}", not "${clientId}"`);
      }
      const patch = {
        state: 'FAILED' as const,
        statusReason: reason || 'failed by the client',
        completeTime: tx.now,
        leaseExpiresAt: null,
      };
      await tx.updateTrial(trialId, patch);
      return { config, trial: { ...trial, ...patch } };
    });
  }

  private requireCompletable(trial: TrialRecord, name: string, as: string): void {
    if (trial.state === 'ACTIVE' || trial.state === 'STOPPING' || trial.state === 'PAUSED') return;
    const why =
      trial.state === 'FAILED'
        ? `its lease expired (${trial.statusReason || 'no heartbeat'}) and its slot was handed out again`
        : trial.state === 'REQUESTED'
          ? 'it has not been handed to a worker'
          : 'it is already finished';
    throw new FailedPreconditionError(`trial ${name} is ${trial.state} and cannot be ${as}: ${why}`);
  }

  // ---- AddTrials ----

  async add(tenant: TenantRecord, studyId: number, added: AddedTrial[]): Promise<StudyTrials> {
    const study = await this.storage.getStudy(tenant.id, studyId);
    if (!study) throw notFoundStudy(studyId);
    if (!added || added.length === 0) throw new InvalidArgumentError('trials', 'must contain at least one trial');
    if (added.length > 1000) throw new InvalidArgumentError('trials', `at most 1000 trials per call (got ${added.length})`);
    const space = { parameters: study.config.parameters };
    const prepared = added.map((w, i) => {
      const field = `trials[${i}]`;
      const parameters: Assignment = validateAssignment(space, w.parameters, `${field}.parameters`);
      const measurements: Measurement[] = w.measurements.map((m, j) => {
        validateMeasurement(study.config, m, `${field}.measurements[${j}]`);
        return m;
      });
      for (let j = 1; j < measurements.length; j++) {
        if (measurements[j].step <= measurements[j - 1].step) {
          throw new InvalidArgumentError(`${field}.measurements[${j}].step`, 'steps must strictly increase');
        }
      }
      if (w.finalMeasurement) {
        const final = w.finalMeasurement;
        validateMeasurement(study.config, final, `${field}.final_measurement`, { final: true });
        return { state: 'SUCCEEDED' as const, parameters, finalMeasurement: final, measurements };
      }
      if (w.infeasible || w.infeasibleReason !== '') {
        return { state: 'INFEASIBLE' as const, parameters, measurements, infeasibleReason: w.infeasibleReason || 'added as infeasible' };
      }
      throw new InvalidArgumentError(`${field}.final_measurement`, 'is required (or state INFEASIBLE / an infeasible_reason)');
    });
    return this.coordinator.exclusive(tenant, studyId, () =>
      this.inStudy(tenant, studyId, async (tx) => {
        const trials = await tx.insertTrials(prepared.map((p) => ({ ...p, statusReason: 'added (AddTrials)', origin: 'added' as const, startTime: tx.now, completeTime: tx.now })));
        return { config: tx.study.config, trials };
      }),
    );
  }

  // ---- reads ----

  async get(tenant: TenantRecord, studyId: number, trialId: number): Promise<StudyTrial> {
    const study = await this.storage.getStudy(tenant.id, studyId);
    if (!study) throw notFoundTrial(studyId, trialId);
    const trial = await this.storage.getTrial(tenant.id, studyId, trialId);
    if (!trial) throw notFoundTrial(studyId, trialId);
    return { config: study.config, trial };
  }

  async list(
    tenant: TenantRecord,
    studyId: number,
    requestedSize: number,
    token: string,
    states: string[],
  ): Promise<TrialPage> {
    const size = pageSize(requestedSize);
    const known = ['REQUESTED', 'ACTIVE', 'PAUSED', 'STOPPING', 'SUCCEEDED', 'INFEASIBLE', 'FAILED', 'EARLY_STOPPED'];
    (states ?? []).forEach((s, i) => {
      if (!known.includes(s)) throw new InvalidArgumentError(`states[${i}]`, `must be one of ${known.join(', ')} (got ${s})`);
    });
    const filter = [...new Set(states ?? [])].sort().join(',');
    const afterId = decodePageToken(token, `trials/${studyId}`, filter);
    const study = await this.storage.getStudy(tenant.id, studyId);
    if (!study) throw notFoundStudy(studyId);
    const rows = await this.storage.listTrials(tenant.id, studyId, {
      states: (states ?? []) as TrialState[],
      afterId,
      limit: size + 1,
      withMeasurements: true,
    });
    return {
      config: study.config,
      trials: rows.slice(0, size),
      more: rows.length > size,
      tokenAfter: (trialId) => encodePageToken(`trials/${studyId}`, filter, trialId),
    };
  }

  async optimal(tenant: TenantRecord, studyId: number): Promise<StudyTrials> {
    const study = await this.storage.getStudy(tenant.id, studyId);
    if (!study) throw notFoundStudy(studyId);
    const trials = await this.storage.listTrials(tenant.id, studyId, { states: ['SUCCEEDED', 'EARLY_STOPPED'], withMeasurements: true });
    const byId = new Map(trials.map((t) => [t.id, t]));
    // In a noisy GP study the trial with the best posterior mean, its status_reason saying so (in this
    // answer only: the stored trial keeps its own).
    const optimal = await this.runner.optimal(toView(study.config, trials), tenantLane(tenant.id));
    const records = optimal.trials.map((v) => byId.get(v.id) as TrialRecord);
    return { config: study.config, trials: optimal.reason ? records.map((r) => ({ ...r, statusReason: optimal.reason! })) : records };
  }

  // ---- StopTrial ----

  /** ACTIVE → STOPPING (its worker learns at the next report or heartbeat); PAUSED → SUCCEEDED with its
   *  last measurement (nothing is training it); a trial already stopping or finished is returned as is. */
  async stop(tenant: TenantRecord, studyId: number, trialId: number): Promise<StudyTrial> {
    return this.inStudy(tenant, studyId, async (tx) => {
      const trial = await tx.getTrial(trialId, true);
      if (!trial) throw notFoundTrial(studyId, trialId);
      const { config } = tx.study;
      if (trial.state === 'ACTIVE') {
        const patch = { state: 'STOPPING' as const, statusReason: 'stop requested (StopTrial)' };
        await tx.updateTrial(trialId, patch);
        return { config, trial: { ...trial, ...patch } };
      }
      if (trial.state === 'PAUSED' || trial.state === 'REQUESTED') {
        return { config, trial: await finishPausedTrial(tx, trial, 'stopped while paused (StopTrial)') };
      }
      return { config, trial };
    });
  }

  // ---- Heartbeat ----

  /** Renews the leases of one trial (`trialId`) or of every trial the client holds; returns the renewed
   *  trials (STOPPING ones tell the worker to stop) and the new expiry. */
  async heartbeat(
    tenant: TenantRecord,
    studyId: number,
    holder: { clientId: string } | { trialId: number; clientId?: string },
  ): Promise<{ held: TrialRecord[]; leaseExpiresAt: number }> {
    if (!('trialId' in holder)) validClientId(holder.clientId);
    const checkedHolder = 'trialId' in holder && holder.clientId ? validClientId(holder.clientId) : undefined;
    return this.inStudy(tenant, studyId, async (tx) => {
      let held: TrialRecord[];
      if ('trialId' in holder) {
        const t = await tx.getTrial(holder.trialId);
        if (!t) throw notFoundTrial(studyId, holder.trialId);
        if (LEASED.includes(t.state)) requireHolder(t, checkedHolder, studyId);
        held = LEASED.includes(t.state) ? [t] : [];
      } else {
        held = await tx.listTrials({ states: LEASED, clientId: holder.clientId });
      }
      const leaseExpiresAt = tx.now + tx.study.config.leaseSeconds;
      for (const t of held) await tx.updateTrial(t.id, { leaseExpiresAt });
      return { held, leaseExpiresAt };
    });
  }
}

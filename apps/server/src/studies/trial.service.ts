/** The trial lifecycle: SuggestTrials, ReportIntermediate, CompleteTrial, FailTrial, AddTrials, StopTrial,
 *  Heartbeat, and the reads. Every write happens in the study's serialised transaction, so a rejected
 *  call changes nothing and two callers never get the same trial. */
import { Inject, Injectable, Optional } from '../nest';
import {
  FailedPreconditionError,
  InvalidArgumentError,
  NotFoundError,
  ResourceExhaustedError,
} from '@hpo/core';
import { bestTrials, createEarlyStoppingPolicy, validateMeasurement } from '@hpo/core';
import type { CandidateAdvisor, Measurement, PolicyState, StopDecision, StopRequest, SuggestRequest, SuggestResult, TrialState } from '@hpo/core';
import { mixSeed } from '@hpo/space';
import { validateAssignment } from '@hpo/space';
import type { Assignment } from '@hpo/space';
import type { Storage, StudyTransaction, TenantRecord, TrialRecord } from '../storage/storage';
import { APP_LOGGER, POLICY_POOL, STORAGE } from '../tokens';
import { CANDIDATE_ADVISOR } from '../suggestion/candidate-advisor.token';
import { seekAdvice } from '../suggestion/advice';
import { KeyedMutex } from '../suggestion/keyed-mutex';
import type { PolicyPool } from '../suggestion/policy-pool';
import { failureCause, fallbackDecision, fallbackSuggestions, isPolicyFailure } from '../suggestion/policy-fallback';
import { readPolicyState, storePolicyState } from '../suggestion/policy-state';
import type { AppLogger } from '../logging/pino-logger.service';
import { QUOTA_CONFIG } from '../quotas/quota.guard';
import { QuotaConfig, quotaFor } from '../quotas/quota-config';
import { assignmentFromWire, measurementFromWire, trialName, trialToWire } from '../grpc/wire-mapping';
import type { WireMeasurement, WireTrial } from '../grpc/wire-types';
import { sameMeasurement } from './measurement-equality';
import { MAX_MEASUREMENTS_PER_TRIAL } from '../grpc/request-limits';
import { applyBatch, planBatch, SuggestRequestOf } from './suggestion-batch';
import { finishPausedTrial } from './finish-paused-trial';
import { toView } from './study-view';
import { countWithinPageBytes, decodePageToken, encodePageToken, pageSize } from './page-token';

const LEASED: TrialState[] = ['ACTIVE', 'STOPPING'];
/** Seconds a caller over its tenant's active-trial quota is asked to wait: the quota frees up only as
 *  the tenant's trials finish, so polling faster helps nobody. */
const ACTIVE_QUOTA_RETRY_SECONDS = 5;
/** How often SuggestTrials recomputes when another replica changed the study while the policy ran. */
const MAX_SUGGEST_ATTEMPTS = 3;
const MAX_COUNT = 100;
const MAX_FAILURE_REASON = 4096;
/** Callers served by one policy call at most (bounds a batch's transactions and the policy's count). */
const MAX_BATCH_CALLERS = 64;

function notFoundTrial(studyId: number, trialId: number): NotFoundError {
  return new NotFoundError(`trial ${trialName(studyId, trialId)} not found`);
}

function notFoundStudy(studyId: number): NotFoundError {
  return new NotFoundError(`study studies/${studyId} not found`);
}

function validClientId(clientId: string | undefined, field = 'client_id'): string {
  const c = clientId ?? '';
  if (c.length < 1 || c.length > 256) throw new InvalidArgumentError(field, `must be 1 to 256 characters (got ${c.length})`);
  return c;
}

/** One SuggestTrials caller waiting in its study's queue. */
interface QueuedSuggest extends SuggestRequestOf {
  resolve(result: { trials: WireTrial[]; studyDone: boolean }): void;
  reject(error: unknown): void;
}

/** Takes the next batch off a study's queue: at most MAX_BATCH_CALLERS, one call per client id (a
 *  client's second call waits for the next batch, where it sees the trials its first one got). */
function takeBatch(queue: QueuedSuggest[]): QueuedSuggest[] {
  const batch: QueuedSuggest[] = [];
  const rest: QueuedSuggest[] = [];
  const clients = new Set<string>();
  for (const call of queue) {
    if (batch.length < MAX_BATCH_CALLERS && !clients.has(call.clientId)) {
      batch.push(call);
      clients.add(call.clientId);
    } else {
      rest.push(call);
    }
  }
  queue.splice(0, queue.length, ...rest);
  return batch;
}

@Injectable()
export class TrialService {
  private readonly studyLocks = new KeyedMutex();
  private readonly suggestQueues = new Map<string, QueuedSuggest[]>();

  constructor(
    @Inject(STORAGE) private readonly storage: Storage,
    @Inject(POLICY_POOL) private readonly pool: PolicyPool,
    @Inject(APP_LOGGER) private readonly logger: AppLogger,
    @Optional() @Inject(CANDIDATE_ADVISOR) private readonly advisor?: CandidateAdvisor,
    @Optional() @Inject(QUOTA_CONFIG) private readonly quotas?: QuotaConfig,
  ) {}

  private async inStudy<T>(tenant: TenantRecord, studyId: number, work: (tx: StudyTransaction) => Promise<T>): Promise<T> {
    const r = await this.storage.studyTransaction(tenant.id, studyId, work);
    if (r === undefined) throw notFoundStudy(studyId);
    return r;
  }

  // ---- SuggestTrials ----

  /** Queues the call on its study; one drain per study serves the queue in batches (see
   *  suggestion-batch.ts), under the same per-study lock as AddTrials. */
  suggest(tenant: TenantRecord, studyId: number, count: number, clientIdRaw: string): Promise<{ trials: WireTrial[]; studyDone: boolean }> {
    if (!Number.isInteger(count) || count < 1 || count > MAX_COUNT) {
      throw new InvalidArgumentError('count', `must be between 1 and ${MAX_COUNT} (got ${count})`);
    }
    const clientId = validClientId(clientIdRaw);
    const key = `${tenant.id}/${studyId}`;
    return new Promise((resolve, reject) => {
      const call: QueuedSuggest = { clientId, count, resolve, reject };
      const queue = this.suggestQueues.get(key);
      if (queue) {
        queue.push(call);
        return;
      }
      this.suggestQueues.set(key, [call]);
      void this.studyLocks.run(key, () => this.drainSuggestions(tenant, studyId, key));
    });
  }

  private async drainSuggestions(tenant: TenantRecord, studyId: number, key: string): Promise<void> {
    const queue = this.suggestQueues.get(key) as QueuedSuggest[];
    while (queue.length > 0) {
      const batch = takeBatch(queue);
      try {
        const results = await this.suggestBatch(tenant, studyId, batch);
        batch.forEach((call, i) => {
          const r = results[i];
          if (r instanceof Error) call.reject(r);
          else call.resolve(r);
        });
      } catch (error) {
        batch.forEach((call) => call.reject(error));
      }
    }
    // No await between the emptiness check and this delete: a caller arriving later starts a new drain.
    this.suggestQueues.delete(key);
  }

  private async suggestBatch(
    tenant: TenantRecord,
    studyId: number,
    requests: SuggestRequestOf[],
  ): Promise<Array<{ trials: WireTrial[]; studyDone: boolean } | ResourceExhaustedError>> {
    const maxActiveTrials = quotaFor(this.quotas, tenant.name).maxActiveTrials;
    const quota = { maxActiveTrials };
    const overQuota = () =>
      new ResourceExhaustedError(
        `quota: tenant "${tenant.name}" may have at most ${maxActiveTrials} active trials; complete or stop some first (retry after ${ACTIVE_QUOTA_RETRY_SECONDS} s)`,
        ACTIVE_QUOTA_RETRY_SECONDS,
      );
    for (let attempt = 1; ; attempt++) {
      const plan = await this.inStudy(tenant, studyId, (tx) => planBatch(tx, requests, quota));
      if (plan.expired.length > 0) this.logger.log({ msg: 'leases expired', study: `studies/${studyId}`, trials: plan.expired });
      const { config } = plan.study;
      // A caller the tenant's active-trial quota left with no trial at all is refused; one that holds
      // trials gets those (and any new ones the quota allowed).
      const answer = (given: TrialRecord[][], done: boolean, refused: boolean[]) =>
        given.map((g, i) => (refused[i] ? overQuota() : { trials: g.map((t) => trialToWire(config, t)), studyDone: done }));
      if (plan.need <= 0 || !plan.view) return answer(plan.given, plan.done, plan.overQuota);
      const advice = await seekAdvice(this.advisor, tenant, plan.study, plan.view, plan.need, (m) => this.logger.warn(m));
      const request: SuggestRequest = {
        study: plan.view,
        count: plan.need,
        seed: mixSeed(config.seed, plan.view.trials.length, attempt),
        externalCandidates: advice.candidates.length > 0 ? advice.candidates : undefined,
        newTrialsAllowed: plan.newTrialsAllowed,
        state: readPolicyState(plan.study.policyStateJson),
      };
      const result = await this.suggestOrFallBack(studyId, request);
      const outcome = await this.inStudy(tenant, studyId, async (tx) => {
        // The fit is worth keeping even when the plan went stale: it warm-starts the retry.
        await storePolicyState(tx, request.state ?? {}, result.state);
        return applyBatch(tx, requests, plan, result.suggestions, advice.tokensUsed, attempt < MAX_SUGGEST_ATTEMPTS, quota);
      });
      if (outcome !== 'stale') return answer(outcome.given, outcome.done, outcome.overQuota);
    }
  }

  /** The policy's suggestions, or the fallback's when the policy fails on this study's data (see
   *  policy-fallback.ts): the failed fit's state is dropped (an empty state), so the next call starts cold. */
  private async suggestOrFallBack(studyId: number, request: SuggestRequest): Promise<SuggestResult> {
    try {
      return await this.pool.suggest(request);
    } catch (error) {
      if (!isPolicyFailure(error)) throw error;
      const { algorithm } = request.study.config;
      this.logger.warn({ msg: 'suggestion policy failed; quasi-random fallback used', study: `studies/${studyId}`, algorithm, error: failureCause(error) });
      return { suggestions: await fallbackSuggestions(request, algorithm, error), state: {} };
    }
  }

  /** FREEZE_THAW decides in the pool, warm-started from the study's stored fit (the one its suggestions
   *  use too); MEDIAN inline. A rule that fails on this study's data answers CONTINUE with the cause as
   *  reason, and its state is dropped. */
  private async decideOrFallBack(studyId: number, request: StopRequest): Promise<{ decision: StopDecision; state: PolicyState }> {
    const { mode } = request.study.config.earlyStopping;
    try {
      // The median rule is a few comparisons per curve: cheaper inline than a hop to a worker thread
      // that may be busy fitting a GP. Model-based rules (FREEZE_THAW) run in the pool.
      const result = mode === 'MEDIAN' ? createEarlyStoppingPolicy(request.study.config).decide(request) : await this.pool.decide(request);
      return { decision: result.decisions[0], state: result.state };
    } catch (error) {
      if (!isPolicyFailure(error)) throw error;
      this.logger.warn({ msg: 'early-stopping rule failed; CONTINUE fallback used', study: `studies/${studyId}`, trials: request.trialIds, mode, error: failureCause(error) });
      return { decision: fallbackDecision(mode, error), state: {} };
    }
  }

  // ---- ReportIntermediate ----

  async report(
    tenant: TenantRecord,
    studyId: number,
    trialId: number,
    wire: WireMeasurement | null | undefined,
  ): Promise<{ decision: StopDecision; trial: WireTrial }> {
    if (!wire) throw new InvalidArgumentError('measurement', 'is required');
    const measurement = measurementFromWire(wire, 'measurement');
    const quick = await this.reportWithoutLock(tenant, studyId, trialId, measurement);
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
      const view = toView(tx.study.config, await tx.listTrials({ withMeasurements: true }));
      return { trial: updated, config: tx.study.config, view, state: readPolicyState(tx.study.policyStateJson) };
    });
    const { config } = stored;
    if (stored.trial.state === 'STOPPING') {
      return { decision: { decision: 'STOP', reason: stored.trial.statusReason || 'stop requested (StopTrial)' }, trial: trialToWire(config, stored.trial) };
    }
    if (!stored.view) {
      return { decision: { decision: 'CONTINUE', reason: 'no early stopping configured' }, trial: trialToWire(config, stored.trial) };
    }
    const read = stored.state ?? {};
    const { decision, state } = await this.decideOrFallBack(studyId, { study: stored.view, trialIds: [trialId], state: read });
    const stateChanged = JSON.stringify(state) !== JSON.stringify(read);
    if (decision.decision === 'CONTINUE') {
      // inStudy reads an undefined result as "study not found": answer something.
      if (stateChanged) await this.inStudy(tenant, studyId, async (tx) => (await storePolicyState(tx, read, state), true));
      return { decision, trial: trialToWire(config, stored.trial) };
    }
    return this.inStudy(tenant, studyId, async (tx) => {
      if (stateChanged) await storePolicyState(tx, read, state);
      const trial = await tx.getTrial(trialId, true);
      if (!trial) throw notFoundTrial(studyId, trialId);
      if (trial.state === 'STOPPING') {
        return { decision: { decision: 'STOP' as const, reason: trial.statusReason || 'stop requested (StopTrial)' }, trial: trialToWire(config, trial) };
      }
      if (trial.state !== 'ACTIVE') return { decision, trial: trialToWire(config, trial) };
      if (decision.decision === 'PAUSE') {
        const patch = { state: 'PAUSED' as const, clientId: '', leaseExpiresAt: null, statusReason: decision.reason };
        await tx.updateTrial(trialId, patch);
        return { decision, trial: trialToWire(config, { ...trial, ...patch }) };
      }
      await tx.updateTrial(trialId, { statusReason: decision.reason });
      return { decision, trial: trialToWire(config, { ...trial, statusReason: decision.reason }) };
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
  ): Promise<{ decision: StopDecision; trial: WireTrial } | undefined> {
    const config = await this.storage.studyConfig(tenant.id, studyId);
    if (!config || config.earlyStopping.mode !== 'NONE') return undefined;
    try {
      validateMeasurement(config, measurement, 'measurement');
    } catch {
      return undefined;
    }
    const trial = await this.storage.recordLeasedMeasurement(tenant.id, studyId, trialId, measurement, config.leaseSeconds);
    if (!trial) return undefined;
    const decision: StopDecision =
      trial.state === 'STOPPING'
        ? { decision: 'STOP', reason: trial.statusReason || 'stop requested (StopTrial)' }
        : { decision: 'CONTINUE', reason: 'no early stopping configured' };
    return { decision, trial: trialToWire(config, trial) };
  }

  // ---- CompleteTrial ----

  async complete(
    tenant: TenantRecord,
    studyId: number,
    trialId: number,
    finalWire: WireMeasurement | null | undefined,
    infeasible: boolean,
    infeasibleReason: string,
  ): Promise<WireTrial> {
    const requested = finalWire && !infeasible ? measurementFromWire(finalWire, 'final_measurement') : undefined;
    const finished = await this.completeWithoutLock(tenant, studyId, trialId, infeasible ? { state: 'INFEASIBLE', infeasibleReason: infeasibleReason ?? '' } : requested);
    if (finished) return finished;
    return this.inStudy(tenant, studyId, async (tx) => {
      const { config } = tx.study;
      const trial = await tx.getTrial(trialId, true);
      if (!trial) throw notFoundTrial(studyId, trialId);
      const name = trialName(studyId, trialId);
      if (infeasible) {
        if (trial.state === 'INFEASIBLE') return trialToWire(config, trial);
        this.requireCompletable(trial, name, 'infeasible');
        const patch = { state: 'INFEASIBLE' as const, infeasibleReason: infeasibleReason ?? '', completeTime: tx.now, leaseExpiresAt: null };
        await tx.updateTrial(trialId, patch);
        return trialToWire(config, { ...trial, ...patch });
      }
      const final = requested ?? trial.measurements[trial.measurements.length - 1];
      if (!final) {
        throw new InvalidArgumentError('final_measurement', 'is required when the trial has no intermediate measurement to use instead');
      }
      validateMeasurement(config, final, 'final_measurement', { final: true });
      if (trial.state === 'SUCCEEDED') {
        if (sameMeasurement(trial.finalMeasurement, final)) return trialToWire(config, trial);
        throw new FailedPreconditionError(`trial ${name} is already SUCCEEDED with a different final measurement`);
      }
      this.requireCompletable(trial, name, 'completed');
      const patch = { state: 'SUCCEEDED' as const, finalMeasurement: final, completeTime: tx.now, leaseExpiresAt: null };
      await tx.updateTrial(trialId, patch);
      return trialToWire(config, { ...trial, ...patch });
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
  ): Promise<WireTrial | undefined> {
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
    const trial = await this.storage.finishLeasedTrial(tenant.id, studyId, trialId, ending);
    return trial && trialToWire(config, trial);
  }

  // ---- FailTrial ----

  /** The client gives up on a trial (its code threw, or produced NaN or an unknown metric): FAILED with
   *  the reason, like a lost lease, so the slot is handed out again and the algorithm ignores it. */
  async fail(tenant: TenantRecord, studyId: number, trialId: number, reasonRaw: string, clientIdRaw: string): Promise<WireTrial> {
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
      if (trial.state === 'FAILED') return trialToWire(config, trial);
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
      return trialToWire(config, { ...trial, ...patch });
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

  async add(tenant: TenantRecord, studyId: number, wires: WireTrial[]): Promise<WireTrial[]> {
    const study = await this.storage.getStudy(tenant.id, studyId);
    if (!study) throw notFoundStudy(studyId);
    if (!wires || wires.length === 0) throw new InvalidArgumentError('trials', 'must contain at least one trial');
    if (wires.length > 1000) throw new InvalidArgumentError('trials', `at most 1000 trials per call (got ${wires.length})`);
    const space = { parameters: study.config.parameters };
    const prepared = wires.map((w, i) => {
      const field = `trials[${i}]`;
      const parameters: Assignment = validateAssignment(space, assignmentFromWire(w.parameters, `${field}.parameters`), `${field}.parameters`);
      const measurements: Measurement[] = (w.measurements ?? []).map((m, j) => {
        const mm = measurementFromWire(m, `${field}.measurements[${j}]`);
        validateMeasurement(study.config, mm, `${field}.measurements[${j}]`);
        return mm;
      });
      for (let j = 1; j < measurements.length; j++) {
        if (measurements[j].step <= measurements[j - 1].step) {
          throw new InvalidArgumentError(`${field}.measurements[${j}].step`, 'steps must strictly increase');
        }
      }
      if (w.finalMeasurement) {
        const final = measurementFromWire(w.finalMeasurement, `${field}.final_measurement`);
        validateMeasurement(study.config, final, `${field}.final_measurement`, { final: true });
        return { state: 'SUCCEEDED' as const, parameters, finalMeasurement: final, measurements };
      }
      if (w.state === 'INFEASIBLE' || (w.infeasibleReason ?? '') !== '') {
        return { state: 'INFEASIBLE' as const, parameters, measurements, infeasibleReason: w.infeasibleReason || 'added as infeasible' };
      }
      throw new InvalidArgumentError(`${field}.final_measurement`, 'is required (or state INFEASIBLE / an infeasible_reason)');
    });
    return this.studyLocks.run(`${tenant.id}/${studyId}`, () =>
      this.inStudy(tenant, studyId, async (tx) => {
        const out: WireTrial[] = [];
        for (const p of prepared) {
          const t = await tx.insertTrial({ ...p, statusReason: 'added (AddTrials)', startTime: tx.now, completeTime: tx.now });
          out.push(trialToWire(tx.study.config, t));
        }
        return out;
      }),
    );
  }

  // ---- reads ----

  async get(tenant: TenantRecord, studyId: number, trialId: number): Promise<WireTrial> {
    const study = await this.storage.getStudy(tenant.id, studyId);
    if (!study) throw notFoundTrial(studyId, trialId);
    const trial = await this.storage.getTrial(tenant.id, studyId, trialId);
    if (!trial) throw notFoundTrial(studyId, trialId);
    return trialToWire(study.config, trial);
  }

  async list(
    tenant: TenantRecord,
    studyId: number,
    requestedSize: number,
    token: string,
    states: string[],
  ): Promise<{ trials: WireTrial[]; nextPageToken: string }> {
    const size = pageSize(requestedSize);
    const known = ['REQUESTED', 'ACTIVE', 'PAUSED', 'STOPPING', 'SUCCEEDED', 'INFEASIBLE', 'FAILED'];
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
    const wire = rows.slice(0, size).map((t) => trialToWire(study.config, t));
    const fit = countWithinPageBytes(wire);
    const last = rows[fit - 1];
    const more = rows.length > size || fit < wire.length;
    return {
      trials: wire.slice(0, fit),
      nextPageToken: more && last ? encodePageToken(`trials/${studyId}`, filter, last.id) : '',
    };
  }

  async optimal(tenant: TenantRecord, studyId: number): Promise<WireTrial[]> {
    const study = await this.storage.getStudy(tenant.id, studyId);
    if (!study) throw notFoundStudy(studyId);
    const trials = await this.storage.listTrials(tenant.id, studyId, { states: ['SUCCEEDED'], withMeasurements: true });
    const byId = new Map(trials.map((t) => [t.id, t]));
    return bestTrials(toView(study.config, trials)).map((v) => trialToWire(study.config, byId.get(v.id) as TrialRecord));
  }

  // ---- StopTrial ----

  /** ACTIVE → STOPPING (its worker learns at the next report or heartbeat); PAUSED → SUCCEEDED with its
   *  last measurement (nothing is training it); a trial already stopping or finished is returned as is. */
  async stop(tenant: TenantRecord, studyId: number, trialId: number): Promise<WireTrial> {
    return this.inStudy(tenant, studyId, async (tx) => {
      const trial = await tx.getTrial(trialId, true);
      if (!trial) throw notFoundTrial(studyId, trialId);
      const { config } = tx.study;
      if (trial.state === 'ACTIVE') {
        const patch = { state: 'STOPPING' as const, statusReason: 'stop requested (StopTrial)' };
        await tx.updateTrial(trialId, patch);
        return trialToWire(config, { ...trial, ...patch });
      }
      if (trial.state === 'PAUSED' || trial.state === 'REQUESTED') {
        return trialToWire(config, await finishPausedTrial(tx, trial, 'stopped while paused (StopTrial)'));
      }
      return trialToWire(config, trial);
    });
  }

  // ---- Heartbeat ----

  async heartbeat(
    tenant: TenantRecord,
    studyId: number,
    clientIdRaw: string,
    trialNameRaw: string,
    trialRef: { studyId: number; trialId: number } | undefined,
  ): Promise<{ trialNames: string[]; stoppingTrialNames: string[]; leaseExpiresAt: number }> {
    if (!trialRef) validClientId(clientIdRaw);
    if (trialRef && trialRef.studyId !== studyId) {
      throw new InvalidArgumentError('trial_name', `must be a trial of ${`studies/${studyId}`} (got ${trialNameRaw})`);
    }
    return this.inStudy(tenant, studyId, async (tx) => {
      let held: TrialRecord[];
      if (trialRef) {
        const t = await tx.getTrial(trialRef.trialId);
        if (!t) throw notFoundTrial(studyId, trialRef.trialId);
        held = LEASED.includes(t.state) ? [t] : [];
      } else {
        held = await tx.listTrials({ states: LEASED, clientId: clientIdRaw });
      }
      const leaseExpiresAt = tx.now + tx.study.config.leaseSeconds;
      for (const t of held) await tx.updateTrial(t.id, { leaseExpiresAt });
      return {
        trialNames: held.map((t) => trialName(studyId, t.id)),
        stoppingTrialNames: held.filter((t) => t.state === 'STOPPING').map((t) => trialName(studyId, t.id)),
        leaseExpiresAt,
      };
    });
  }
}

/** SuggestTrials: callers queue on their study; one drain per study serves the queue in batches (one
 *  planning transaction, the LLM's advice outside it, one policy call, one transaction storing the
 *  suggestions with the study's policy state). The per-study mutex it holds is the one AddTrials takes,
 *  so in one process a batch never goes stale under its feet. Takes and returns domain records: wire
 *  mapping is the controllers' business. */
import { Inject, Injectable, Optional } from '../nest';
import { InvalidArgumentError, NotFoundError, ResourceExhaustedError, UnavailableError } from '@hpo/core';
import type { CandidateAdvisor, StudyConfig } from '@hpo/core';
import { mixSeed } from '@hpo/space';
import type { Storage, StudyTransaction, TenantRecord, TrialRecord } from '../storage/storage';
import { APP_LOGGER, POLICY_RUNNER, STORAGE } from '../tokens';
import { CANDIDATE_ADVISOR } from '../suggestion/candidate-advisor.token';
import { seekAdvice } from '../suggestion/advice';
import { KeyedMutex } from '../suggestion/keyed-mutex';
import { tenantLane } from '../suggestion/policy-runner';
import type { PolicyRunner } from '../suggestion/policy-runner';
import { suggestOrFallBack } from '../suggestion/policy-fallback';
import { readPolicyState, storePolicyState } from '../suggestion/policy-state';
import { HistoryShipper } from '../suggestion/shipped-history';
import type { HistoryRequest } from '../suggestion/shipped-history';
import type { AppLogger } from '../logging/pino-logger.service';
import { QUOTA_CONFIG } from '../quotas/quota.guard';
import { QuotaConfig, quotaFor } from '../quotas/quota-config';
import { applyBatch, checkSuggestions, HandedOut, planBatch, releaseUnreceived, SuggestRequestOf } from './suggestion-batch';
import { validClientId } from './client-id';

/** Seconds a caller over its tenant's active-trial quota is asked to wait: the quota frees up only as
 *  the tenant's trials finish, so polling faster helps nobody. */
const ACTIVE_QUOTA_RETRY_SECONDS = 5;
/** How often SuggestTrials recomputes when another replica changed the study while the policy ran. */
const MAX_SUGGEST_ATTEMPTS = 3;
/** Whether a study's suggestions depend on the other trials only through not repeating their
 *  configurations, which the store transaction checks against trials written meanwhile anyway: then a
 *  plan that went stale (another replica added trials) is stored rather than recomputed. RANDOM_SEARCH
 *  with no early stopping (every other mode's suggestions may resume PAUSED trials, a choice made on the
 *  history). With two replicas on the same studies, recomputing tripled a cycle's transactions. */
function neverStale(config: StudyConfig): boolean {
  return config.algorithm === 'RANDOM_SEARCH' && config.earlyStopping.mode === 'NONE';
}
const MAX_COUNT = 100;
/** Callers served by one policy call at most (bounds a batch's transactions and the policy's count). */
const MAX_BATCH_CALLERS = 64;

/** What one SuggestTrials caller gets: its trials (its own ACTIVE ones first), and whether the study
 *  has nothing more to hand out. */
export interface SuggestedTrials {
  config: StudyConfig;
  trials: TrialRecord[];
  studyDone: boolean;
}

/** One SuggestTrials caller waiting in its study's queue. */
interface QueuedSuggest extends SuggestRequestOf {
  resolve(result: SuggestedTrials): void;
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
export class SuggestionCoordinator {
  private readonly studyLocks = new KeyedMutex();
  private readonly suggestQueues = new Map<string, QueuedSuggest[]>();
  /** What each study's policy thread was last sent (deltas instead of the whole history). */
  private readonly shipper = new HistoryShipper();

  constructor(
    @Inject(STORAGE) private readonly storage: Storage,
    @Inject(POLICY_RUNNER) private readonly runner: PolicyRunner,
    @Inject(APP_LOGGER) private readonly logger: AppLogger,
    @Optional() @Inject(CANDIDATE_ADVISOR) private readonly advisor?: CandidateAdvisor,
    @Optional() @Inject(QUOTA_CONFIG) private readonly quotas?: QuotaConfig,
  ) {}

  /** Runs `work` under the study's in-process lock, between suggestion batches (AddTrials). */
  exclusive<T>(tenant: TenantRecord, studyId: number, work: () => Promise<T>): Promise<T> {
    return this.studyLocks.run(`${tenant.id}/${studyId}`, work);
  }

  suggest(tenant: TenantRecord, studyId: number, count: number, clientIdRaw: string, gone?: () => boolean): Promise<SuggestedTrials> {
    if (!Number.isInteger(count) || count < 1 || count > MAX_COUNT) {
      throw new InvalidArgumentError('count', `must be between 1 and ${MAX_COUNT} (got ${count})`);
    }
    const clientId = validClientId(clientIdRaw);
    const key = `${tenant.id}/${studyId}`;
    return new Promise((resolve, reject) => {
      const call: QueuedSuggest = { clientId, count, gone, resolve, reject };
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
      // A caller that went away while queued is served nothing (nobody would receive its trials).
      for (const call of queue.filter((c) => c.gone?.())) call.reject(new UnavailableError('the caller went away (cancelled, or its deadline passed) before it was served'));
      queue.splice(0, queue.length, ...queue.filter((c) => !c.gone?.()));
      if (queue.length === 0) break;
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

  private async inStudy<T>(tenant: TenantRecord, studyId: number, work: (tx: StudyTransaction) => Promise<T>): Promise<T> {
    const r = await this.storage.studyTransaction(tenant.id, studyId, work);
    if (r === undefined) throw new NotFoundError(`study studies/${studyId} not found`);
    return r;
  }

  private async suggestBatch(tenant: TenantRecord, studyId: number, requests: SuggestRequestOf[]): Promise<Array<SuggestedTrials | ResourceExhaustedError>> {
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
      const answer = (given: TrialRecord[][], studyDone: boolean, refused: boolean[]) =>
        given.map((trials, i) => (refused[i] ? overQuota() : { config, trials, studyDone }));
      if (plan.need <= 0 || !plan.view) return answer(plan.given, plan.done, plan.overQuota);
      const advice = await seekAdvice(this.advisor, tenant, plan.study, plan.view, plan.need, (m) => this.logger.warn(m));
      const request: HistoryRequest = {
        study: plan.view,
        count: plan.need,
        seed: mixSeed(config.seed, plan.view.trials.length, attempt),
        externalCandidates: advice.candidates.length > 0 ? advice.candidates : undefined,
        newTrialsAllowed: plan.newTrialsAllowed,
        state: readPolicyState(plan.study.policyStateJson),
        history: plan.history ? this.shipper.ship(`${tenant.id}/${studyId}`, plan.history) : undefined,
      };
      const warn = (entry: object) => this.logger.warn({ ...entry, study: `studies/${studyId}` });
      // The advice's tokens are spent whatever happens next: recorded once, in the transaction that
      // commits the suggestions, or on its own when anything between fails (the error still answers).
      let outcome: Awaited<ReturnType<typeof applyBatch>>;
      try {
        const result = await suggestOrFallBack(this.runner, request, warn, tenantLane(tenant.id));
        const checked = checkSuggestions(config, result.suggestions.slice(0, plan.need));
        outcome = await this.inStudy(tenant, studyId, async (tx) => {
          // The fit is worth keeping even when the plan went stale: it warm-starts the retry.
          await storePolicyState(tx, request.state ?? {}, result.state);
          const mayBeStale = attempt < MAX_SUGGEST_ATTEMPTS && !neverStale(config);
          return applyBatch(tx, requests, plan, checked, advice.tokensUsed, mayBeStale, quota);
        });
      } catch (error) {
        if (advice.tokensUsed > 0) await this.recordSpendAfterFailure(tenant, studyId, advice.tokensUsed, error);
        throw error;
      }
      if (outcome === 'stale') continue;
      await this.releaseUnreceived(tenant, studyId, requests, outcome.handedOut);
      return answer(outcome.given, outcome.done, outcome.overQuota);
    }
  }

  /** Callers that went away while their trials were being stored: those trials are released (see
   *  releaseUnreceived). Their calls end in an error nobody reads; the others are answered as usual. */
  private async releaseUnreceived(tenant: TenantRecord, studyId: number, requests: SuggestRequestOf[], handedOut: HandedOut[][]): Promise<void> {
    const unreceived = handedOut.filter((h, i) => h.length > 0 && requests[i].gone?.()).flat();
    if (unreceived.length === 0) return;
    const released = await this.inStudy(tenant, studyId, (tx) => releaseUnreceived(tx, unreceived));
    if (released.length > 0) this.logger.log({ msg: 'released trials whose caller went away', study: `studies/${studyId}`, trials: released });
  }

  /** The advice's tokens when the suggestion failed after it: the transaction that would have counted
   *  them rolled back or never ran. A failure to record them is logged; the caller sees the first error. */
  private async recordSpendAfterFailure(tenant: TenantRecord, studyId: number, tokens: number, cause: unknown): Promise<void> {
    try {
      await this.storage.studyTransaction(tenant.id, studyId, async (tx) => (await tx.addTokensUsed(tokens), true));
    } catch (error) {
      this.logger.warn({ msg: 'LLM tokens of a failed suggestion not recorded', study: `studies/${studyId}`, tokens, cause: String((cause as Error)?.message ?? cause), error: String((error as Error)?.message ?? error) });
    }
  }
}

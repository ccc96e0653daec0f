/** Per-tenant quotas on every StudyService call, after the tenant is known (TenantGuard runs first):
 *  requests per second (a token bucket per tenant in this replica), studies per tenant on CreateStudy,
 *  and active trials per tenant on SuggestTrials. Over a quota the call fails RESOURCE_EXHAUSTED with
 *  a retry hint: the text says when, and trailing metadata `retry-after-ms` says it to programs. */
import { CanActivate, ExecutionContext, Inject, Injectable } from '../nest';
import type { Metadata } from '@grpc/grpc-js';
import { ResourceExhaustedError } from '@hpo/core';
import { tenantOf } from '../auth/tenant-resolver';
import type { Storage, TenantRecord } from '../storage/storage';
import { STORAGE } from '../tokens';
import { QuotaConfig, quotaFor } from './quota-config';
import { TokenBucket } from './token-bucket';

export const QUOTA_CONFIG = Symbol.for('hpo.QuotaConfig');

/** Seconds a caller over its study or active-trial quota is asked to wait: those quotas free up only
 *  when the tenant deletes studies or finishes trials, so polling faster helps nobody. */
const COUNT_QUOTA_RETRY_SECONDS = 5;

/** A tenant's active-trial count well below its quota (under half) is reused for this long instead of
 *  counted on every SuggestTrials (a count over the tenant's trials is the one query the guard adds to
 *  the hot path). Near the quota it is counted every time, so the cap stays accurate where it matters. */
const ACTIVE_COUNT_CACHE_MS = 1000;

function parseStudyId(name: unknown): number | undefined {
  const m = /^studies\/(\d{1,15})$/.exec(String(name ?? ''));
  return m ? Number(m[1]) : undefined;
}

@Injectable()
export class QuotaGuard implements CanActivate {
  private readonly buckets = new Map<number, TokenBucket>();
  private readonly activeCounts = new Map<number, { count: number; atMs: number }>();

  constructor(
    @Inject(STORAGE) private readonly storage: Storage,
    @Inject(QUOTA_CONFIG) private readonly config: QuotaConfig | undefined,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const metadata = context.switchToRpc().getContext<Metadata>();
    const tenant = tenantOf(metadata);
    const quota = quotaFor(this.config, tenant.name);
    this.checkRate(tenant, quota.requestsPerSecond, quota.burst);
    const method = context.getHandler().name;
    const data = context.switchToRpc().getData<Record<string, unknown>>() ?? {};
    if (method === 'createStudy' && quota.maxStudies > 0) await this.checkStudies(tenant, quota.maxStudies, data);
    if (method === 'suggestTrials' && quota.maxActiveTrials > 0) await this.checkActiveTrials(tenant, quota.maxActiveTrials, data);
    return true;
  }

  private checkRate(tenant: TenantRecord, rate: number, burst: number): void {
    if (rate <= 0) return;
    const now = Date.now();
    let bucket = this.buckets.get(tenant.id);
    if (!bucket) this.buckets.set(tenant.id, (bucket = new TokenBucket(rate, Math.max(1, burst), now)));
    else bucket.reconfigure(rate, Math.max(1, burst));
    const waitMs = bucket.take(now);
    if (waitMs > 0) {
      throw new ResourceExhaustedError(
        `rate limit: tenant "${tenant.name}" may send ${rate} requests per second (burst ${burst}); retry after ${waitMs} ms`,
        waitMs / 1000,
      );
    }
  }

  private async checkStudies(tenant: TenantRecord, max: number, data: Record<string, unknown>): Promise<void> {
    if ((await this.storage.countStudies(tenant.id)) < max) return;
    // RETURN_EXISTING on a study that exists creates nothing: workers starting up must still get it.
    if (data.ifExists === 'RETURN_EXISTING' && (await this.storage.findStudyIdByName(tenant.id, String(data.displayName ?? ''))) !== undefined) return;
    throw new ResourceExhaustedError(
      `quota: tenant "${tenant.name}" may hold at most ${max} studies; delete one first (retry after ${COUNT_QUOTA_RETRY_SECONDS} s)`,
      COUNT_QUOTA_RETRY_SECONDS,
    );
  }

  private async checkActiveTrials(tenant: TenantRecord, max: number, data: Record<string, unknown>): Promise<void> {
    const now = Date.now();
    // Each admitted call may start up to `count` trials: the cached figure is raised by that much, so
    // it can only overestimate, and is recounted once it nears the quota.
    const requested = Math.min(100, Math.max(1, Math.floor(Number(data.count) || 1)));
    const cached = this.activeCounts.get(tenant.id);
    if (cached && now - cached.atMs < ACTIVE_COUNT_CACHE_MS && cached.count + requested < max / 2) {
      cached.count += requested;
      return;
    }
    const count = await this.storage.countLeasedTrials(tenant.id);
    this.activeCounts.set(tenant.id, { count: count + requested, atMs: now });
    if (count < max) return;
    // A restarted worker that already holds trials gets them back (that starts nothing new).
    const studyId = parseStudyId(data.parent);
    const clientId = String(data.clientId ?? '');
    if (studyId !== undefined && clientId && (await this.storage.countLeasedTrials(tenant.id, { studyId, clientId })) > 0) return;
    throw new ResourceExhaustedError(
      `quota: tenant "${tenant.name}" may have at most ${max} active trials; complete or stop some first (retry after ${COUNT_QUOTA_RETRY_SECONDS} s)`,
      COUNT_QUOTA_RETRY_SECONDS,
    );
  }
}

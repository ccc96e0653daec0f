/** Per-tenant quotas on every StudyService call, after the tenant is known (TenantGuard runs first):
 *  requests per second (a token bucket per tenant in this replica) and studies per tenant on
 *  CreateStudy. (Active trials per tenant are counted where trials are handed out, inside the study's
 *  transaction under a tenant lock: studies/suggestion-batch.ts.) Over a quota the call fails RESOURCE_EXHAUSTED with
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

/** Seconds a caller over its study quota is asked to wait: it frees up only when the tenant deletes
 *  studies, so polling faster helps nobody. */
const COUNT_QUOTA_RETRY_SECONDS = 5;


@Injectable()
export class QuotaGuard implements CanActivate {
  private readonly buckets = new Map<number, TokenBucket>();

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
    return true;
  }

  private checkRate(tenant: TenantRecord, rate: number, burst: number): void {
    if (rate <= 0) return;
    const now = this.storage.clock.now();
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

}

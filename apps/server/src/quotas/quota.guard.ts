/** Per-tenant request rate on every StudyService call, after the tenant is known (TenantGuard runs
 *  first): a token bucket per tenant in this replica (N replicas grant up to N x the rate: see
 *  docs/deployment.md). The count quotas are checked where the rows are written, in the same
 *  transaction under the tenant's lock, so they hold exactly across calls and replicas: studies per
 *  tenant in storage.createStudy (studies/study.service.ts), active trials where trials are handed out
 *  (studies/suggestion-batch.ts). Over a quota the call fails RESOURCE_EXHAUSTED with
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

@Injectable()
export class QuotaGuard implements CanActivate {
  private readonly buckets = new Map<number, TokenBucket>();

  constructor(
    @Inject(STORAGE) private readonly storage: Storage,
    @Inject(QUOTA_CONFIG) private readonly config: QuotaConfig | undefined,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const metadata = context.switchToRpc().getContext<Metadata>();
    const tenant = tenantOf(metadata);
    const quota = quotaFor(this.config, tenant.name);
    this.checkRate(tenant, quota.requestsPerSecond, quota.burst);
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



}

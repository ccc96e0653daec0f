/** Who is calling: the tenant of the `authorization: Bearer <key>` metadata, checked on every call
 *  against the tenants as last read (tenant-cache.ts: dropped whenever they may have changed, so a
 *  revoked key stops working at once). On a loopback bind with no tenants created, every caller is the
 *  built-in local tenant and needs no key. */
import type { Metadata } from '@grpc/grpc-js';
import { UnauthenticatedError } from '@hpo/core';
import type { Storage, TenantRecord } from '../storage/storage';
import { hashApiKey } from './api-key';
import { tenantCacheOf } from './tenant-cache';

const tenantsByCall = new WeakMap<object, TenantRecord>();

export function bearerToken(metadata: Metadata | undefined): string | undefined {
  const values = metadata?.get('authorization') ?? [];
  for (const v of values) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(String(v));
    if (m) return m[1];
  }
  return undefined;
}

export async function resolveTenant(storage: Storage, loopback: boolean, metadata: Metadata | undefined): Promise<TenantRecord> {
  const key = bearerToken(metadata);
  const tenants = tenantCacheOf(storage);
  if (key === undefined) {
    if (loopback && (await tenants.countKeyedTenants()) === 0) return tenants.localTenant();
    throw new UnauthenticatedError('missing API key: send "authorization: Bearer <key>" metadata (keys come from `hpo tenants create`)');
  }
  const tenant = await tenants.findByKeyHash(hashApiKey(key));
  if (!tenant || tenant.revoked) {
    // A key-less local server ignores keys it does not know (a client configured for a team server).
    if (!tenant && loopback && (await tenants.countKeyedTenants()) === 0) return tenants.localTenant();
    throw new UnauthenticatedError('invalid or revoked API key');
  }
  return tenant;
}

export function rememberTenant(call: object, tenant: TenantRecord): void {
  tenantsByCall.set(call, tenant);
}

export function tenantOf(call: object): TenantRecord {
  const t = tenantsByCall.get(call);
  if (!t) throw new UnauthenticatedError('no tenant resolved for this call');
  return t;
}

/** The dashboard's caller, resolved exactly as for gRPC (auth/tenant-resolver): the
 *  `Authorization: Bearer <key>` header, or the key-less local tenant when both the gRPC and the
 *  dashboard binds are loopback and no tenant exists. */
import type { IncomingMessage } from 'node:http';
import { Metadata } from '@grpc/grpc-js';
import { PermissionDeniedError } from '@hpo/core';
import { resolveTenant } from '../auth/tenant-resolver';
import type { Storage, TenantRecord } from '../storage/storage';

/** Host names a browser uses for this machine. In local mode (no key) any other Host header is
 *  refused: a web page cannot use DNS rebinding to reach the key-less dashboard through a name it owns. */
export function isLoopbackHostHeader(host: string | undefined): boolean {
  if (!host) return false;
  const name = host.startsWith('[') ? host.slice(1, host.indexOf(']')) : host.replace(/:\d+$/, '');
  return name === 'localhost' || name === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name);
}

export async function tenantOfRequest(storage: Storage, localModeAllowed: boolean, req: IncomingMessage): Promise<TenantRecord> {
  const md = new Metadata();
  const auth = req.headers.authorization;
  if (typeof auth === 'string' && auth.length > 0) md.set('authorization', auth);
  const tenant = await resolveTenant(storage, localModeAllowed, md);
  if (tenant.isLocal && !isLoopbackHostHeader(req.headers.host)) {
    throw new PermissionDeniedError('the key-less local dashboard answers only to localhost / 127.0.0.1 / [::1] host names');
  }
  return tenant;
}

/** Tenant administration for the CLI (`hpo tenants create|list|revoke`), straight on the storage: it
 *  works whether or not a server is running on the same database. */
import { InvalidArgumentError, AlreadyExistsError, FailedPreconditionError, NotFoundError } from '@hpo/core';
import { generateApiKey, hashApiKey } from './auth/api-key';
import { openStorage as openStorageBackend, StorageOptions } from './storage/open-storage';
import type { MovedStudies, Storage, TenantRecord } from './storage/storage';

export type { MovedStudies, Storage, TenantRecord, StorageOptions };
export { DatabaseNotReadyError, redactUrl } from './storage/open-storage';

export function openStorage(options: StorageOptions): Promise<Storage> {
  return openStorageBackend(options);
}

const TENANT_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

/** Creates a tenant and returns its API key: shown once, stored only as a SHA-256 hash. */
export async function createTenant(storage: Storage, name: string): Promise<{ name: string; apiKey: string }> {
  if (!TENANT_NAME.test(name) || name === 'local') {
    throw new InvalidArgumentError('name', `tenant names are 1-128 letters, digits, '_', '.', '-', starting with a letter or digit, and not "local" (got ${JSON.stringify(name)})`);
  }
  if ((await storage.listTenants()).some((t) => t.name === name)) throw new AlreadyExistsError(`tenant "${name}" already exists`);
  const apiKey = generateApiKey();
  try {
    await storage.createTenant(name, hashApiKey(apiKey));
  } catch (error) {
    // Another process created the same name between the check above and the insert.
    if (/unique/i.test(String((error as Error)?.message))) throw new AlreadyExistsError(`tenant "${name}" already exists`);
    throw error;
  }
  return { name, apiKey };
}

export function listTenants(storage: Storage): Promise<TenantRecord[]> {
  return storage.listTenants();
}

/** Effective at once: keys are checked against the database on every call. */
export async function revokeTenant(storage: Storage, name: string): Promise<void> {
  if (!(await storage.revokeTenant(name))) throw new NotFoundError(`no active tenant named "${name}"`);
}

export async function setTenantLlmEnabled(storage: Storage, name: string, enabled: boolean): Promise<void> {
  if (!(await storage.setTenantLlmEnabled(name, enabled))) throw new NotFoundError(`no tenant named "${name}"`);
}

/** Gives the keyless local tenant's studies to the named (active) tenant, so a team that starts keyed
 *  keeps the history it built locally. Names the tenant already uses get " (local)" appended. */
export async function adoptLocalStudies(storage: Storage, name: string): Promise<MovedStudies> {
  const tenant = (await storage.listTenants()).find((t) => t.name === name);
  if (!tenant) throw new NotFoundError(`no tenant named "${name}" (create it with: hpo tenants create ${name} --adopt-local)`);
  if (tenant.revokedAt) throw new FailedPreconditionError(`tenant "${name}" is revoked: its key cannot reach adopted studies`);
  const local = await storage.getOrCreateLocalTenant();
  return storage.moveStudies(local.id, tenant.id, '(local)');
}

/** Active (not revoked) tenants: while any exists, every call needs a key. */
export async function activeTenants(storage: Storage): Promise<TenantRecord[]> {
  return (await storage.listTenants()).filter((t) => !t.revokedAt);
}

/** Back to keyless local mode on a loopback bind: every revoked tenant's studies go to the local tenant
 *  (names it already uses get " (TENANT)" appended) and the revoked tenants are removed, so no tenant
 *  row is left to demand a key. Refused while a tenant still holds an active key. */
export async function returnToLocalMode(storage: Storage): Promise<{ tenants: string[]; moved: number; renamed: MovedStudies['renamed'] }> {
  const active = await activeTenants(storage);
  if (active.length > 0) {
    const names = active.map((t) => t.name);
    throw new FailedPreconditionError(
      `tenant${names.length > 1 ? 's' : ''} ${names.map((n) => `"${n}"`).join(', ')} still hold${names.length > 1 ? '' : 's'} an active key; ` +
        `revoke ${names.length > 1 ? 'them' : 'it'} first (${names.map((n) => `hpo tenants revoke ${n}`).join('; ')})`,
    );
  }
  const local = await storage.getOrCreateLocalTenant();
  const tenants: string[] = [];
  let moved = 0;
  const renamed: MovedStudies['renamed'] = [];
  for (const t of await storage.listTenants()) {
    if (!t.revokedAt) continue; // created since the check above: it keeps its key
    const r = await storage.moveStudies(t.id, local.id, `(${t.name})`);
    moved += r.moved;
    renamed.push(...r.renamed);
    await storage.deleteTenant(t.id);
    tenants.push(t.name);
  }
  return { tenants, moved, renamed };
}

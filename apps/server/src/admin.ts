/** Tenant administration for the CLI (`hpo tenants create|list|revoke`), straight on the storage: it
 *  works whether or not a server is running on the same database. */
import { InvalidArgumentError, AlreadyExistsError, NotFoundError } from '../../../libs/core/src/errors';
import { generateApiKey, hashApiKey } from './auth/api-key';
import { openStorage as openStorageBackend, StorageOptions } from './storage/open-storage';
import type { Storage, TenantRecord } from './storage/storage';

export type { Storage, TenantRecord, StorageOptions };

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

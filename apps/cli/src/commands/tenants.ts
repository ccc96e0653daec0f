/** `hpo tenants create|list|revoke`: administration straight on the database (SQLite under --data-dir,
 *  or PostgreSQL by --database-url), running server or not; keys are checked on every call, so a
 *  revocation applies at once. */
import { Command } from 'commander';
import type * as Admin from '../../../server/src/admin';
import { newTable } from '../format';
import { runAction } from '../run-action';
import { addStorageOptions, StorageFlags } from './storage-options';

/** Tenant times may come back in seconds or milliseconds since the epoch, by backend. */
function formatInstant(t: number | null): string {
  if (!t) return '';
  const ms = t > 1e11 ? t : t * 1000;
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
}

async function withStorage<T>(flags: StorageFlags, work: (admin: typeof Admin, storage: Admin.Storage) => Promise<T>): Promise<T> {
  const admin = require('../../../server/src/admin') as typeof Admin;
  const storage = await admin.openStorage({ dataDir: flags.dataDir, databaseUrl: flags.databaseUrl, postgresSchema: flags.postgresSchema });
  try {
    return await work(admin, storage);
  } finally {
    await storage.close();
  }
}

export function tenantsCommand(): Command {
  const tenants = new Command('tenants').description('manage tenants and their API keys');

  addStorageOptions(tenants.command('create').argument('<name>', 'tenant name').description('create a tenant; prints its API key (once: only a hash is stored)'))
    .action(
      runAction(async (name: string, flags: StorageFlags) => {
        const { apiKey } = await withStorage(flags, (admin, storage) => admin.createTenant(storage, name));
        // The key alone on stdout (KEY=$(hpo tenants create NAME) works); the advice on stderr.
        process.stderr.write(`created tenant "${name}". Its API key is shown only this once; clients send it as "authorization: Bearer <key>" (HPO_API_KEY):\n`);
        process.stdout.write(`${apiKey}\n`);
      }),
    );

  addStorageOptions(tenants.command('list').description('list tenants'))
    .option('--json', 'print JSON')
    .action(
      runAction(async (flags: StorageFlags & { json?: boolean }) => {
        const list = await withStorage(flags, (admin, storage) => admin.listTenants(storage));
        const visible = list.filter((t) => !t.isLocal);
        if (flags.json) {
          process.stdout.write(JSON.stringify(visible, null, 2) + '\n');
          return;
        }
        if (visible.length === 0) {
          process.stdout.write('no tenants (a loopback server runs as one local tenant without keys)\n');
          return;
        }
        const table = newTable(['name', 'state', 'llm', 'created', 'revoked']);
        for (const t of visible) {
          table.push([t.name, t.revokedAt ? 'revoked' : 'active', t.llmEnabled ? 'on' : 'off', formatInstant(t.createdAt), formatInstant(t.revokedAt)]);
        }
        process.stdout.write(table.toString() + '\n');
      }),
    );

  addStorageOptions(tenants.command('revoke').argument('<name>', 'tenant name').description("revoke a tenant's key (its calls become UNAUTHENTICATED)"))
    .action(
      runAction(async (name: string, flags: StorageFlags) => {
        await withStorage(flags, (admin, storage) => admin.revokeTenant(storage, name));
        process.stdout.write(`revoked tenant "${name}"\n`);
      }),
    );

  return tenants;
}

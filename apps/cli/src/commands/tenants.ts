/** `hpo tenants create|list|revoke|adopt-local|local-mode`: administration straight on the database
 *  (SQLite under --data-dir, or PostgreSQL by --database-url), running server or not; keys are checked on
 *  every call, so a change applies at once. */
import { Command } from 'commander';
import type * as Admin from '../../../server/src/admin';
import { formatTime, newTable } from '../format';
import { runAction } from '../run-action';
import { addStorageOptions, StorageFlags } from './storage-options';

function loadAdmin(): typeof Admin {
  // Loaded here: the server's storage code is heavy, and client commands need none of it.
  return require('../../../server/src/admin') as typeof Admin;
}

async function withStorage<T>(flags: StorageFlags, work: (admin: typeof Admin, storage: Admin.Storage) => Promise<T>, migrate = true): Promise<T> {
  const admin = loadAdmin();
  const storage = await admin.openStorage({ dataDir: flags.dataDir, databaseUrl: flags.databaseUrl, postgresSchema: flags.postgresSchema, migrate });
  try {
    return await work(admin, storage);
  } finally {
    await storage.close();
  }
}

/** The storage flags as typed again in advice ("… --data-dir DIR"), the password of a URL hidden. */
function storageArgs(flags: StorageFlags): string {
  if (flags.databaseUrl) return ` --database-url '${loadAdmin().redactUrl(flags.databaseUrl)}'` + (flags.postgresSchema ? ` --postgres-schema ${flags.postgresSchema}` : '');
  return flags.dataDir === './.hpo-data' ? '' : ` --data-dir ${flags.dataDir}`;
}

function reportMoved(moved: Admin.MovedStudies, to: string): void {
  process.stderr.write(`${moved.moved} ${moved.moved === 1 ? 'study' : 'studies'} now belong to ${to}\n`);
  for (const r of moved.renamed) process.stderr.write(`  studies/${r.studyId} renamed "${r.from}" -> "${r.to}" (the name was taken)\n`);
}

export function tenantsCommand(): Command {
  const tenants = new Command('tenants').description('manage tenants and their API keys').addHelpText(
    'after',
    '\nA loopback server with no tenants runs keyless as the local tenant. To give that history to a team:\n' +
      '  hpo tenants create team-a --adopt-local    (or: hpo tenants adopt-local team-a, for an existing tenant)\n' +
      'To go back to keyless local mode after revoking every key, keeping the studies:\n' +
      '  hpo tenants local-mode\n',
  );

  addStorageOptions(tenants.command('create').argument('<name>', 'tenant name').description('create a tenant; prints its API key (once: only a hash is stored)'))
    .option('--adopt-local', "also give the keyless local tenant's studies to the new tenant")
    .action(
      runAction(async (name: string, flags: StorageFlags & { adoptLocal?: boolean }) => {
        const { apiKey, moved } = await withStorage(flags, async (admin, storage) => {
          const created = await admin.createTenant(storage, name);
          return { apiKey: created.apiKey, moved: flags.adoptLocal ? await admin.adoptLocalStudies(storage, name) : undefined };
        });
        // The key alone on stdout (KEY=$(hpo tenants create NAME) works); the advice on stderr.
        process.stderr.write(`created tenant "${name}". Its API key is shown only this once; clients send it as "authorization: Bearer <key>" (HPO_API_KEY):\n`);
        process.stdout.write(`${apiKey}\n`);
        if (moved) reportMoved(moved, `tenant "${name}"`);
        else process.stderr.write(`calls now need a key; studies made without one stay with the local tenant (hpo tenants adopt-local ${name}${storageArgs(flags)} gives them to "${name}")\n`);
      }),
    );

  addStorageOptions(
    tenants.command('adopt-local').argument('<name>', 'tenant name').description("give the keyless local tenant's studies (with their trials) to an existing tenant"),
  ).action(
    runAction(async (name: string, flags: StorageFlags) => {
      reportMoved(await withStorage(flags, (admin, storage) => admin.adoptLocalStudies(storage, name)), `tenant "${name}"`);
    }),
  );

  addStorageOptions(tenants.command('list').description('list tenants (reads only: never creates or migrates the database)'))
    .option('--json', 'print JSON')
    .action(
      runAction(async (flags: StorageFlags & { json?: boolean }) => {
        const list = await withStorage(flags, (admin, storage) => admin.listTenants(storage), false);
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
          table.push([t.name, t.revokedAt ? 'revoked' : 'active', t.llmEnabled ? 'on' : 'off', formatTime(t.createdAt), t.revokedAt ? formatTime(t.revokedAt) : '']);
        }
        process.stdout.write(table.toString() + '\n');
      }),
    );

  addStorageOptions(tenants.command('revoke').argument('<name>', 'tenant name').description("revoke a tenant's key (its calls become UNAUTHENTICATED)"))
    .action(
      runAction(async (name: string, flags: StorageFlags) => {
        const active = await withStorage(flags, async (admin, storage) => {
          await admin.revokeTenant(storage, name);
          return admin.activeTenants(storage);
        });
        process.stdout.write(`revoked tenant "${name}"\n`);
        if (active.length === 0) {
          // A revoked key never reopens keyless access by itself (revoking a leaked key must not open the
          // server); going back is one explicit step.
          process.stderr.write(
            'no active key remains: every call to a server on this database is now UNAUTHENTICATED.\n' +
              `To run a loopback server keyless again (local mode), keeping all studies: hpo tenants local-mode${storageArgs(flags)}\n`,
          );
        }
      }),
    );

  addStorageOptions(
    tenants
      .command('local-mode')
      .description('after every key is revoked: give all studies to the keyless local tenant and remove the revoked tenants, so a loopback server needs no key again'),
  ).action(
    runAction(async (flags: StorageFlags) => {
      const r = await withStorage(flags, (admin, storage) => admin.returnToLocalMode(storage));
      reportMoved({ moved: r.moved, renamed: r.renamed }, 'the local tenant');
      process.stdout.write(
        `local mode: ${r.tenants.length ? `removed revoked tenant${r.tenants.length > 1 ? 's' : ''} ${r.tenants.join(', ')}; ` : ''}a loopback server on this database needs no key\n`,
      );
    }),
  );

  return tenants;
}

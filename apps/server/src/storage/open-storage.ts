/** Opens the storage the options select: PostgreSQL for a postgres:// URL, else SQLite in the data
 *  directory. Runs migrations before returning. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Kysely, LogEvent, PostgresDialect } from 'kysely';
import { Pool, types as pgTypes } from 'pg';
import type { Database } from './schema';
import { describeDatabaseError, KyselyStorage, postgresOps, sqliteOps } from './kysely-storage';
import { createSqliteDialect, openSqliteDatabase } from './sqlite-dialect';
import { postgresTenantChanges, sqliteTenantChanges, tenantsChannel } from './tenant-changes';
import { systemClock, type Clock } from '../clock';

export interface StorageOptions {
  /** Directory of the SQLite file (created if missing); ':memory:' keeps a private SQLite database in
   *  memory (same migrations; tests), gone when the storage closes. */
  dataDir?: string;
  /** postgres://… selects PostgreSQL; anything else (or nothing) selects SQLite. */
  databaseUrl?: string;
  /** PostgreSQL schema to use (created if missing); default "public". Tests use a fresh one per run. */
  postgresSchema?: string;
  /** PostgreSQL pool size (default 10). */
  postgresPoolSize?: number;
  /** Called when an idle pooled PostgreSQL connection dies (the pool replaces it). Without a listener
   *  node-postgres would crash the process on a database restart or pg_terminate_backend. */
  onConnectionError?: (error: Error) => void;
  /** false: open an existing, already migrated database only (read-only commands such as `hpo tenants
   *  list` and `hpo dashboard`): nothing is created or migrated, and a missing or older database is a
   *  DatabaseNotReadyError that says which command sets it up. Default true. */
  migrate?: boolean;
  /** Called with every statement sent to the database, BEGIN and COMMIT included (the metrics count
   *  them, so statements per RPC can be measured in a running server). */
  onStatement?: (sql: string) => void;
  /** The server's clock (default the system clock): SQLite's SQL clock and the process-side timers read
   *  it; PostgreSQL stamps and judges leases by its own clock. Tests pass a ManualClock (testing/). */
  clock?: Clock;
}

/** The database to open is missing, unreachable or not at this version's schema; the message says what
 *  to do. */
export class DatabaseNotReadyError extends Error {}

/** postgres://user:secret@host/db → postgres://user:***@host/db (messages are printed and logged). */
export function redactUrl(url: string): string {
  return url.replace(/^(postgres(?:ql)?:\/\/[^:@/]*:)[^@/]*@/i, '$1***@');
}

async function requireMigrated(storage: KyselyStorage, where: string, schema?: string): Promise<void> {
  let pending: string[];
  try {
    pending = await storage.pendingMigrations(schema);
  } catch (error) {
    await storage.close().catch(() => undefined);
    throw new DatabaseNotReadyError(`cannot read the database at ${where}: ${describeDatabaseError(error)}`);
  }
  if (pending.length > 0) {
    await storage.close();
    throw new DatabaseNotReadyError(
      `the database at ${where} is not set up for this version (migrations not applied: ${pending.join(', ')}); ` +
        `\`hpo serve\` on it applies them (this command only reads)`,
    );
  }
}

export const DEFAULT_DATA_DIR = './.hpo-data';
/** dataDir for a private in-memory SQLite database. */
export const IN_MEMORY = ':memory:';

export function isPostgresUrl(url: string | undefined): url is string {
  return !!url && /^postgres(ql)?:\/\//i.test(url);
}

/** int8 (counts, sums) as numbers: every value we store fits in 2^53. */
const pgTypeParsers = {
  getTypeParser(oid: number, format?: any): any {
    if (oid === 20) return (v: string) => Number(v);
    return (pgTypes.getTypeParser as any)(oid, format);
  },
};

function quoteIdent(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(name)) throw new Error(`postgres schema name ${JSON.stringify(name)}: letters, digits and '_' only`);
  return `"${name}"`;
}

/** Kysely's log sees every statement a connection runs, including the driver's BEGIN/COMMIT. */
function statementLog(options: StorageOptions): { log?: (event: LogEvent) => void } {
  const onStatement = options.onStatement;
  return onStatement ? { log: (event) => onStatement(event.query.sql) } : {};
}

export async function openStorage(options: StorageOptions = {}): Promise<KyselyStorage> {
  if (isPostgresUrl(options.databaseUrl)) {
    const schema = options.postgresSchema;
    if (schema && options.migrate !== false) {
      const bootstrap = new Pool({ connectionString: options.databaseUrl, max: 1 });
      try {
        await bootstrap.query(`create schema if not exists ${quoteIdent(schema)}`);
      } finally {
        await bootstrap.end();
      }
    }
    const pool = new Pool({
      connectionString: options.databaseUrl,
      max: options.postgresPoolSize ?? 10,
      types: pgTypeParsers,
      ...(schema ? { options: `-c search_path=${quoteIdent(schema)}` } : {}),
    });
    pool.on('error', (error) => options.onConnectionError?.(error));
    // A checked-out connection (a transaction between two queries, e.g. while the policy runs) has no
    // pool listener: without its own, a connection cut there would crash the process too. The
    // transaction's next query then fails (answered UNAVAILABLE) and the pool discards the client.
    pool.on('connect', (client) => client.on('error', (error) => options.onConnectionError?.(error)));
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), ...statementLog(options) });
    const changes = postgresTenantChanges(
      { connectionString: options.databaseUrl, ...(schema ? { options: `-c search_path=${quoteIdent(schema)}` } : {}) },
      schema,
      (error) => options.onConnectionError?.(error),
    );
    const storage = new KyselyStorage(db, postgresOps, undefined, changes, tenantsChannel(schema), options.clock ?? systemClock);
    if (options.migrate === false) await requireMigrated(storage, redactUrl(options.databaseUrl) + (schema ? ` (schema ${schema})` : ''), schema);
    else await storage.migrate(schema);
    return storage;
  }
  const dataDir = options.dataDir ?? DEFAULT_DATA_DIR;
  const inMemory = dataDir === IN_MEMORY;
  const file = inMemory ? IN_MEMORY : path.join(dataDir, 'hpo.sqlite');
  if (inMemory) {
    if (options.migrate === false) throw new DatabaseNotReadyError('an in-memory database (--data-dir :memory:) starts empty: it must be migrated');
  } else if (options.migrate === false) {
    if (!fs.existsSync(file)) {
      throw new DatabaseNotReadyError(`no database at ${file}: nothing was stored under --data-dir ${dataDir} yet (\`hpo serve --data-dir ${dataDir}\` creates it)`);
    }
  } else {
    fs.mkdirSync(dataDir, { recursive: true });
  }
  const clock = options.clock ?? systemClock;
  const sqlite = openSqliteDatabase(file, clock);
  const db = new Kysely<Database>({ dialect: createSqliteDialect(sqlite), ...statementLog(options) });
  const storage = new KyselyStorage(db, sqliteOps, undefined, sqliteTenantChanges(sqlite), undefined, clock);
  if (options.migrate === false) await requireMigrated(storage, file);
  else await storage.migrate();
  // Plain reads on a connection of their own (a private in-memory database has only the one).
  if (!inMemory) storage.attachReader(new Kysely<Database>({ dialect: createSqliteDialect(openSqliteDatabase(file, clock)), ...statementLog(options) }));
  return storage;
}

/** The database backends the server suites run on, each fresh per call: a temporary SQLite data dir, or
 *  a new schema on the PostgreSQL of HPO_TEST_PG_URL. */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface Backend {
  name: 'sqlite' | 'postgres';
  /** Environment for a server on this backend (a fresh data dir or schema per call of fresh()). */
  env: Record<string, string>;
  /** Options for admin.openStorage on the same database. */
  storageOptions: { dataDir?: string; databaseUrl?: string; postgresSchema?: string };
}

export function freshSqliteBackend(): Backend {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hpo-test-'));
  return { name: 'sqlite', env: { HPO_DATA_DIR: dataDir }, storageOptions: { dataDir } };
}

export function freshPostgresBackend(url: string): Backend {
  const schema = `hpo_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  return {
    name: 'postgres',
    env: { HPO_DATABASE_URL: url, HPO_POSTGRES_SCHEMA: schema },
    storageOptions: { databaseUrl: url, postgresSchema: schema },
  };
}

/** The backends e2e suites run on: SQLite always, PostgreSQL when HPO_TEST_PG_URL is set. */
export function backends(): Array<{ name: 'sqlite' | 'postgres'; fresh: () => Backend }> {
  const list: Array<{ name: 'sqlite' | 'postgres'; fresh: () => Backend }> = [{ name: 'sqlite', fresh: freshSqliteBackend }];
  const url = process.env.HPO_TEST_PG_URL;
  if (url) list.push({ name: 'postgres', fresh: () => freshPostgresBackend(url) });
  else if (!warned) {
    warned = true;
    console.warn('HPO_TEST_PG_URL is not set: the PostgreSQL variants of the server tests are skipped');
  }
  return list;
}
let warned = false;

/** The same backends as `describe.each` rows for in-process storage suites: [name, fresh options]. */
export function storageBackends(): Array<[Backend['name'], () => Backend['storageOptions']]> {
  return backends().map((b) => [b.name, () => b.fresh().storageOptions]);
}


/** Backends for the fault tests: replicas on a fresh PostgreSQL schema (tagged with an
 *  application_name, so that the test can cut exactly its own database connections) or on a fresh
 *  SQLite data directory. */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Pool } from 'pg';
import { ServerProcess, startServerProcess } from '@hpo/testing';

export interface FaultBackend {
  name: 'sqlite' | 'postgres';
  env: Record<string, string>;
  /** application_name of the replicas' PostgreSQL connections. */
  applicationName?: string;
  dispose(): Promise<void>;
}

export function pgUrl(): string | undefined {
  return process.env.HPO_TEST_PG_URL || undefined;
}

export function postgresFaultBackend(url: string, extra: Record<string, string> = {}): FaultBackend {
  const tag = `hpo_fault_${process.pid}_${randomBytes(3).toString('hex')}`;
  const withApp = `${url}${url.includes('?') ? '&' : '?'}application_name=${tag}`;
  return {
    name: 'postgres',
    env: { HPO_DATABASE_URL: withApp, HPO_POSTGRES_SCHEMA: tag, ...extra },
    applicationName: tag,
    async dispose() {
      const pool = new Pool({ connectionString: url, max: 1 });
      try {
        await pool.query(`drop schema if exists "${tag}" cascade`);
      } finally {
        await pool.end();
      }
    },
  };
}

export function sqliteFaultBackend(extra: Record<string, string> = {}): FaultBackend {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hpo-fault-'));
  return {
    name: 'sqlite',
    env: { HPO_DATA_DIR: dir, ...extra },
    async dispose() {
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Terminates every PostgreSQL connection of the replicas (as a database restart or failover does);
 *  returns how many were cut. */
export async function terminateConnections(url: string, applicationName: string): Promise<number> {
  const pool = new Pool({ connectionString: url, max: 1 });
  try {
    const r = await pool.query('select pg_terminate_backend(pid) as ok from pg_stat_activity where application_name = $1', [applicationName]);
    return r.rows.filter((x) => x.ok).length;
  } finally {
    await pool.end();
  }
}

/** Restarts a killed replica on its old port (the clients' address list does not change). */
export function restartReplica(env: Record<string, string>, port: number): Promise<ServerProcess> {
  return startServerProcess({ ...env, HPO_PORT: String(port) });
}

/** Trials expired according to a replica's log: the lease reaper's `{"msg":"leases expired",
 *  "trials":n}` lines and SuggestTrials' own sweep (`"trials":[3,4]`, or "leases expired for trials 3, 4"). */
export function expiredInLogs(logs: string): number {
  return countLogged(logs, 'leases expired');
}

/** Trials a SuggestTrials handed out and took back because its caller had gone by the commit (its 30 s
 *  deadline passed on a loaded box): FAILED "not received", logged as such, not as an expiry. */
export function releasedInLogs(logs: string): number {
  return countLogged(logs, 'released trials whose caller went away');
}

function countLogged(logs: string, what: string): number {
  let n = 0;
  for (const line of logs.split('\n')) {
    if (!line.startsWith('{')) continue;
    let j: { msg?: unknown; trials?: unknown };
    try {
      j = JSON.parse(line);
    } catch {
      continue;
    }
    const msg = String(j.msg ?? '');
    if (msg === what && typeof j.trials === 'number') n += j.trials;
    if (msg === what && Array.isArray(j.trials)) n += j.trials.length;
    const m = new RegExp(`${what} for trials ([\\d, ]+)`).exec(msg);
    if (m) n += m[1].split(',').filter((x) => x.trim() !== '').length;
  }
  return n;
}

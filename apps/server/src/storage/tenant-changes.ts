/** Whether the tenants table may have changed since a cached read, known without a round trip, across
 *  processes: a version that moves whenever it may have. The tenant cache (auth/tenant-cache.ts) keeps
 *  what it read under one version and drops it when the version moves, so a key revoked by `hpo tenants
 *  revoke` (another process) is refused at the next call, as when every call read the database.
 *
 *  - SQLite: PRAGMA data_version moves when another connection (the CLI) commits anything; this process's
 *    own tenant writes move it through `changedHere`. An in-process call, no I/O.
 *  - PostgreSQL: every tenant write NOTIFYs a channel of this schema (in its own transaction, so the
 *    notice is delivered once the change is visible); each replica LISTENs on one connection. While that
 *    connection is down the version is unknown (undefined) and callers read the database. */
import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { Client, ClientConfig } from 'pg';

export interface TenantChanges {
  /** Moves whenever tenants may have changed; undefined when that cannot be known (do not cache). */
  version(): number | undefined;
  /** This process changed the tenants table. */
  changedHere(): void;
  close(): Promise<void>;
}

export function sqliteTenantChanges(db: Database.Database): TenantChanges {
  let version = 0;
  let dataVersion = -1;
  // Prepared once: db.pragma() prepares its statement on every call (3 % of the main thread under load).
  const dataVersionOf = db.prepare('pragma data_version').pluck();
  return {
    version() {
      const dv = Number(dataVersionOf.get());
      if (dv !== dataVersion) {
        dataVersion = dv;
        version++;
      }
      return version;
    },
    changedHere() {
      version++;
    },
    async close() {},
  };
}

/** The NOTIFY channel of a schema (schemas share a database's channels; a name is at most 63 bytes). */
export function tenantsChannel(schema: string | undefined): string {
  return 'hpo_tenants_' + createHash('sha256').update(schema ?? 'public').digest('hex').slice(0, 24);
}

const RECONNECT_MS = 1000;

/** Listens lazily: the first `version()` call connects (a CLI that never asks opens no connection). */
export function postgresTenantChanges(config: ClientConfig, schema: string | undefined, onError: (error: Error) => void): TenantChanges {
  const channel = tenantsChannel(schema);
  let version = 0;
  let listening = false;
  let started = false;
  let closed = false;
  let client: Client | undefined;
  let timer: NodeJS.Timeout | undefined;

  const connect = (): void => {
    if (closed) return;
    const c = new Client(config);
    client = c;
    const lost = (error?: Error): void => {
      if (client !== c) return;
      listening = false;
      client = undefined;
      version++;
      if (error) onError(error);
      c.end().catch(() => undefined);
      if (!closed) timer = setTimeout(connect, RECONNECT_MS).unref();
    };
    c.on('error', lost);
    c.on('end', () => lost());
    c.on('notification', () => {
      version++;
    });
    c.connect()
      .then(() => c.query(`listen "${channel}"`))
      .then(() => {
        if (client !== c) return;
        // Whatever changed before LISTEN took effect is covered: the version moves once more.
        version++;
        listening = true;
      })
      .catch((error: Error) => lost(error));
  };

  return {
    version() {
      if (!started) {
        started = true;
        connect();
      }
      return listening ? version : undefined;
    },
    changedHere() {
      version++;
    },
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      const c = client;
      client = undefined;
      listening = false;
      await c?.end().catch(() => undefined);
    },
  };
}

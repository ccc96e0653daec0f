/** SQLite through better-sqlite3, tuned for a server: WAL (readers never block the writer), a busy
 *  timeout for other processes (the CLI), and BEGIN IMMEDIATE so a transaction takes the write lock up
 *  front instead of failing with SQLITE_BUSY when it upgrades from read to write. Kysely's SQLite
 *  driver already runs one statement or transaction at a time on its single connection, which is what
 *  serialises writes inside the process (no "database is locked" between parallel workers). */
import Database from 'better-sqlite3';
import { CompiledQuery, DatabaseConnection, Driver, SqliteDialect, SqliteDriver } from 'kysely';
import { systemClock, type Clock } from '../clock';

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  constructor(private readonly config: ConstructorParameters<typeof SqliteDialect>[0]) {
    super(config);
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.config);
  }
}

/** Opens the file (':memory:' for a private in-memory database) and registers `hpo_now()`, the clock the
 *  storage's SQL reads (seconds since the epoch, from the server's Clock). */
export function openSqliteDatabase(file: string, clock: Clock = systemClock): Database.Database {
  const db = new Database(file);
  db.function('hpo_now', { deterministic: false }, () => clock.now() / 1000);
  db.pragma('journal_mode = WAL');
  // Survives kill -9 of the server (the WAL is in the OS page cache); FULL would add an fsync per
  // commit for power-loss safety.
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 10000');
  db.pragma('foreign_keys = ON');
  return db;
}

/** Prepared statements kept per connection, by SQL text (least recently used dropped first). The SQL of
 *  a storage call is the same every time up to the length of its IN lists, so a few hundred cover the
 *  hot path; preparing each statement again was ~5 % of the server's main thread under load. */
export const MAX_CACHED_STATEMENTS = 500;

/** The database as Kysely's driver sees it, with `prepare` answered from the cache. Kysely runs one
 *  statement at a time on its connection (and reads a streamed one to its end before the next), so a
 *  statement is never in use twice; SQLite re-prepares a cached one itself after a schema change. */
export function cachingStatements(db: Database.Database, max = MAX_CACHED_STATEMENTS): Pick<Database.Database, 'close' | 'prepare'> {
  const statements = new Map<string, Database.Statement>();
  return {
    close: () => db.close(),
    prepare(sql: string) {
      let stmt = statements.get(sql);
      if (stmt) {
        statements.delete(sql);
      } else {
        stmt = db.prepare(sql);
        if (statements.size >= max) statements.delete(statements.keys().next().value as string);
      }
      statements.set(sql, stmt);
      return stmt;
    },
  } as Pick<Database.Database, 'close' | 'prepare'>;
}

export function createSqliteDialect(db: Database.Database): SqliteDialect {
  return new ImmediateSqliteDialect({ database: cachingStatements(db) });
}

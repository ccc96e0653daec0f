/** The Storage interface on Kysely, for SQLite and PostgreSQL alike. The few dialect differences (the
 *  clock expression and the per-study lock) are isolated in `DialectOps`. */
import { Kysely, Migrator, RawBuilder, sql, Transaction } from 'kysely';
import { STUDY_CONFIG_VERSION, upgradeStudyConfig } from '@hpo/core';
import type { Measurement, StudyConfig, TrialOrigin, TrialState } from '@hpo/core';
import type { Database, StudiesTable, TrialsTable } from './schema';
import { migrationProvider } from './migrations';
import type { TenantChanges } from './tenant-changes';
import { StudyHistories } from './study-history';
import { systemClock, type Clock } from '../clock';
import {
  emptyCounts,
  MovedStudies,
  NewTrial,
  StudyPage,
  StudyQuotaReached,
  StudyRecord,
  StudyTransaction,
  Storage,
  TenantRecord,
  TrialOutcome,
  TrialPatch,
  TrialQuery,
  TrialRecord,
} from './storage';

type Db = Kysely<Database>;

export interface DialectOps {
  readonly dialect: 'sqlite' | 'postgres';
  /** Seconds since the epoch by the database's clock. */
  now(db: Db | Transaction<Database>): Promise<number>;
  /** Serialises this study across processes for the rest of the transaction. */
  lockStudy(tx: Transaction<Database>, studyId: number): Promise<void>;
  /** The database clock as an SQL expression (seconds since the epoch), for writes that stamp it. */
  nowSql(): RawBuilder<number>;
  /** Opens a study transaction in one statement: the study's lock taken, its row, and the clock read
   *  after the lock. */
  openStudy(tx: Transaction<Database>, tenantId: number, studyId: number): Promise<{ row: StudiesTable; now: number } | undefined>;
  /** Serialises this tenant's quota checks across processes for the rest of the transaction. */
  lockTenantQuota(tx: Transaction<Database>, tenantId: number): Promise<void>;
}

export const sqliteOps: DialectOps = {
  dialect: 'sqlite',
  async now(db) {
    const r = await sql<{ now: number }>`select ${this.nowSql()} as now`.execute(db);
    return Number(r.rows[0].now);
  },
  async lockStudy() {
    // BEGIN IMMEDIATE already holds the database's single write lock.
  },
  nowSql() {
    // The server's Clock, registered on the connection by openSqliteDatabase: the database is in this
    // process, so its clock is the process's (it was julianday('now')), and a test's fake clock moves it.
    return sql<number>`hpo_now()`;
  },
  async openStudy(tx, tenantId, studyId) {
    // BEGIN IMMEDIATE already holds the write lock: the row and the clock are read under it.
    const r = await sql<StudiesTable & { now: number }>`select studies.*, ${this.nowSql()} as now from studies where tenant_id = ${tenantId} and id = ${studyId}`.execute(tx);
    const row = r.rows[0];
    return row ? { row, now: Number(row.now) } : undefined;
  },
  async lockTenantQuota() {
    // The same single write lock.
  },
};

/** First key of the two-key advisory lock: a constant naming "HPO study" locks. */
const STUDY_LOCK_NAMESPACE = 0x4850_4f31;
/** First key of tenant-quota locks ("HPO2"). Always taken after the study's lock, never before, so the
 *  two cannot deadlock. */
const TENANT_QUOTA_LOCK_NAMESPACE = 0x4850_4f32;

export const postgresOps: DialectOps = {
  dialect: 'postgres',
  async now(db) {
    const r = await sql<{ now: number }>`select extract(epoch from clock_timestamp())::float8 as now`.execute(db);
    return Number(r.rows[0].now);
  },
  async lockStudy(tx, studyId) {
    await sql`select pg_advisory_xact_lock(${STUDY_LOCK_NAMESPACE}::int, ${studyId | 0}::int)`.execute(tx);
  },
  nowSql() {
    return sql<number>`extract(epoch from clock_timestamp())::float8`;
  },
  async openStudy(tx, tenantId, studyId) {
    // One round trip instead of three. The lock is taken by the FROM subquery before the clock is read
    // in the select list; the study row comes from the statement's snapshot, taken before the lock,
    // which is fine for what is read from it here (the config never changes). Whatever the plan, the
    // only lock this can take is this study's.
    const r = await sql<StudiesTable & { now: number }>`select s.*, ${this.nowSql()} as now
      from (select pg_advisory_xact_lock(${STUDY_LOCK_NAMESPACE}::int, ${studyId | 0}::int)) l cross join studies s
      where s.tenant_id = ${tenantId} and s.id = ${studyId}`.execute(tx);
    const row = r.rows[0];
    return row ? { row, now: Number(row.now) } : undefined;
  },
  async lockTenantQuota(tx, tenantId) {
    await sql`select pg_advisory_xact_lock(${TENANT_QUOTA_LOCK_NAMESPACE}::int, ${tenantId | 0}::int)`.execute(tx);
  },
};

function toTenant(row: any): TenantRecord {
  return {
    id: Number(row.id),
    name: row.name,
    isLocal: Number(row.is_local) === 1,
    llmEnabled: Number(row.llm_enabled) === 1,
    createdAt: Number(row.created_at),
    revokedAt: row.revoked_at === null ? null : Number(row.revoked_at),
  };
}

function toStudy(row: any): StudyRecord {
  return {
    id: Number(row.id),
    tenantId: Number(row.tenant_id),
    displayName: row.display_name,
    // Stored configs are upgraded on read to the format this code knows (rows without a version are 1).
    config: upgradeStudyConfig(JSON.parse(row.config_json), row.config_version === undefined || row.config_version === null ? 1 : Number(row.config_version)),
    createdAt: Number(row.created_at),
    llmTokensUsed: Number(row.llm_tokens_used),
    policyStateJson: row.policy_state_json ?? null,
  };
}

function toTrial(row: TrialsTable): TrialRecord {
  return {
    studyId: Number(row.study_id),
    id: Number(row.id),
    state: row.state as TrialState,
    parameters: JSON.parse(row.parameters_json),
    finalMeasurement: row.final_measurement_json ? (JSON.parse(row.final_measurement_json) as Measurement) : undefined,
    measurements: [],
    clientId: row.client_id,
    leaseExpiresAt: row.lease_expires_at === null ? null : Number(row.lease_expires_at),
    resumeFromStep: Number(row.resume_from_step),
    lastStep: Number(row.last_step),
    infeasibleReason: row.infeasible_reason,
    statusReason: row.status_reason,
    origin: (row.origin ?? 'unspecified') as TrialOrigin,
    createTime: Number(row.create_time),
    startTime: row.start_time === null ? null : Number(row.start_time),
    completeTime: row.complete_time === null ? null : Number(row.complete_time),
    note: row.note,
  };
}

async function selectTrials(
  db: Db | Transaction<Database>,
  tenantId: number,
  studyId: number,
  query: TrialQuery = {},
): Promise<TrialRecord[]> {
  let q = db
    .selectFrom('trials')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('study_id', '=', studyId);
  if (query.states && query.states.length > 0) q = q.where('state', 'in', query.states);
  if (query.clientId !== undefined) q = q.where('client_id', '=', query.clientId);
  if (query.clientIds !== undefined) q = q.where('client_id', 'in', query.clientIds.length > 0 ? query.clientIds : ['']);
  if (query.afterId !== undefined) q = q.where('id', '>', query.afterId);
  q = q.orderBy('id', 'asc');
  if (query.limit !== undefined) q = q.limit(query.limit);
  const trials = (await q.execute()).map(toTrial);
  if (query.withMeasurements) await attachCurves(db, tenantId, studyId, trials);
  return trials;
}

/** Fills the trials' learning curves (one statement). */
async function attachCurves(db: Db | Transaction<Database>, tenantId: number, studyId: number, trials: TrialRecord[]): Promise<void> {
  if (trials.length === 0) return;
  let mq = db
    .selectFrom('measurements')
    .select(['trial_id', 'step', 'metrics_json', 'elapsed_seconds'])
    .where('tenant_id', '=', tenantId)
    .where('study_id', '=', studyId);
  if (trials.length < 500) mq = mq.where('trial_id', 'in', trials.map((t) => t.id));
  const rows = await mq.orderBy('trial_id').orderBy('step').execute();
  const byId = new Map(trials.map((t) => [t.id, t]));
  for (const r of rows) {
    byId.get(Number(r.trial_id))?.measurements.push({
      step: Number(r.step),
      metrics: JSON.parse(r.metrics_json),
      elapsedSeconds: Number(r.elapsed_seconds),
    });
  }
}

async function countByState(db: Db | Transaction<Database>, tenantId: number, studyId: number): Promise<Record<TrialState, number>> {
  const rows = await db
    .selectFrom('trials')
    .select(['state', db.fn.countAll<number>().as('n')])
    .where('tenant_id', '=', tenantId)
    .where('study_id', '=', studyId)
    .groupBy('state')
    .execute();
  const counts = emptyCounts();
  for (const r of rows) counts[r.state as TrialState] = Number(r.n);
  return counts;
}

function patchToRow(patch: TrialPatch): Partial<TrialsTable> {
  const row: Partial<TrialsTable> = {};
  if (patch.state !== undefined) row.state = patch.state;
  if (patch.finalMeasurement !== undefined) row.final_measurement_json = JSON.stringify(patch.finalMeasurement);
  if (patch.clientId !== undefined) row.client_id = patch.clientId;
  if (patch.leaseExpiresAt !== undefined) row.lease_expires_at = patch.leaseExpiresAt;
  if (patch.resumeFromStep !== undefined) row.resume_from_step = patch.resumeFromStep;
  if (patch.lastStep !== undefined) row.last_step = patch.lastStep;
  if (patch.infeasibleReason !== undefined) row.infeasible_reason = patch.infeasibleReason;
  if (patch.statusReason !== undefined) row.status_reason = patch.statusReason;
  if (patch.startTime !== undefined) row.start_time = patch.startTime;
  if (patch.completeTime !== undefined) row.complete_time = patch.completeTime;
  if (patch.note !== undefined) row.note = patch.note;
  return row;
}

const LEASED_STATES: TrialState[] = ['ACTIVE', 'STOPPING'];
/** States a trial never leaves. A locked transaction's state or lease write is conditional on the trial
 *  not being in one (updateTrials), and the lock-free completion on it being leased (finishLeasedTrial):
 *  whichever of a STOP decision (EARLY_STOPPED) and a CompleteTrial (SUCCEEDED) commits first wins, in
 *  SQL, on both backends. */
const TERMINAL_STATES: TrialState[] = ['SUCCEEDED', 'INFEASIBLE', 'FAILED', 'EARLY_STOPPED'];
/** Patch fields that may be written to a finished trial (notes and reasons); any other field is written
 *  only while the trial is not finished. */
const ANNOTATIONS = new Set<keyof TrialPatch>(['note', 'statusReason']);
/** Study configs remembered by a process (one per recently used study). */
const MAX_CACHED_CONFIGS = 10_000;
/** Rows of one multi-row INSERT (17 values a trial: well inside SQLite's 32,766 and PostgreSQL's 65,535
 *  bound parameters). A batch's new trials, or AddTrials' 1,000, are one statement instead of one each. */
const ROWS_PER_INSERT = 500;
/** How long a tenant write waits for its notice to reach the other replicas (tenantsWritten). */
const TENANT_NOTICE_SETTLE_MS = 200;
/** How often a study transaction is run again after losing a race with a lock-free write. */
const MAX_TRANSACTION_ATTEMPTS = 5;

/** A locked transaction read a trial as live, and a lock-free CompleteTrial or ReportIntermediate (or
 *  another process) finished it before the transaction wrote it: the transaction is rolled back and run
 *  again on what is now stored. Never leaves the storage. */
class TrialChangedError extends Error {}

/** A trial's learning curve in step order. */
async function curveOf(db: Db | Transaction<Database>, tenantId: number, studyId: number, trialId: number): Promise<Measurement[]> {
  const rows = await db
    .selectFrom('measurements')
    .select(['step', 'metrics_json', 'elapsed_seconds'])
    .where('tenant_id', '=', tenantId)
    .where('study_id', '=', studyId)
    .where('trial_id', '=', trialId)
    .orderBy('step')
    .execute();
  return rows.map((r) => ({ step: Number(r.step), metrics: JSON.parse(r.metrics_json), elapsedSeconds: Number(r.elapsed_seconds) }));
}

/** A driver error as one line: node-postgres reports a refused connection as an AggregateError with an
 *  empty message (one error per resolved address), so the code and the first inner message are used. */
export function describeDatabaseError(error: unknown): string {
  const e = error as { code?: string; message?: string; errors?: unknown[] };
  const inner = Array.isArray(e?.errors) && e.errors.length > 0 ? (e.errors[0] as { code?: string; message?: string }) : undefined;
  const code = e?.code ?? inner?.code;
  const message = e?.message || inner?.message || String(error);
  return code && !message.includes(code) ? `${code} ${message}` : message;
}

export class KyselyStorage implements Storage {
  readonly dialect: 'sqlite' | 'postgres';

  constructor(
    private readonly db: Db,
    private readonly ops: DialectOps,
    private readonly onClose: () => Promise<void> = async () => {},
    private readonly tenantChanges?: TenantChanges,
    /** PostgreSQL: the channel tenant writes NOTIFY (tenant-changes.ts). */
    private readonly tenantsChannel?: string,
    readonly clock: Clock = systemClock,
  ) {
    this.dialect = ops.dialect;
  }

  tenantsVersion(): number | undefined {
    return this.tenantChanges?.version();
  }

  /** After a tenant write: this process's cache and (PostgreSQL) every replica's drop what they hold.
   *  A notice reaches the replicas a moment after the commit (their listening backends must be scheduled
   *  and their event loops read it), so the writer (`hpo tenants revoke`, an admin operation) waits that
   *  moment out before it reports the change done: the next call anywhere is then refused. */
  private async tenantsWritten(): Promise<void> {
    this.tenantChanges?.changedHere();
    if (this.tenantsChannel === undefined) return;
    await sql`select pg_notify(${this.tenantsChannel}, '')`.execute(this.db);
    await new Promise((resolve) => setTimeout(resolve, TENANT_NOTICE_SETTLE_MS));
  }

  /** Brings the schema up to date; safe to run from several replicas at once. */
  async migrate(schema?: string): Promise<void> {
    // Kysely looks for its bookkeeping tables in an explicit schema (else "public" on PostgreSQL), so a
    // non-default schema must be named here too.
    const migrator = new Migrator({
      db: this.db,
      provider: migrationProvider(this.ops.dialect),
      ...(schema ? { migrationTableSchema: schema } : {}),
    });
    let { error, results } = await migrator.migrateToLatest();
    // Kysely's migrator introspects the tables of every schema; another schema dropped meanwhile (another
    // service or test on the same database) fails that read with 3F000 for a schema that is not ours.
    // Nothing was applied then, so reading again (after a short pause) is safe.
    for (let retry = 1; error && isOtherSchemaVanished(error, schema) && retry <= 8; retry++) {
      await new Promise((resolve) => setTimeout(resolve, 20 * retry));
      ({ error, results } = await migrator.migrateToLatest());
    }
    if (error) {
      const failed = results?.find((r) => r.status === 'Error');
      // No migration ran: the database could not be reached or read at all.
      if (!failed) throw new Error(`cannot open the database: ${describeDatabaseError(error)}`);
      throw new Error(`database migration ${failed.migrationName} failed: ${describeDatabaseError(error)}`);
    }
  }

  /** Names of the migrations this version has that the database has not applied (reads only). */
  async pendingMigrations(schema?: string): Promise<string[]> {
    const migrator = new Migrator({
      db: this.db,
      provider: migrationProvider(this.ops.dialect),
      ...(schema ? { migrationTableSchema: schema } : {}),
    });
    return (await migrator.getMigrations()).filter((m) => m.executedAt === undefined).map((m) => m.name);
  }

  now(): Promise<number> {
    return this.ops.now(this.db);
  }

  /** SQLite: the connection plain reads use (GetStudy, ListTrials, ...). Kysely runs one statement or
   *  transaction at a time per connection, so on the writer's connection a read would wait for every
   *  transaction queued before it, however long another tenant's are; with WAL a second connection reads
   *  the last committed state at once. PostgreSQL reads from its pool. */
  private reader: Db | undefined;

  attachReader(reader: Db): void {
    this.reader = reader;
  }

  private get reads(): Db {
    return this.reader ?? this.db;
  }

  async close(): Promise<void> {
    await this.tenantChanges?.close();
    await this.reader?.destroy();
    await this.db.destroy();
    await this.onClose();
  }

  // ---- tenants ----

  async createTenant(name: string, apiKeyHash: string): Promise<TenantRecord> {
    const now = await this.now();
    const row = await this.db
      .insertInto('tenants')
      .values({ name, api_key_hash: apiKeyHash, is_local: 0, llm_enabled: 1, created_at: now, revoked_at: null })
      .returningAll()
      .executeTakeFirstOrThrow();
    await this.tenantsWritten();
    return toTenant(row);
  }

  async listTenants(): Promise<TenantRecord[]> {
    const rows = await this.db.selectFrom('tenants').selectAll().where('is_local', '=', 0).orderBy('id').execute();
    return rows.map(toTenant);
  }

  async findTenantByKeyHash(apiKeyHash: string): Promise<(TenantRecord & { revoked: boolean }) | undefined> {
    const row = await this.db.selectFrom('tenants').selectAll().where('api_key_hash', '=', apiKeyHash).executeTakeFirst();
    if (!row) return undefined;
    const t = toTenant(row);
    return { ...t, revoked: t.revokedAt !== null };
  }

  async countKeyedTenants(): Promise<number> {
    const r = await this.db
      .selectFrom('tenants')
      .select(this.db.fn.countAll<number>().as('n'))
      .where('is_local', '=', 0)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  async getOrCreateLocalTenant(): Promise<TenantRecord> {
    const existing = await this.db.selectFrom('tenants').selectAll().where('is_local', '=', 1).executeTakeFirst();
    if (existing) return toTenant(existing);
    const now = await this.now();
    await this.db
      .insertInto('tenants')
      .values({ name: 'local', api_key_hash: null, is_local: 1, llm_enabled: 1, created_at: now, revoked_at: null })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    await this.tenantsWritten();
    const row = await this.db.selectFrom('tenants').selectAll().where('is_local', '=', 1).executeTakeFirstOrThrow();
    return toTenant(row);
  }

  async getTenant(tenantId: number): Promise<TenantRecord | undefined> {
    const row = await this.db.selectFrom('tenants').selectAll().where('id', '=', tenantId).executeTakeFirst();
    return row ? toTenant(row) : undefined;
  }

  async revokeTenant(name: string): Promise<boolean> {
    const now = await this.now();
    const r = await this.db
      .updateTable('tenants')
      .set({ revoked_at: now })
      .where('name', '=', name)
      .where('is_local', '=', 0)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    await this.tenantsWritten();
    return Number(r.numUpdatedRows) > 0;
  }

  async moveStudies(fromTenantId: number, toTenantId: number, renameSuffix: string): Promise<MovedStudies> {
    return this.db.transaction().execute(async (tx) => {
      const moving = await tx.selectFrom('studies').select(['id', 'display_name']).where('tenant_id', '=', fromTenantId).orderBy('id').execute();
      const taken = new Set(
        (await tx.selectFrom('studies').select('display_name').where('tenant_id', '=', toTenantId).execute()).map((r) => r.display_name),
      );
      const renamed: MovedStudies['renamed'] = [];
      for (const study of moving) {
        await this.ops.lockStudy(tx, study.id);
        let name = study.display_name;
        for (let n = 1; taken.has(name); n++) name = `${study.display_name} ${renameSuffix}${n > 1 ? ` ${n}` : ''}`;
        taken.add(name);
        if (name !== study.display_name) renamed.push({ studyId: study.id, from: study.display_name, to: name });
        await tx.updateTable('studies').set({ tenant_id: toTenantId, display_name: name }).where('id', '=', study.id).execute();
        await tx.updateTable('trials').set({ tenant_id: toTenantId }).where('study_id', '=', study.id).execute();
        await tx.updateTable('measurements').set({ tenant_id: toTenantId }).where('study_id', '=', study.id).execute();
      }
      return { moved: moving.length, renamed };
    });
  }

  async deleteTenant(tenantId: number): Promise<boolean> {
    const deleted = await this.db.transaction().execute(async (tx) => {
      const studies = await tx.selectFrom('studies').select('id').where('tenant_id', '=', tenantId).limit(1).execute();
      if (studies.length > 0) throw new Error(`tenant ${tenantId} still holds studies`);
      await tx.deleteFrom('tenant_llm_usage').where('tenant_id', '=', tenantId).execute();
      const r = await tx.deleteFrom('tenants').where('id', '=', tenantId).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    });
    await this.tenantsWritten();
    return deleted;
  }

  async setTenantLlmEnabled(name: string, enabled: boolean): Promise<boolean> {
    const r = await this.db
      .updateTable('tenants')
      .set({ llm_enabled: enabled ? 1 : 0 })
      .where('name', '=', name)
      .executeTakeFirst();
    await this.tenantsWritten();
    return Number(r.numUpdatedRows) > 0;
  }

  async addTenantLlmTokens(tenantId: number, day: string, tokens: number): Promise<void> {
    await this.db
      .insertInto('tenant_llm_usage')
      .values({ tenant_id: tenantId, day, tokens })
      .onConflict((oc) => oc.columns(['tenant_id', 'day']).doUpdateSet((eb) => ({ tokens: eb('tenant_llm_usage.tokens', '+', eb.ref('excluded.tokens')) })))
      .execute();
  }

  async tenantLlmTokens(tenantId: number, day: string): Promise<number> {
    const row = await this.db.selectFrom('tenant_llm_usage').select('tokens').where('tenant_id', '=', tenantId).where('day', '=', day).executeTakeFirst();
    return row ? Number(row.tokens) : 0;
  }

  // ---- studies ----

  async createStudy(tenantId: number, displayName: string, config: StudyConfig, maxStudies = 0): Promise<{ study: StudyRecord; created: boolean }> {
    if (maxStudies <= 0) return this.insertStudy(this.db, tenantId, displayName, config);
    // The quota counted and the study inserted in one transaction, serialised with every other quota
    // check of the tenant (PostgreSQL: the tenant's advisory lock; SQLite: its one write lock), so
    // concurrent creates on any number of replicas never pass it.
    return this.db.transaction().execute(async (tx) => {
      await this.ops.lockTenantQuota(tx, tenantId);
      const existing = await tx.selectFrom('studies').selectAll().where('tenant_id', '=', tenantId).where('display_name', '=', displayName).executeTakeFirst();
      if (existing) return { study: toStudy(existing), created: false };
      const r = await tx.selectFrom('studies').select(tx.fn.countAll<number>().as('n')).where('tenant_id', '=', tenantId).executeTakeFirstOrThrow();
      if (Number(r.n) >= maxStudies) throw new StudyQuotaReached(Number(r.n), maxStudies);
      return this.insertStudy(tx, tenantId, displayName, config);
    });
  }

  private async insertStudy(db: Db | Transaction<Database>, tenantId: number, displayName: string, config: StudyConfig): Promise<{ study: StudyRecord; created: boolean }> {
    const now = await this.ops.now(db);
    const inserted = await db
      .insertInto('studies')
      .values({
        tenant_id: tenantId,
        display_name: displayName,
        config_json: JSON.stringify(config),
        config_version: STUDY_CONFIG_VERSION,
        created_at: now,
        llm_tokens_used: 0,
      })
      .onConflict((oc) => oc.columns(['tenant_id', 'display_name']).doNothing())
      .returningAll()
      .executeTakeFirst();
    if (inserted) return { study: toStudy(inserted), created: true };
    const row = await db
      .selectFrom('studies')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('display_name', '=', displayName)
      .executeTakeFirstOrThrow();
    return { study: toStudy(row), created: false };
  }

  async getStudy(tenantId: number, studyId: number): Promise<StudyRecord | undefined> {
    const row = await this.reads
      .selectFrom('studies')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('id', '=', studyId)
      .executeTakeFirst();
    return row ? toStudy(row) : undefined;
  }

  async listStudies(tenantId: number, limit: number, beforeId?: number): Promise<StudyPage> {
    let q = this.reads.selectFrom('studies').selectAll().where('tenant_id', '=', tenantId);
    if (beforeId !== undefined) q = q.where('id', '<', beforeId);
    const rows = await q.orderBy('id', 'desc').limit(limit + 1).execute();
    return { studies: rows.slice(0, limit).map(toStudy), hasMore: rows.length > limit };
  }

  async deleteStudy(tenantId: number, studyId: number): Promise<boolean> {
    return this.db.transaction().execute(async (tx) => {
      await this.ops.lockStudy(tx, studyId);
      const r = await tx.deleteFrom('studies').where('tenant_id', '=', tenantId).where('id', '=', studyId).executeTakeFirst();
      if (Number(r.numDeletedRows) === 0) return false;
      await tx.deleteFrom('measurements').where('tenant_id', '=', tenantId).where('study_id', '=', studyId).execute();
      await tx.deleteFrom('trials').where('tenant_id', '=', tenantId).where('study_id', '=', studyId).execute();
      return true;
    });
  }

  countTrials(tenantId: number, studyId: number): Promise<Record<TrialState, number>> {
    return countByState(this.db, tenantId, studyId);
  }

  async stepsSpent(tenantId: number, studyId: number): Promise<number> {
    const r = await sql<{ steps: number | string | null }>`select sum(case when last_step > 0 then last_step else 0 end) as steps
      from trials where tenant_id = ${tenantId} and study_id = ${studyId}`.execute(this.db);
    return Number(r.rows[0]?.steps ?? 0);
  }

  listTrials(tenantId: number, studyId: number, query?: TrialQuery): Promise<TrialRecord[]> {
    return selectTrials(this.db, tenantId, studyId, query);
  }

  async getTrial(tenantId: number, studyId: number, trialId: number): Promise<TrialRecord | undefined> {
    const trials = await selectTrials(this.db, tenantId, studyId, { afterId: trialId - 1, limit: 1, withMeasurements: true });
    return trials[0]?.id === trialId ? trials[0] : undefined;
  }

  async studyTransaction<T>(tenantId: number, studyId: number, work: (tx: StudyTransaction) => Promise<T>): Promise<T | undefined> {
    for (let attempt = 1; ; attempt++) {
      try {
        const afterCommit: Array<() => void> = [];
        const result = await this.db.transaction().execute(async (trx) => {
          const opened = await this.ops.openStudy(trx, tenantId, studyId);
          if (!opened) return undefined;
          return work(new KyselyStudyTransaction(trx, this.ops, toStudy(opened.row), opened.now, this.histories, afterCommit));
        });
        for (const apply of afterCommit) apply();
        return result;
      } catch (error) {
        if (!(error instanceof TrialChangedError) || attempt >= MAX_TRANSACTION_ATTEMPTS) throw error;
      }
    }
  }

  private readonly configs = new Map<string, StudyConfig>();
  /** Each study's trials as last read here (study-history.ts). */
  private readonly histories = new StudyHistories();

  async studyConfig(tenantId: number, studyId: number): Promise<StudyConfig | undefined> {
    const key = `${tenantId}/${studyId}`;
    const known = this.configs.get(key);
    if (known) return known;
    const study = await this.getStudy(tenantId, studyId);
    if (!study) return undefined;
    if (this.configs.size >= MAX_CACHED_CONFIGS) this.configs.clear();
    this.configs.set(key, study.config);
    return study.config;
  }

  async finishLeasedTrial(tenantId: number, studyId: number, trialId: number, outcome: TrialOutcome, clientId?: string): Promise<TrialRecord | undefined> {
    const ending =
      outcome.state === 'SUCCEEDED'
        ? { state: outcome.state, final_measurement_json: JSON.stringify(outcome.finalMeasurement) }
        : { state: outcome.state, infeasible_reason: outcome.infeasibleReason };
    let q = this.db
      .updateTable('trials')
      .set({ ...ending, complete_time: this.ops.nowSql(), lease_expires_at: null })
      .where('tenant_id', '=', tenantId)
      .where('study_id', '=', studyId)
      .where('id', '=', trialId)
      .where('state', 'in', LEASED_STATES);
    if (clientId !== undefined) q = q.where('client_id', '=', clientId);
    const row = await q.returningAll().executeTakeFirst();
    if (!row) return undefined;
    const trial = toTrial(row);
    // A trial that was never reported has no curve to read.
    if (trial.lastStep >= 0) trial.measurements = await curveOf(this.db, tenantId, studyId, trialId);
    return trial;
  }

  async recordLeasedMeasurement(
    tenantId: number,
    studyId: number,
    trialId: number,
    m: Measurement,
    leaseSeconds: number,
    maxMeasurements: number,
    clientId?: string,
  ): Promise<TrialRecord | undefined> {
    const holder = clientId === undefined ? sql`` : sql` and client_id = ${clientId}`;
    const room = sql` and (select count(*) from measurements c where c.tenant_id = ${tenantId} and c.study_id = ${studyId} and c.trial_id = ${trialId}) < ${maxMeasurements}`;
    const metrics = JSON.stringify(m.metrics);
    if (this.dialect === 'postgres') {
      // One statement (one round trip, its own transaction): the conditional UPDATE, the measurement
      // inserted only if it matched, and the curve before it (the snapshot does not see the insert).
      const r = await sql<TrialsTable & { curve: Array<[number, string, number]> }>`
        with t as (
          update trials set last_step = ${m.step}::bigint, lease_expires_at = ${this.ops.nowSql()} + ${leaseSeconds}::float8
          where tenant_id = ${tenantId} and study_id = ${studyId} and id = ${trialId}
            and state in ('ACTIVE', 'STOPPING') and last_step < ${m.step}::bigint${holder}${room}
          returning *
        ), m as (
          insert into measurements (tenant_id, study_id, trial_id, step, metrics_json, elapsed_seconds)
          select tenant_id, study_id, id, ${m.step}::bigint, ${metrics}::text, ${m.elapsedSeconds}::float8 from t
        )
        select t.*, coalesce((select json_agg(json_build_array(c.step, c.metrics_json, c.elapsed_seconds) order by c.step)
          from measurements c where c.tenant_id = t.tenant_id and c.study_id = t.study_id and c.trial_id = t.id), '[]'::json) as curve
        from t`.execute(this.db);
      const row = r.rows[0];
      if (!row) return undefined;
      const trial = toTrial(row);
      trial.measurements = row.curve.map(([step, json, elapsed]) => ({ step: Number(step), metrics: JSON.parse(json), elapsedSeconds: Number(elapsed) }));
      trial.measurements.push(m);
      return trial;
    }
    return this.db.transaction().execute(async (trx) => {
      const r = await sql<TrialsTable>`update trials set last_step = ${m.step}, lease_expires_at = ${this.ops.nowSql()} + ${leaseSeconds}
        where tenant_id = ${tenantId} and study_id = ${studyId} and id = ${trialId}
          and state in ('ACTIVE', 'STOPPING') and last_step < ${m.step}${holder}${room}
        returning *`.execute(trx);
      const row = r.rows[0];
      if (!row) return undefined;
      await trx
        .insertInto('measurements')
        .values({ tenant_id: tenantId, study_id: studyId, trial_id: trialId, step: m.step, metrics_json: metrics, elapsed_seconds: m.elapsedSeconds })
        .execute();
      const trial = toTrial(row);
      trial.measurements = await curveOf(trx, tenantId, studyId, trialId);
      return trial;
    });
  }

  /** Finds the studies with an expired lease, then expires them study by study inside the study's
   *  serialised transaction (the same lock as SuggestTrials and CompleteTrial): with several replicas
   *  sweeping at once, each trial turns FAILED exactly once, and never under a transaction that has
   *  just read it as ACTIVE (which would complete it or renew its lease over the expiry). */
  async expireAllLeases(): Promise<number> {
    const now = await this.now();
    const due = await this.db
      .selectFrom('trials')
      .select(['tenant_id', 'study_id'])
      .distinct()
      .where('state', 'in', LEASED_STATES)
      .where('lease_expires_at', '<', now)
      .execute();
    let expired = 0;
    for (const d of due) {
      const ids = await this.studyTransaction(Number(d.tenant_id), Number(d.study_id), (tx) => tx.expireLeases());
      expired += ids?.length ?? 0;
    }
    return expired;
  }

  // ---- quotas ----

  async countStudies(tenantId: number): Promise<number> {
    const r = await this.reads.selectFrom('studies').select(this.reads.fn.countAll<number>().as('n')).where('tenant_id', '=', tenantId).executeTakeFirstOrThrow();
    return Number(r.n);
  }

  async findStudyIdByName(tenantId: number, displayName: string): Promise<number | undefined> {
    const r = await this.reads
      .selectFrom('studies')
      .select('id')
      .where('tenant_id', '=', tenantId)
      .where('display_name', '=', displayName)
      .executeTakeFirst();
    return r ? Number(r.id) : undefined;
  }

  async countLeasedTrials(tenantId: number, holder?: { studyId: number; clientId: string }): Promise<number> {
    let q = this.reads
      .selectFrom('trials')
      .select(this.reads.fn.countAll<number>().as('n'))
      .where('tenant_id', '=', tenantId)
      .where('state', 'in', LEASED_STATES);
    if (holder) q = q.where('study_id', '=', holder.studyId).where('client_id', '=', holder.clientId);
    const r = await q.executeTakeFirstOrThrow();
    return Number(r.n);
  }
}

class KyselyStudyTransaction implements StudyTransaction {
  private readonly tenantId: number;
  private readonly studyId: number;

  constructor(
    private readonly trx: Transaction<Database>,
    private readonly ops: DialectOps,
    readonly study: StudyRecord,
    readonly now: number,
    private readonly histories: StudyHistories,
    /** Run once the transaction has committed. */
    private readonly afterCommit: Array<() => void>,
  ) {
    this.tenantId = study.tenantId;
    this.studyId = study.id;
  }

  async leasedTrialsOfTenant(exclusive: boolean): Promise<number> {
    if (exclusive) await this.ops.lockTenantQuota(this.trx, this.tenantId);
    const r = await this.trx
      .selectFrom('trials')
      .select(this.trx.fn.countAll<number>().as('n'))
      .where('tenant_id', '=', this.tenantId)
      .where('state', 'in', LEASED_STATES)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  async history(withCurves: boolean): Promise<TrialRecord[]> {
    const key = `${this.tenantId}/${this.studyId}/${withCurves ? 'curves' : 'finals'}`;
    const delta = this.histories.since(key);
    let q = this.trx.selectFrom('trials').selectAll().where('tenant_id', '=', this.tenantId).where('study_id', '=', this.studyId);
    if (delta) {
      const { afterId, unfinishedIds } = delta;
      q = q.where((eb) => (unfinishedIds.length > 0 ? eb.or([eb('id', '>', afterId), eb('id', 'in', unfinishedIds)]) : eb('id', '>', afterId)));
    }
    const rows = (await q.orderBy('id', 'asc').execute()).map(toTrial);
    if (withCurves) await attachCurves(this.trx, this.tenantId, this.studyId, rows);
    const { trials, maxId, commit } = this.histories.merge(key, delta, rows);
    this.afterCommit.push(commit);
    // Every id above the held view's was just read, under the study lock: the study's highest id is known
    // (maxTrialId and the next insert need no statement of their own).
    this.nextId = Math.max(this.nextId ?? 0, maxId + 1);
    return trials;
  }

  async expireLeases(): Promise<number[]> {
    const rows = await this.trx
      .updateTable('trials')
      .set({ state: 'FAILED', status_reason: 'lease expired without heartbeat', complete_time: this.now, lease_expires_at: null })
      .where('tenant_id', '=', this.tenantId)
      .where('study_id', '=', this.studyId)
      .where('state', 'in', LEASED_STATES)
      .where('lease_expires_at', '<', this.now)
      .returning('id')
      .execute();
    return rows.map((r) => Number(r.id));
  }

  async getTrial(trialId: number, withMeasurements = false): Promise<TrialRecord | undefined> {
    const trials = await selectTrials(this.trx, this.tenantId, this.studyId, { afterId: trialId - 1, limit: 1, withMeasurements });
    return trials[0]?.id === trialId ? trials[0] : undefined;
  }

  listTrials(query?: TrialQuery): Promise<TrialRecord[]> {
    return selectTrials(this.trx, this.tenantId, this.studyId, query);
  }

  async trialsAfter(trialId: number): Promise<TrialRecord[]> {
    const trials = await selectTrials(this.trx, this.tenantId, this.studyId, { afterId: trialId });
    // Ids only grow, under the study lock this transaction holds.
    this.nextId = Math.max(this.nextId ?? 0, (trials.length > 0 ? trials[trials.length - 1].id : trialId) + 1);
    return trials;
  }

  async maxTrialId(): Promise<number> {
    if (this.nextId !== undefined) return this.nextId - 1;
    const r = await this.trx
      .selectFrom('trials')
      .select((eb) => eb.fn.max<number>('id').as('m'))
      .where('tenant_id', '=', this.tenantId)
      .where('study_id', '=', this.studyId)
      .executeTakeFirst();
    const max = r?.m === null || r?.m === undefined ? 0 : Number(r.m);
    this.nextId = max + 1;
    return max;
  }

  countTrials(): Promise<Record<TrialState, number>> {
    return countByState(this.trx, this.tenantId, this.studyId);
  }

  /** The next trial id, once known in this transaction (the study lock keeps it ours). */
  private nextId: number | undefined;

  async insertTrial(trial: NewTrial): Promise<TrialRecord> {
    return (await this.insertTrials([trial]))[0];
  }

  async insertTrials(trials: NewTrial[]): Promise<TrialRecord[]> {
    if (trials.length === 0) return [];
    const first = this.nextId ?? (await this.maxTrialId()) + 1;
    this.nextId = first + trials.length;
    const rows = trials.map((trial, k) => {
      const measurements = trial.measurements ?? [];
      return {
        tenant_id: this.tenantId,
        study_id: this.studyId,
        id: first + k,
        state: trial.state,
        parameters_json: JSON.stringify(trial.parameters),
        final_measurement_json: trial.finalMeasurement ? JSON.stringify(trial.finalMeasurement) : null,
        client_id: trial.clientId ?? '',
        lease_expires_at: trial.leaseExpiresAt ?? null,
        resume_from_step: 0,
        last_step: measurements.length > 0 ? measurements[measurements.length - 1].step : -1,
        infeasible_reason: trial.infeasibleReason ?? '',
        status_reason: trial.statusReason ?? '',
        origin: trial.origin ?? null,
        create_time: this.now,
        start_time: trial.startTime ?? null,
        complete_time: trial.completeTime ?? null,
        note: '',
      };
    });
    const inserted = new Map<number, TrialsTable>();
    for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
      // RETURNING's row order is unspecified (SQLite says so): matched by id.
      for (const row of await this.trx.insertInto('trials').values(rows.slice(i, i + ROWS_PER_INSERT)).returningAll().execute()) inserted.set(Number(row.id), row);
    }
    const curves = trials.flatMap((trial, k) => (trial.measurements ?? []).map((m) => ({ trialId: first + k, m })));
    await this.insertMeasurements(curves);
    return trials.map((trial, k) => {
      const record = toTrial(inserted.get(first + k)!);
      record.measurements = [...(trial.measurements ?? [])];
      return record;
    });
  }

  updateTrial(trialId: number, patch: TrialPatch): Promise<void> {
    return this.updateTrials([trialId], patch);
  }

  async updateTrials(trialIds: number[], patch: TrialPatch): Promise<void> {
    if (trialIds.length === 0) return;
    let q = this.trx
      .updateTable('trials')
      .set(patchToRow(patch))
      .where('tenant_id', '=', this.tenantId)
      .where('study_id', '=', this.studyId)
      .where('id', 'in', trialIds);
    // CompleteTrial and ReportIntermediate do not take the study lock: a trial this transaction read as
    // live may have finished since. Its state and lease are then left alone and the transaction runs
    // again on what is stored (studyTransaction).
    const guarded = (Object.keys(patch) as Array<keyof TrialPatch>).some((k) => patch[k] !== undefined && !ANNOTATIONS.has(k));
    if (!guarded) {
      await q.execute();
      return;
    }
    q = q.where('state', 'not in', TERMINAL_STATES);
    const r = await q.executeTakeFirst();
    if (Number(r.numUpdatedRows) !== new Set(trialIds).size) {
      throw new TrialChangedError(`a trial of study ${this.studyId} changed under the transaction`);
    }
  }

  async addMeasurement(trialId: number, m: Measurement): Promise<void> {
    await this.insertMeasurements([{ trialId, m }]);
  }

  private async insertMeasurements(points: Array<{ trialId: number; m: Measurement }>): Promise<void> {
    const rows = points.map(({ trialId, m }) => ({
      tenant_id: this.tenantId,
      study_id: this.studyId,
      trial_id: trialId,
      step: m.step,
      metrics_json: JSON.stringify(m.metrics),
      elapsed_seconds: m.elapsedSeconds,
    }));
    for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) await this.trx.insertInto('measurements').values(rows.slice(i, i + ROWS_PER_INSERT)).execute();
  }

  async addTokensUsed(tokens: number): Promise<void> {
    await this.trx
      .updateTable('studies')
      .set((eb) => ({ llm_tokens_used: eb('llm_tokens_used', '+', tokens) }))
      .where('tenant_id', '=', this.tenantId)
      .where('id', '=', this.studyId)
      .execute();
  }

  async writePolicyState(json: string | null): Promise<void> {
    await this.trx
      .updateTable('studies')
      .set({ policy_state_json: json })
      .where('tenant_id', '=', this.tenantId)
      .where('id', '=', this.studyId)
      .execute();
  }
}

function isOtherSchemaVanished(error: unknown, ours: string | undefined): boolean {
  const e = error as { code?: string; message?: string };
  if (e?.code !== '3F000') return false;
  return ours === undefined || !String(e.message ?? '').includes(`"${ours}"`);
}

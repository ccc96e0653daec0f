/** The one storage interface the server uses. Every study and trial operation takes the tenant id and
 *  scopes its queries by it, so a controller cannot forget: another tenant's study simply does not
 *  exist here. Times come from the database's clock (leases must not depend on a replica's clock). */
import type { Assignment } from '@hpo/space';
import type { Measurement, StudyConfig, TrialOrigin, TrialState } from '@hpo/core';
import type { Clock } from '../clock';

export interface MovedStudies {
  moved: number;
  renamed: Array<{ studyId: number; from: string; to: string }>;
}

export interface TenantRecord {
  id: number;
  name: string;
  isLocal: boolean;
  llmEnabled: boolean;
  createdAt: number;
  revokedAt: number | null;
}

export interface StudyRecord {
  id: number;
  tenantId: number;
  displayName: string;
  config: StudyConfig;
  createdAt: number;
  llmTokensUsed: number;
  /** The policy state as stored (opaque here; apps/server/src/suggestion/policy-state.ts reads it). */
  policyStateJson: string | null;
}

export interface TrialRecord {
  studyId: number;
  id: number;
  state: TrialState;
  parameters: Assignment;
  finalMeasurement?: Measurement;
  /** The learning curve in step order (filled when loaded with measurements). */
  measurements: Measurement[];
  clientId: string;
  leaseExpiresAt: number | null;
  resumeFromStep: number;
  lastStep: number;
  infeasibleReason: string;
  statusReason: string;
  /** Where the trial came from (design, gp, llm-warm-start, …; 'unspecified' for old rows). */
  origin: TrialOrigin;
  createTime: number;
  startTime: number | null;
  completeTime: number | null;
  note: string;
}

export interface NewTrial {
  state: TrialState;
  parameters: Assignment;
  finalMeasurement?: Measurement;
  measurements?: Measurement[];
  clientId?: string;
  leaseExpiresAt?: number | null;
  infeasibleReason?: string;
  statusReason?: string;
  origin?: TrialOrigin;
  startTime?: number | null;
  completeTime?: number | null;
}

export type TrialPatch = Partial<
  Pick<
    TrialRecord,
    | 'state'
    | 'finalMeasurement'
    | 'clientId'
    | 'leaseExpiresAt'
    | 'resumeFromStep'
    | 'lastStep'
    | 'infeasibleReason'
    | 'statusReason'
    | 'startTime'
    | 'completeTime'
    | 'note'
  >
>;

export interface TrialQuery {
  states?: TrialState[];
  clientId?: string;
  /** Trials held by any of these clients. */
  clientIds?: string[];
  /** Trials with id greater than this (pagination). */
  afterId?: number;
  limit?: number;
  withMeasurements?: boolean;
}

/** Operations inside one study's serialised transaction: all or nothing, one at a time per study
 *  (SQLite: the single write lock; PostgreSQL: pg_advisory_xact_lock on the study). */
export interface StudyTransaction {
  /** The database clock at the start of the transaction, seconds since the epoch. */
  readonly now: number;
  readonly study: StudyRecord;
  /** ACTIVE/STOPPING trials of this study whose lease has passed become FAILED (once); returns their ids. */
  expireLeases(): Promise<number[]>;
  getTrial(trialId: number, withMeasurements?: boolean): Promise<TrialRecord | undefined>;
  listTrials(query?: TrialQuery): Promise<TrialRecord[]>;
  /** Every trial of the study in id order, as listTrials({ withMeasurements: withCurves }) would return
   *  what a policy sees of them (notes and reasons of finished trials may be older), read incrementally:
   *  only trials added or unfinished since this replica's last read (study-history.ts). The records are
   *  shared with the replica's view: read-only. */
  history(withCurves: boolean): Promise<TrialRecord[]>;
  maxTrialId(): Promise<number>;
  /** Every trial with an id above `trialId` (a study's highest id when read), in id order; the study's
   *  highest id is then known to the transaction (an insert after it needs no statement to find it). */
  trialsAfter(trialId: number): Promise<TrialRecord[]>;
  /** Trials in each state. */
  countTrials(): Promise<Record<TrialState, number>>;
  insertTrial(trial: NewTrial): Promise<TrialRecord>;
  /** Several trials with consecutive new ids, in the given order, in as few statements as the database
   *  allows (one multi-row INSERT, and one for their curves). */
  insertTrials(trials: NewTrial[]): Promise<TrialRecord[]>;
  updateTrial(trialId: number, patch: TrialPatch): Promise<void>;
  /** The same patch to several trials, in one statement. */
  updateTrials(trialIds: number[], patch: TrialPatch): Promise<void>;
  addMeasurement(trialId: number, measurement: Measurement): Promise<void>;
  addTokensUsed(tokens: number): Promise<void>;
  /** ACTIVE + STOPPING trials of the study's tenant, in all its studies. With `exclusive`, first
   *  serialises this count with every other exclusive count of the tenant until the transaction ends
   *  (PostgreSQL: an advisory lock on the tenant; SQLite's single write lock already does), so a quota
   *  checked with it holds exactly across concurrent calls, studies and replicas. */
  leasedTrialsOfTenant(exclusive: boolean): Promise<number>;
  /** Replaces the study's stored policy state (null clears it). */
  writePolicyState(json: string | null): Promise<void>;
}

/** How a trial ends by CompleteTrial. */
export type TrialOutcome = { state: 'SUCCEEDED'; finalMeasurement: Measurement } | { state: 'INFEASIBLE'; infeasibleReason: string };

export interface StudyPage {
  studies: StudyRecord[];
  hasMore: boolean;
}

export interface Storage {
  readonly dialect: 'sqlite' | 'postgres';
  /** The server's clock (clock.ts; opened with StorageOptions.clock, default the system clock). Process-side
   *  timing reads it (rate limits, the tenant cache, cached gauges). On SQLite it is also the database's
   *  clock below (SQL `hpo_now()`); PostgreSQL keeps its own clock for leases, so replicas agree. */
  readonly clock: Clock;
  /** The database clock, seconds since the epoch. */
  now(): Promise<number>;
  close(): Promise<void>;

  // Tenants (administration; not tenant-scoped by nature).
  createTenant(name: string, apiKeyHash: string): Promise<TenantRecord>;
  listTenants(): Promise<TenantRecord[]>;
  findTenantByKeyHash(apiKeyHash: string): Promise<(TenantRecord & { revoked: boolean }) | undefined>;
  /** Tenants other than the built-in local one, revoked or not (a revoked tenant must not reopen the
   *  key-less local mode). */
  countKeyedTenants(): Promise<number>;
  getOrCreateLocalTenant(): Promise<TenantRecord>;
  /** A number that moves whenever the tenants may have changed, in this process or another (a revoke by
   *  the CLI, another replica); undefined when that cannot be known without reading (see
   *  tenant-changes.ts). What was read under one version may be reused while it holds. */
  tenantsVersion(): number | undefined;
  getTenant(tenantId: number): Promise<TenantRecord | undefined>;
  revokeTenant(name: string): Promise<boolean>;
  setTenantLlmEnabled(name: string, enabled: boolean): Promise<boolean>;
  /** Gives every study of `fromTenantId` (trials and curves with it) to `toTenantId`, in one transaction.
   *  A display name the receiver already uses gets `renameSuffix` appended (then a number), so no history
   *  is dropped; the renames are returned. */
  moveStudies(fromTenantId: number, toTenantId: number, renameSuffix: string): Promise<MovedStudies>;
  /** Removes a tenant that holds no studies (with its LLM usage rows); false if it does not exist. */
  deleteTenant(tenantId: number): Promise<boolean>;
  /** Adds to the tenant's LLM tokens for `day` (YYYY-MM-DD) atomically, across replicas. */
  addTenantLlmTokens(tenantId: number, day: string, tokens: number): Promise<void>;
  tenantLlmTokens(tenantId: number, day: string): Promise<number>;

  // Studies, scoped by tenant.
  /** Inserts unless (tenant, display name) exists; returns the stored study and whether it is new. With
   *  `maxStudies` > 0, a new study is refused with StudyQuotaReached when the tenant holds that many:
   *  counted in the inserting transaction under the tenant's quota lock, exact across concurrent calls
   *  and replicas. */
  createStudy(tenantId: number, displayName: string, config: StudyConfig, maxStudies?: number): Promise<{ study: StudyRecord; created: boolean }>;
  getStudy(tenantId: number, studyId: number): Promise<StudyRecord | undefined>;
  /** Newest first; `beforeId` continues a page. */
  listStudies(tenantId: number, limit: number, beforeId?: number): Promise<StudyPage>;
  deleteStudy(tenantId: number, studyId: number): Promise<boolean>;
  countTrials(tenantId: number, studyId: number): Promise<Record<TrialState, number>>;
  /** Steps trained over the study's trials (the sum of each trial's last reported step), what
   *  early_stopping.max_steps_total is measured against. */
  stepsSpent(tenantId: number, studyId: number): Promise<number>;
  listTrials(tenantId: number, studyId: number, query?: TrialQuery): Promise<TrialRecord[]>;
  getTrial(tenantId: number, studyId: number, trialId: number): Promise<TrialRecord | undefined>;
  /** The study's config as first read by this process (a config never changes once created); undefined
   *  when the study is not the tenant's (now or when first read: a deleted study's id is not reused). */
  studyConfig(tenantId: number, studyId: number): Promise<StudyConfig | undefined>;
  /** CompleteTrial's common case, without the study lock: one conditional UPDATE ends a trial that is
   *  ACTIVE or STOPPING (and held by `clientId`, when given). undefined when the trial is anything else
   *  or not the tenant's: the caller then takes the locked path, which explains. The lease reaper and
   *  the locked paths change a trial's state only with a guard on its state (updateTrial), so a trial
   *  ends once whoever gets there first. */
  finishLeasedTrial(tenantId: number, studyId: number, trialId: number, outcome: TrialOutcome, clientId?: string): Promise<TrialRecord | undefined>;
  /** ReportIntermediate without early stopping, without the study lock: the measurement stored and the
   *  lease renewed (by the database clock) only if the trial is ACTIVE or STOPPING, held by `clientId`
   *  when given, holds fewer than `maxMeasurements` and the step is past its last one; one round trip on
   *  PostgreSQL. Returns the trial with
   *  its curve, or undefined (a retried report, a finished trial, …: the locked path explains). */
  recordLeasedMeasurement(
    tenantId: number,
    studyId: number,
    trialId: number,
    measurement: Measurement,
    leaseSeconds: number,
    maxMeasurements: number,
    clientId?: string,
  ): Promise<TrialRecord | undefined>;
  /** Runs `work` in the study's serialised transaction; NOT_FOUND-worthy `undefined` when the study is
   *  not the tenant's. A throw rolls everything back. */
  studyTransaction<T>(tenantId: number, studyId: number, work: (tx: StudyTransaction) => Promise<T>): Promise<T | undefined>;

  /** Maintenance across all tenants: every expired lease becomes FAILED exactly once. */
  expireAllLeases(): Promise<number>;

  // Quotas (apps/server/src/quotas).
  countStudies(tenantId: number): Promise<number>;
  findStudyIdByName(tenantId: number, displayName: string): Promise<number | undefined>;
  /** ACTIVE + STOPPING trials of the tenant, or only those `holder` (a study's client) holds. */
  countLeasedTrials(tenantId: number, holder?: { studyId: number; clientId: string }): Promise<number>;
}

/** createStudy refused a new study: the tenant holds `held` studies, its quota is `max`. */
export class StudyQuotaReached extends Error {
  constructor(
    readonly held: number,
    readonly max: number,
  ) {
    super(`the tenant holds ${held} studies (quota ${max})`);
  }
}

export const TRIAL_STATES: readonly TrialState[] = ['REQUESTED', 'ACTIVE', 'PAUSED', 'STOPPING', 'SUCCEEDED', 'INFEASIBLE', 'FAILED', 'EARLY_STOPPED'];

export function emptyCounts(): Record<TrialState, number> {
  return { REQUESTED: 0, ACTIVE: 0, PAUSED: 0, STOPPING: 0, SUCCEEDED: 0, INFEASIBLE: 0, FAILED: 0, EARLY_STOPPED: 0 };
}

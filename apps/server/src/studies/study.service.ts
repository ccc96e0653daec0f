/** CreateStudy, GetStudy, ListStudies, DeleteStudy, on domain records (a study with its trial counts);
 *  the controller maps them to the wire. */
import { randomInt } from 'node:crypto';
import { Inject, Injectable, Optional } from '../nest';
import { AlreadyExistsError, InvalidArgumentError, NotFoundError, ResourceExhaustedError } from '@hpo/core';
import { registeredEarlyStoppingModes, registeredSuggestionAlgorithms, validateStudyConfig } from '@hpo/core';
import type { StudyConfig, TrialState } from '@hpo/core';
import { StudyQuotaReached } from '../storage/storage';
import type { Storage, StudyRecord, TenantRecord } from '../storage/storage';
import { QUOTA_CONFIG } from '../quotas/quota.guard';
import { QuotaConfig, quotaFor } from '../quotas/quota-config';
import { STORAGE } from '../tokens';
import { MAX_CONFIG_BYTES } from '../grpc/request-limits';
import { decodePageToken, encodePageToken, pageSize } from './page-token';

/** A study and how many of its trials are in each state (the study's state derives from them, and
 *  from the steps spent when it has a step budget). */
export interface CountedStudy {
  study: StudyRecord;
  counts: Record<TrialState, number>;
  /** Steps trained so far; read only for a study with early_stopping.max_steps_total (else 0). */
  stepsSpent: number;
}

export interface StudyPage {
  studies: CountedStudy[];
  /** More studies follow the last one returned. */
  more: boolean;
  tokenAfter(studyId: number): string;
}

/** Seconds a caller over its study quota is asked to wait: it frees up only when the tenant deletes
 *  studies, so polling faster helps nobody. */
const STUDY_QUOTA_RETRY_SECONDS = 5;

/** Seeds are stored as non-negative 31-bit integers so every language's client reads them back intact. */
const MAX_SEED = 2 ** 31 - 1;

@Injectable()
export class StudyService {
  constructor(
    @Inject(STORAGE) private readonly storage: Storage,
    @Optional() @Inject(QUOTA_CONFIG) private readonly quotas?: QuotaConfig,
  ) {}

  async create(tenant: TenantRecord, displayName: string, config: StudyConfig, ifExists: string): Promise<CountedStudy> {
    if (typeof displayName !== 'string' || displayName.length < 1 || displayName.length > 256) {
      throw new InvalidArgumentError('display_name', `must be 1 to 256 characters (got ${displayName?.length ?? 0})`);
    }
    validateStudyConfig(config);
    // The algorithm and early-stopping mode must exist in this build before a study depends on them.
    // Asked of the registry, not by building the policies: that is the policy threads' work, never the
    // event loop's (a policy for a large space takes a while to build).
    if (!registeredSuggestionAlgorithms().includes(config.algorithm)) {
      throw new InvalidArgumentError('config.algorithm', `${config.algorithm} is not available in this build (available: ${registeredSuggestionAlgorithms().join(', ')})`);
    }
    if (!registeredEarlyStoppingModes().includes(config.earlyStopping.mode)) {
      throw new InvalidArgumentError('config.early_stopping.mode', `${config.earlyStopping.mode} is not available in this build (available: ${registeredEarlyStoppingModes().join(', ')})`);
    }
    const stored: StudyConfig = { ...config, seed: config.seed > 0 ? config.seed : randomInt(1, MAX_SEED) };
    const bytes = Buffer.byteLength(JSON.stringify(stored));
    if (bytes > MAX_CONFIG_BYTES) throw new InvalidArgumentError('config', `must be at most ${MAX_CONFIG_BYTES} bytes as stored (got ${bytes})`);
    // The study quota is counted where the study is inserted (storage.createStudy), exact across
    // concurrent calls and replicas; a study that exists is returned whatever the count.
    const { maxStudies } = quotaFor(this.quotas, tenant.name);
    let outcome: Awaited<ReturnType<Storage['createStudy']>>;
    try {
      outcome = await this.storage.createStudy(tenant.id, displayName, stored, maxStudies);
    } catch (error) {
      if (!(error instanceof StudyQuotaReached)) throw error;
      throw new ResourceExhaustedError(
        `quota: tenant "${tenant.name}" may hold at most ${error.max} studies; delete one first (retry after ${STUDY_QUOTA_RETRY_SECONDS} s)`,
        STUDY_QUOTA_RETRY_SECONDS,
      );
    }
    const { study, created } = outcome;
    if (!created && ifExists !== 'RETURN_EXISTING') {
      throw new AlreadyExistsError(`a study named "${displayName}" already exists (${`studies/${study.id}`}); pass if_exists=RETURN_EXISTING to reuse it`);
    }
    return this.counted(tenant, study);
  }

  async require(tenant: TenantRecord, studyId: number): Promise<StudyRecord> {
    const study = await this.storage.getStudy(tenant.id, studyId);
    if (!study) throw new NotFoundError(`study studies/${studyId} not found`);
    return study;
  }

  async get(tenant: TenantRecord, studyId: number): Promise<CountedStudy> {
    return this.counted(tenant, await this.require(tenant, studyId));
  }

  async list(tenant: TenantRecord, requestedSize: number, token: string): Promise<StudyPage> {
    const size = pageSize(requestedSize);
    const beforeId = decodePageToken(token, 'studies', '');
    const page = await this.storage.listStudies(tenant.id, size, beforeId);
    return {
      studies: await Promise.all(page.studies.map((s) => this.counted(tenant, s))),
      more: page.hasMore,
      tokenAfter: (studyId) => encodePageToken('studies', '', studyId),
    };
  }

  async delete(tenant: TenantRecord, studyId: number): Promise<void> {
    if (!(await this.storage.deleteStudy(tenant.id, studyId))) throw new NotFoundError(`study studies/${studyId} not found`);
  }

  private async counted(tenant: TenantRecord, study: StudyRecord): Promise<CountedStudy> {
    const budgeted = (study.config.earlyStopping.maxStepsTotal ?? 0) > 0;
    const [counts, stepsSpent] = await Promise.all([this.storage.countTrials(tenant.id, study.id), budgeted ? this.storage.stepsSpent(tenant.id, study.id) : 0]);
    return { study, counts, stepsSpent };
  }
}

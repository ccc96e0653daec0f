/** CreateStudy, GetStudy, ListStudies, DeleteStudy. */
import { randomInt } from 'node:crypto';
import { Inject, Injectable } from '../nest';
import { AlreadyExistsError, InvalidArgumentError, NotFoundError } from '@hpo/core';
import { createEarlyStoppingPolicy, createSuggestionPolicy, validateStudyConfig } from '@hpo/core';
import type { StudyConfig } from '@hpo/core';
import type { Storage, StudyRecord, TenantRecord } from '../storage/storage';
import { STORAGE } from '../tokens';
import { studyToWire } from '../grpc/wire-mapping';
import type { WireStudy } from '../grpc/wire-types';
import { decodePageToken, encodePageToken, pageSize } from './page-token';

/** Seeds are stored as non-negative 31-bit integers so every language's client reads them back intact. */
const MAX_SEED = 2 ** 31 - 1;

@Injectable()
export class StudyService {
  constructor(@Inject(STORAGE) private readonly storage: Storage) {}

  async create(tenant: TenantRecord, displayName: string, config: StudyConfig, ifExists: string): Promise<WireStudy> {
    if (typeof displayName !== 'string' || displayName.length < 1 || displayName.length > 256) {
      throw new InvalidArgumentError('display_name', `must be 1 to 256 characters (got ${displayName?.length ?? 0})`);
    }
    validateStudyConfig(config);
    // The algorithm and early-stopping mode must exist in this build before a study depends on them.
    createSuggestionPolicy(config);
    createEarlyStoppingPolicy(config);
    const stored: StudyConfig = { ...config, seed: config.seed > 0 ? config.seed : randomInt(1, MAX_SEED) };
    const { study, created } = await this.storage.createStudy(tenant.id, displayName, stored);
    if (!created && ifExists !== 'RETURN_EXISTING') {
      throw new AlreadyExistsError(`a study named "${displayName}" already exists (${`studies/${study.id}`}); pass if_exists=RETURN_EXISTING to reuse it`);
    }
    return this.toWire(tenant, study);
  }

  async require(tenant: TenantRecord, studyId: number): Promise<StudyRecord> {
    const study = await this.storage.getStudy(tenant.id, studyId);
    if (!study) throw new NotFoundError(`study studies/${studyId} not found`);
    return study;
  }

  async get(tenant: TenantRecord, studyId: number): Promise<WireStudy> {
    return this.toWire(tenant, await this.require(tenant, studyId));
  }

  async list(tenant: TenantRecord, requestedSize: number, token: string): Promise<{ studies: WireStudy[]; nextPageToken: string }> {
    const size = pageSize(requestedSize);
    const beforeId = decodePageToken(token, 'studies', '');
    const page = await this.storage.listStudies(tenant.id, size, beforeId);
    const studies = await Promise.all(page.studies.map((s) => this.toWire(tenant, s)));
    const last = page.studies[page.studies.length - 1];
    return { studies, nextPageToken: page.hasMore && last ? encodePageToken('studies', '', last.id) : '' };
  }

  async delete(tenant: TenantRecord, studyId: number): Promise<void> {
    if (!(await this.storage.deleteStudy(tenant.id, studyId))) throw new NotFoundError(`study studies/${studyId} not found`);
  }

  async toWire(tenant: TenantRecord, study: StudyRecord): Promise<WireStudy> {
    return studyToWire(study, await this.storage.countTrials(tenant.id, study.id));
  }
}

/** The dashboard's JSON endpoints. Every read and write goes through the tenant-scoped storage with
 *  the caller's tenant, so another tenant's study is simply not found (404, never 403), as over gRPC.
 *  Stopping a trial calls the same service method as the StopTrial RPC. */
import { InvalidArgumentError, NotFoundError } from '@hpo/core';
import { flattenParameters } from '@hpo/space';
import { objectiveValue } from '@hpo/core';
import type { Storage, StudyRecord, TenantRecord, TrialRecord } from '../storage/storage';
import { parameterImportance, ParameterImportance, ParameterInteraction, parameterInteractions } from './parameter-importance';
import { DashboardTrial, StudySummary, summarizeStudy, trialToDashboard } from './study-summary';
import { trialsToCsv } from './trials-export';
import { hypervolumeHistory, type HypervolumePoint } from './hypervolume-history';

/** What the dashboard needs from TrialLifecycle (the StopTrial logic). */
export interface TrialStopper {
  stop(tenant: TenantRecord, studyId: number, trialId: number): Promise<unknown>;
}

export interface StudyDetail {
  study: StudySummary;
  parameters: Array<{ name: string; type: string; min?: number; max?: number; scale?: string; categories?: string[]; values?: number[] }>;
  trials: DashboardTrial[];
  importance: ParameterImportance[];
  /** Pairwise interaction terms above 0, largest first (at most MAX_INTERACTIONS_SHOWN). */
  interactions: ParameterInteraction[];
  importanceMethod: string;
  /** Several objectives: the feasible front's hypervolume after each completed trial (the study page
   *  only; the studies list does not carry it). */
  hypervolumeHistory: HypervolumePoint[];
}

/** A note is for people; longer text belongs in an attached document. */
export const MAX_NOTE_LENGTH = 10_000;
/** Studies a search walks through (newest first). */
const MAX_LISTED_STUDIES = 2000;
const PAGE = 500;
const MAX_INTERACTIONS_SHOWN = 10;

export function parseId(raw: string, field: string): number {
  if (!/^[1-9]\d{0,15}$/.test(raw)) throw new InvalidArgumentError(field, `must be a positive integer id (got ${JSON.stringify(raw)})`);
  return Number(raw);
}

export class DashboardApi {
  constructor(
    private readonly storage: Storage,
    private readonly trials: TrialStopper,
  ) {}

  async listStudies(tenant: TenantRecord, query: string): Promise<{ studies: StudySummary[]; truncated: boolean }> {
    const q = query.trim().toLowerCase();
    const out: StudySummary[] = [];
    let beforeId: number | undefined;
    let seen = 0;
    for (;;) {
      const page = await this.storage.listStudies(tenant.id, PAGE, beforeId);
      for (const study of page.studies) {
        seen++;
        if (q && !matches(study, q)) continue;
        out.push(await this.summary(tenant, study));
      }
      if (!page.hasMore || page.studies.length === 0) return { studies: out, truncated: false };
      if (seen >= MAX_LISTED_STUDIES) return { studies: out, truncated: true };
      beforeId = page.studies[page.studies.length - 1].id;
    }
  }

  async study(tenant: TenantRecord, studyId: number): Promise<StudyDetail> {
    const study = await this.requireStudy(tenant, studyId);
    const [counts, trials] = await Promise.all([
      this.storage.countTrials(tenant.id, studyId),
      this.storage.listTrials(tenant.id, studyId, { withMeasurements: true }),
    ]);
    const params = flattenParameters({ parameters: study.config.parameters });
    const completed = trials
      .filter((t) => t.state === 'SUCCEEDED')
      .map((t) => ({ parameters: t.parameters, value: objectiveValue(study.config, t.finalMeasurement) ?? NaN }));
    const importance = parameterImportance(params.map((p) => p.name), completed);
    return {
      study: summarizeStudy(study, counts, trials),
      parameters: params.map((p) => ({
        name: p.name,
        type: p.type,
        min: p.min,
        max: p.max,
        scale: p.scale,
        categories: p.categories,
        values: p.values,
      })),
      trials: trials.map((t) => trialToDashboard(study.config, t)),
      importance,
      interactions: parameterInteractions(importance.map((p) => p.name), completed).slice(0, MAX_INTERACTIONS_SHOWN),
      importanceMethod:
        'functional ANOVA on binned trials: each main effect and pairwise interaction as its bias-corrected share of the variance (ε²); numeric parameters in equal-count bins (coarser for pairs)',
      hypervolumeHistory: hypervolumeHistory(study.config, trials),
    };
  }

  async stopTrial(tenant: TenantRecord, studyId: number, trialId: number): Promise<DashboardTrial> {
    await this.trials.stop(tenant, studyId, trialId);
    return this.trial(tenant, studyId, trialId);
  }

  async setNote(tenant: TenantRecord, studyId: number, trialId: number, note: unknown): Promise<DashboardTrial> {
    if (typeof note !== 'string') throw new InvalidArgumentError('note', 'must be a string');
    if (note.length > MAX_NOTE_LENGTH) throw new InvalidArgumentError('note', `must be at most ${MAX_NOTE_LENGTH} characters (got ${note.length})`);
    const found = await this.storage.studyTransaction(tenant.id, studyId, async (tx) => {
      if (!(await tx.getTrial(trialId))) return false;
      await tx.updateTrial(trialId, { note });
      return true;
    });
    if (found === undefined) throw new NotFoundError(`study studies/${studyId} not found`);
    if (!found) throw new NotFoundError(`trial studies/${studyId}/trials/${trialId} not found`);
    return this.trial(tenant, studyId, trialId);
  }

  async exportCsv(tenant: TenantRecord, studyId: number): Promise<{ filename: string; body: string }> {
    const study = await this.requireStudy(tenant, studyId);
    const trials = await this.storage.listTrials(tenant.id, studyId, { withMeasurements: true });
    return { filename: exportName(study, 'csv'), body: trialsToCsv(study.config, trials) };
  }

  async exportJson(tenant: TenantRecord, studyId: number): Promise<{ filename: string; body: string }> {
    const study = await this.requireStudy(tenant, studyId);
    const trials = await this.storage.listTrials(tenant.id, studyId, { withMeasurements: true });
    const body = { study: { name: `studies/${study.id}`, displayName: study.displayName, config: study.config, createTime: study.createdAt, llmTokensUsed: study.llmTokensUsed }, trials: trials.map(exportTrial) };
    return { filename: exportName(study, 'json'), body: JSON.stringify(body, null, 1) };
  }

  private async trial(tenant: TenantRecord, studyId: number, trialId: number): Promise<DashboardTrial> {
    const study = await this.requireStudy(tenant, studyId);
    const trial = await this.storage.getTrial(tenant.id, studyId, trialId);
    if (!trial) throw new NotFoundError(`trial studies/${studyId}/trials/${trialId} not found`);
    return trialToDashboard(study.config, trial);
  }

  private async requireStudy(tenant: TenantRecord, studyId: number): Promise<StudyRecord> {
    const study = await this.storage.getStudy(tenant.id, studyId);
    if (!study) throw new NotFoundError(`study studies/${studyId} not found`);
    return study;
  }

  private async summary(tenant: TenantRecord, study: StudyRecord): Promise<StudySummary> {
    const [counts, trials] = await Promise.all([
      this.storage.countTrials(tenant.id, study.id),
      this.storage.listTrials(tenant.id, study.id, { withMeasurements: false }),
    ]);
    return summarizeStudy(study, counts, trials);
  }
}

function matches(study: StudyRecord, q: string): boolean {
  return [study.displayName, `studies/${study.id}`, study.config.algorithm, study.config.problemDescription].some((s) => s.toLowerCase().includes(q));
}

function exportName(study: StudyRecord, ext: string): string {
  const safe = study.displayName.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80) || 'study';
  return `study-${study.id}-${safe}.${ext}`;
}

function exportTrial(t: TrialRecord) {
  return {
    id: t.id,
    state: t.state,
    parameters: t.parameters,
    finalMeasurement: t.finalMeasurement ?? null,
    measurements: t.measurements,
    clientId: t.clientId,
    statusReason: t.statusReason,
    infeasibleReason: t.infeasibleReason,
    resumeFromStep: t.resumeFromStep,
    note: t.note,
    createTime: t.createTime,
    startTime: t.startTime,
    completeTime: t.completeTime,
  };
}

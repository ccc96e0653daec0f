/** hpo.v1.StudyService over gRPC: decode names and wire objects, resolve the tenant, call the services. */
import { Controller, UseGuards, UseInterceptors } from '../nest';
import { GrpcMethod } from '../nest';
import type { Metadata } from '@grpc/grpc-js';
import { TenantGuard } from '../auth/tenant.guard';
import { QuotaGuard } from '../quotas/quota.guard';
import { SuggestionAdmissionInterceptor } from '../quotas/suggestion-admission';
import { tenantOf } from '../auth/tenant-resolver';
import { StudyService } from '../studies/study.service';
import { TrialService } from '../studies/trial.service';
import { parseStudyName, parseTrialName, studyConfigFromWire } from './wire-mapping';
import type { WireMeasurement, WireStudyConfig, WireTrial } from './wire-types';

const SERVICE = 'StudyService';

@Controller()
// Order matters: QuotaGuard reads the tenant TenantGuard resolved.
@UseGuards(TenantGuard, QuotaGuard)
export class StudyController {
  constructor(
    private readonly studies: StudyService,
    private readonly trials: TrialService,
  ) {}

  @GrpcMethod(SERVICE, 'CreateStudy')
  createStudy(req: { displayName: string; config: WireStudyConfig | null; ifExists: string }, md: Metadata) {
    return this.studies.create(tenantOf(md), req.displayName, studyConfigFromWire(req.config), req.ifExists);
  }

  @GrpcMethod(SERVICE, 'GetStudy')
  getStudy(req: { name: string }, md: Metadata) {
    return this.studies.get(tenantOf(md), parseStudyName(req.name));
  }

  @GrpcMethod(SERVICE, 'ListStudies')
  listStudies(req: { pageSize: number; pageToken: string }, md: Metadata) {
    return this.studies.list(tenantOf(md), req.pageSize, req.pageToken);
  }

  @GrpcMethod(SERVICE, 'DeleteStudy')
  async deleteStudy(req: { name: string }, md: Metadata) {
    await this.studies.delete(tenantOf(md), parseStudyName(req.name));
    return {};
  }

  @GrpcMethod(SERVICE, 'SuggestTrials')
  @UseInterceptors(SuggestionAdmissionInterceptor)
  suggestTrials(req: { parent: string; count: number; clientId: string }, md: Metadata) {
    return this.trials.suggest(tenantOf(md), parseStudyName(req.parent, 'parent'), req.count, req.clientId);
  }

  @GrpcMethod(SERVICE, 'ReportIntermediate')
  async reportIntermediate(req: { name: string; measurement: WireMeasurement | null }, md: Metadata) {
    const { studyId, trialId } = parseTrialName(req.name);
    const r = await this.trials.report(tenantOf(md), studyId, trialId, req.measurement);
    return { decision: r.decision.decision, reason: r.decision.reason, trial: r.trial };
  }

  @GrpcMethod(SERVICE, 'CompleteTrial')
  completeTrial(
    req: { name: string; finalMeasurement: WireMeasurement | null; infeasible: boolean; infeasibleReason: string },
    md: Metadata,
  ) {
    const { studyId, trialId } = parseTrialName(req.name);
    return this.trials.complete(tenantOf(md), studyId, trialId, req.finalMeasurement, req.infeasible, req.infeasibleReason);
  }

  @GrpcMethod(SERVICE, 'FailTrial')
  failTrial(req: { name: string; reason: string; clientId: string }, md: Metadata) {
    const { studyId, trialId } = parseTrialName(req.name);
    return this.trials.fail(tenantOf(md), studyId, trialId, req.reason, req.clientId);
  }

  @GrpcMethod(SERVICE, 'AddTrials')
  async addTrials(req: { parent: string; trials: WireTrial[] }, md: Metadata) {
    return { trials: await this.trials.add(tenantOf(md), parseStudyName(req.parent, 'parent'), req.trials) };
  }

  @GrpcMethod(SERVICE, 'GetTrial')
  getTrial(req: { name: string }, md: Metadata) {
    const { studyId, trialId } = parseTrialName(req.name);
    return this.trials.get(tenantOf(md), studyId, trialId);
  }

  @GrpcMethod(SERVICE, 'ListTrials')
  listTrials(req: { parent: string; pageSize: number; pageToken: string; states: string[] }, md: Metadata) {
    return this.trials.list(tenantOf(md), parseStudyName(req.parent, 'parent'), req.pageSize, req.pageToken, req.states);
  }

  @GrpcMethod(SERVICE, 'ListOptimalTrials')
  async listOptimalTrials(req: { parent: string }, md: Metadata) {
    return { optimalTrials: await this.trials.optimal(tenantOf(md), parseStudyName(req.parent, 'parent')) };
  }

  @GrpcMethod(SERVICE, 'StopTrial')
  stopTrial(req: { name: string }, md: Metadata) {
    const { studyId, trialId } = parseTrialName(req.name);
    return this.trials.stop(tenantOf(md), studyId, trialId);
  }

  @GrpcMethod(SERVICE, 'Heartbeat')
  heartbeat(req: { parent: string; clientId: string; trialName: string }, md: Metadata) {
    const studyId = parseStudyName(req.parent, 'parent');
    const ref = req.trialName ? parseTrialName(req.trialName, 'trial_name') : undefined;
    return this.trials.heartbeat(tenantOf(md), studyId, req.clientId, req.trialName, ref);
  }
}

/** hpo.v1.StudyService over gRPC: decode names and wire objects, resolve the tenant, call the services,
 *  map their domain records back to the wire. The only place (with the dashboard's HTTP twin) that knows
 *  the wire types. */
import { Controller, UseGuards, UseInterceptors } from '../nest';
import { GrpcMethod } from '../nest';
import type { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import { InvalidArgumentError } from '@hpo/core';
import { TenantGuard } from '../auth/tenant.guard';
import { QuotaGuard } from '../quotas/quota.guard';
import { SuggestionAdmissionInterceptor } from '../quotas/suggestion-admission';
import { tenantOf } from '../auth/tenant-resolver';
import { StudyService } from '../studies/study.service';
import { SuggestionCoordinator } from '../studies/suggestion-coordinator';
import { TrialLifecycle } from '../studies/trial-lifecycle.service';
import type { AddedTrial, StudyTrial, StudyTrials } from '../studies/trial-lifecycle.service';
import { encodePage, encodeRepeated } from './reply-encoding';
import { assignmentFromWire, measurementFromWire, parseStudyName, parseTrialName, studyConfigFromWire, studyToWire, trialName, trialToWire } from './wire-mapping';
import type {
  WireAddTrialsRequest__Output,
  WireCompleteTrialRequest__Output,
  WireCreateStudyRequest__Output,
  WireDeleteStudyRequest__Output,
  WireFailTrialRequest__Output,
  WireGetStudyRequest__Output,
  WireGetTrialRequest__Output,
  WireHeartbeatRequest__Output,
  WireListOptimalTrialsRequest__Output,
  WireListStudiesRequest__Output,
  WireListTrialsRequest__Output,
  WireReportIntermediateRequest__Output,
  WireStopTrialRequest__Output,
  WireSuggestTrialsRequest__Output,
  WireTrial,
} from './wire-types';

const SERVICE = 'StudyService';

@Controller()
// Order matters: QuotaGuard reads the tenant TenantGuard resolved.
@UseGuards(TenantGuard, QuotaGuard)
export class StudyController {
  constructor(
    private readonly studies: StudyService,
    private readonly suggestions: SuggestionCoordinator,
    private readonly trials: TrialLifecycle,
  ) {}

  @GrpcMethod(SERVICE, 'CreateStudy')
  async createStudy(req: WireCreateStudyRequest__Output, md: Metadata) {
    const r = await this.studies.create(tenantOf(md), req.displayName, studyConfigFromWire(req.config), req.ifExists);
    return studyToWire(r.study, r.counts, r.stepsSpent);
  }

  @GrpcMethod(SERVICE, 'GetStudy')
  async getStudy(req: WireGetStudyRequest__Output, md: Metadata) {
    const r = await this.studies.get(tenantOf(md), parseStudyName(req.name));
    return studyToWire(r.study, r.counts, r.stepsSpent);
  }

  @GrpcMethod(SERVICE, 'ListStudies')
  async listStudies(req: WireListStudiesRequest__Output, md: Metadata) {
    const page = await this.studies.list(tenantOf(md), req.pageSize, req.pageToken);
    return encodePage('ListStudies', 'studies', { items: page.studies, more: page.more, tokenAfter: (s) => page.tokenAfter(s.study.id) }, (s) =>
      studyToWire(s.study, s.counts, s.stepsSpent),
    );
  }

  @GrpcMethod(SERVICE, 'DeleteStudy')
  async deleteStudy(req: WireDeleteStudyRequest__Output, md: Metadata) {
    await this.studies.delete(tenantOf(md), parseStudyName(req.name));
    return {};
  }

  @GrpcMethod(SERVICE, 'SuggestTrials')
  @UseInterceptors(SuggestionAdmissionInterceptor)
  async suggestTrials(req: WireSuggestTrialsRequest__Output, md: Metadata, call?: ServerUnaryCall<unknown, unknown>) {
    // grpc-js marks the call cancelled when the client cancels or its deadline passes.
    const gone = call ? () => call.cancelled : undefined;
    const r = await this.suggestions.suggest(tenantOf(md), parseStudyName(req.parent, 'parent'), req.count, req.clientId, gone);
    // Up to 100 x 1,000 values: encoded a trial at a time, other calls served in between.
    return (await encodeRepeated('SuggestTrials', 'trials', r.trials, (t) => trialToWire(r.config, t), () => ({ studyDone: r.studyDone }))).reply;
  }

  @GrpcMethod(SERVICE, 'ReportIntermediate')
  async reportIntermediate(req: WireReportIntermediateRequest__Output, md: Metadata) {
    const { studyId, trialId } = parseTrialName(req.name);
    if (!req.measurement) throw new InvalidArgumentError('measurement', 'is required');
    const r = await this.trials.report(tenantOf(md), studyId, trialId, measurementFromWire(req.measurement, 'measurement'), req.clientId);
    return { decision: r.decision.decision, reason: r.decision.reason, trial: oneToWire(r) };
  }

  @GrpcMethod(SERVICE, 'CompleteTrial')
  async completeTrial(req: WireCompleteTrialRequest__Output, md: Metadata) {
    const { studyId, trialId } = parseTrialName(req.name);
    const completion = req.infeasible
      ? { infeasible: true as const, reason: req.infeasibleReason ?? '' }
      : { infeasible: false as const, finalMeasurement: req.finalMeasurement ? measurementFromWire(req.finalMeasurement, 'final_measurement') : undefined };
    return oneToWire(await this.trials.complete(tenantOf(md), studyId, trialId, completion, req.clientId));
  }

  @GrpcMethod(SERVICE, 'FailTrial')
  async failTrial(req: WireFailTrialRequest__Output, md: Metadata) {
    const { studyId, trialId } = parseTrialName(req.name);
    return oneToWire(await this.trials.fail(tenantOf(md), studyId, trialId, req.reason, req.clientId));
  }

  @GrpcMethod(SERVICE, 'AddTrials')
  async addTrials(req: WireAddTrialsRequest__Output, md: Metadata) {
    const studyId = parseStudyName(req.parent, 'parent');
    const added = (req.trials ?? []).map((w, i): AddedTrial => {
      const field = `trials[${i}]`;
      return {
        parameters: assignmentFromWire(w.parameters, `${field}.parameters`),
        measurements: (w.measurements ?? []).map((m, j) => measurementFromWire(m, `${field}.measurements[${j}]`)),
        finalMeasurement: w.finalMeasurement ? measurementFromWire(w.finalMeasurement, `${field}.final_measurement`) : undefined,
        infeasible: w.state === 'INFEASIBLE',
        infeasibleReason: w.infeasibleReason ?? '',
      };
    });
    return manyReply('AddTrials', 'trials', await this.trials.add(tenantOf(md), studyId, added));
  }

  @GrpcMethod(SERVICE, 'GetTrial')
  async getTrial(req: WireGetTrialRequest__Output, md: Metadata) {
    const { studyId, trialId } = parseTrialName(req.name);
    return oneToWire(await this.trials.get(tenantOf(md), studyId, trialId));
  }

  @GrpcMethod(SERVICE, 'ListTrials')
  async listTrials(req: WireListTrialsRequest__Output, md: Metadata) {
    const page = await this.trials.list(tenantOf(md), parseStudyName(req.parent, 'parent'), req.pageSize, req.pageToken, req.states);
    return encodePage('ListTrials', 'trials', { items: page.trials, more: page.more, tokenAfter: (t) => page.tokenAfter(t.id) }, (t) => trialToWire(page.config, t));
  }

  @GrpcMethod(SERVICE, 'ListOptimalTrials')
  async listOptimalTrials(req: WireListOptimalTrialsRequest__Output, md: Metadata) {
    return manyReply('ListOptimalTrials', 'optimalTrials', await this.trials.optimal(tenantOf(md), parseStudyName(req.parent, 'parent')));
  }

  @GrpcMethod(SERVICE, 'StopTrial')
  async stopTrial(req: WireStopTrialRequest__Output, md: Metadata) {
    const { studyId, trialId } = parseTrialName(req.name);
    return oneToWire(await this.trials.stop(tenantOf(md), studyId, trialId));
  }

  @GrpcMethod(SERVICE, 'Heartbeat')
  async heartbeat(req: WireHeartbeatRequest__Output, md: Metadata) {
    const studyId = parseStudyName(req.parent, 'parent');
    const ref = req.trialName ? parseTrialName(req.trialName, 'trial_name') : undefined;
    if (ref && ref.studyId !== studyId) {
      throw new InvalidArgumentError('trial_name', `must be a trial of studies/${studyId} (got ${req.trialName})`);
    }
    const holder = ref ? { trialId: ref.trialId, clientId: req.clientId || undefined } : { clientId: req.clientId };
    const { held, leaseExpiresAt } = await this.trials.heartbeat(tenantOf(md), studyId, holder);
    return {
      trialNames: held.map((t) => trialName(studyId, t.id)),
      stoppingTrialNames: held.filter((t) => t.state === 'STOPPING').map((t) => trialName(studyId, t.id)),
      leaseExpiresAt,
    };
  }
}

function oneToWire(r: StudyTrial): WireTrial {
  return trialToWire(r.config, r.trial);
}

/** A reply of many trials, encoded a trial at a time (reply-encoding.ts). */
async function manyReply(method: string, field: string, r: StudyTrials): Promise<unknown> {
  return (await encodeRepeated(method, field, r.trials, (t) => trialToWire(r.config, t), () => ({}))).reply;
}

/** The hpo.v1 wire messages as @grpc/proto-loader decodes and encodes them with our loader options
 *  (camelCase fields, enums as strings, int64 as numbers, defaults filled, oneof names): the types are
 *  generated from proto/ by proto-loader-gen-types when the repository builds (apps/client-sdk/scripts/
 *  build.mjs), the same ones the SDK uses, never written by hand. `WireX__Output` is what a request
 *  decodes to (every scalar present), `WireX` what a reply may be built from (every field optional).
 *  Only the gRPC edge (this folder) and the dashboard's HTTP twin see them (depcheck). */
export type { ConditionalParameter as WireConditionalParameter, ConditionalParameter__Output as WireConditionalParameter__Output } from '../../../client-sdk/src/generated/hpo/v1/ConditionalParameter';
export type { ParameterSpec as WireParameterSpec, ParameterSpec__Output as WireParameterSpec__Output } from '../../../client-sdk/src/generated/hpo/v1/ParameterSpec';
export type { MetricSpec as WireMetricSpec, MetricSpec__Output as WireMetricSpec__Output } from '../../../client-sdk/src/generated/hpo/v1/MetricSpec';
export type { EarlyStoppingConfig as WireEarlyStoppingConfig, EarlyStoppingConfig__Output as WireEarlyStoppingConfig__Output } from '../../../client-sdk/src/generated/hpo/v1/EarlyStoppingConfig';
export type { LlmConfig as WireLlmConfig, LlmConfig__Output as WireLlmConfig__Output } from '../../../client-sdk/src/generated/hpo/v1/LlmConfig';
export type { StudyConfig as WireStudyConfig, StudyConfig__Output as WireStudyConfig__Output } from '../../../client-sdk/src/generated/hpo/v1/StudyConfig';
export type { ParameterValue as WireParameterValue, ParameterValue__Output as WireParameterValue__Output } from '../../../client-sdk/src/generated/hpo/v1/ParameterValue';
export type { Metric as WireMetric, Metric__Output as WireMetric__Output } from '../../../client-sdk/src/generated/hpo/v1/Metric';
export type { Measurement as WireMeasurement, Measurement__Output as WireMeasurement__Output } from '../../../client-sdk/src/generated/hpo/v1/Measurement';
export type { Trial as WireTrial, Trial__Output as WireTrial__Output } from '../../../client-sdk/src/generated/hpo/v1/Trial';
export type { TrialCounts as WireTrialCounts, TrialCounts__Output as WireTrialCounts__Output } from '../../../client-sdk/src/generated/hpo/v1/TrialCounts';
export type { Study as WireStudy, Study__Output as WireStudy__Output } from '../../../client-sdk/src/generated/hpo/v1/Study';
export type { CreateStudyRequest as WireCreateStudyRequest, CreateStudyRequest__Output as WireCreateStudyRequest__Output } from '../../../client-sdk/src/generated/hpo/v1/CreateStudyRequest';
export type { GetStudyRequest as WireGetStudyRequest, GetStudyRequest__Output as WireGetStudyRequest__Output } from '../../../client-sdk/src/generated/hpo/v1/GetStudyRequest';
export type { ListStudiesRequest as WireListStudiesRequest, ListStudiesRequest__Output as WireListStudiesRequest__Output } from '../../../client-sdk/src/generated/hpo/v1/ListStudiesRequest';
export type { DeleteStudyRequest as WireDeleteStudyRequest, DeleteStudyRequest__Output as WireDeleteStudyRequest__Output } from '../../../client-sdk/src/generated/hpo/v1/DeleteStudyRequest';
export type { SuggestTrialsRequest as WireSuggestTrialsRequest, SuggestTrialsRequest__Output as WireSuggestTrialsRequest__Output } from '../../../client-sdk/src/generated/hpo/v1/SuggestTrialsRequest';
export type { ReportIntermediateRequest as WireReportIntermediateRequest, ReportIntermediateRequest__Output as WireReportIntermediateRequest__Output } from '../../../client-sdk/src/generated/hpo/v1/ReportIntermediateRequest';
export type { CompleteTrialRequest as WireCompleteTrialRequest, CompleteTrialRequest__Output as WireCompleteTrialRequest__Output } from '../../../client-sdk/src/generated/hpo/v1/CompleteTrialRequest';
export type { FailTrialRequest as WireFailTrialRequest, FailTrialRequest__Output as WireFailTrialRequest__Output } from '../../../client-sdk/src/generated/hpo/v1/FailTrialRequest';
export type { AddTrialsRequest as WireAddTrialsRequest, AddTrialsRequest__Output as WireAddTrialsRequest__Output } from '../../../client-sdk/src/generated/hpo/v1/AddTrialsRequest';
export type { GetTrialRequest as WireGetTrialRequest, GetTrialRequest__Output as WireGetTrialRequest__Output } from '../../../client-sdk/src/generated/hpo/v1/GetTrialRequest';
export type { ListTrialsRequest as WireListTrialsRequest, ListTrialsRequest__Output as WireListTrialsRequest__Output } from '../../../client-sdk/src/generated/hpo/v1/ListTrialsRequest';
export type { ListOptimalTrialsRequest as WireListOptimalTrialsRequest, ListOptimalTrialsRequest__Output as WireListOptimalTrialsRequest__Output } from '../../../client-sdk/src/generated/hpo/v1/ListOptimalTrialsRequest';
export type { StopTrialRequest as WireStopTrialRequest, StopTrialRequest__Output as WireStopTrialRequest__Output } from '../../../client-sdk/src/generated/hpo/v1/StopTrialRequest';
export type { HeartbeatRequest as WireHeartbeatRequest, HeartbeatRequest__Output as WireHeartbeatRequest__Output } from '../../../client-sdk/src/generated/hpo/v1/HeartbeatRequest';

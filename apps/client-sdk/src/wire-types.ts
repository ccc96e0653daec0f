/** The hpo.v1 wire messages' TypeScript types, generated from proto/ (src/generated, written by
 *  scripts/build.mjs with proto-loader-gen-types): nothing here restates a message by hand. `X` is
 *  what the SDK may send, `X__Output` what it receives (every field present, enums as names). */
import type { MethodDefinition } from '@grpc/proto-loader';
import type { StudyServiceDefinition } from './generated/hpo/v1/StudyService';

export type { AddTrialsRequest as WireAddTrialsRequest } from './generated/hpo/v1/AddTrialsRequest';
export type { ConditionalParameter__Output as WireConditionalParameter__Output } from './generated/hpo/v1/ConditionalParameter';
export type { Measurement as WireMeasurement, Measurement__Output as WireMeasurement__Output } from './generated/hpo/v1/Measurement';
export type { MetricSpec as WireMetricSpec, MetricSpec__Output as WireMetricSpec__Output } from './generated/hpo/v1/MetricSpec';
export type { EarlyStoppingConfig as WireEarlyStoppingConfig } from './generated/hpo/v1/EarlyStoppingConfig';
export type { LlmConfig as WireLlmConfig } from './generated/hpo/v1/LlmConfig';
export type { ParameterSpec as WireParameterSpec, ParameterSpec__Output as WireParameterSpec__Output } from './generated/hpo/v1/ParameterSpec';
export type { ParameterValue as WireParameterValue, ParameterValue__Output as WireParameterValue__Output } from './generated/hpo/v1/ParameterValue';
export type { Study__Output as WireStudy__Output } from './generated/hpo/v1/Study';
export type { StudyConfig as WireStudyConfig } from './generated/hpo/v1/StudyConfig';
export type { Trial as WireTrial, Trial__Output as WireTrial__Output } from './generated/hpo/v1/Trial';

/** An RPC by the camelCase name grpc-js gives its client method ('createStudy'). */
export type RpcName = Uncapitalize<Extract<keyof StudyServiceDefinition, string>>;
type Method<M extends RpcName> = StudyServiceDefinition[Capitalize<M>];
/** What the RPC takes. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- only the inferred position matters
export type RequestOf<M extends RpcName> = Method<M> extends MethodDefinition<infer Request, any, any, any> ? Request : never;
/** What the RPC answers, as decoded. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- only the inferred position matters
export type ReplyOf<M extends RpcName> = Method<M> extends MethodDefinition<any, any, any, infer Reply> ? Reply : never;

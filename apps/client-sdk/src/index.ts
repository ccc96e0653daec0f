/** @hpo/client: the TypeScript SDK of the HPO service. */
export { HpoClient } from './client';
export type { HpoClientOptions, CallOptions, StudyRef, TrialRef } from './client';
export { Study } from './study';
export { TrialContext } from './trial-context';
export type { Decision } from './trial-context';
export { optimize } from './optimize';
export type {
  OptimizeOptions,
  OptimizeProgress,
  OptimizeResult,
  OptimizeEvent,
  BestSoFar,
  TrainingFunction,
  TrainingResult,
} from './optimize';
export { HpoClientError, OptimizeAbortedError, TrialFailedError, TrialInfeasibleError, TrialLostError } from './errors';
export type { StatusName } from './errors';
export { DEFAULT_RETRY, backoffDelayMs } from './retry';
export type { RetryOptions } from './retry';
export type { TlsOptions } from './credentials';
export { defaultCheckpointRoot, trialCheckpointDir } from './checkpoint';
export type { Checkpoint } from './checkpoint';
export { findProtoDir } from './proto';
export * from './types';

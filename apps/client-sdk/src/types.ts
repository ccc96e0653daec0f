/** The hpo.v1 API as plain TypeScript data (camelCase, enums as string literals, measurements as
 *  name → value maps). The wire messages are in proto/hpo/v1; src/wire.ts maps between the two. The
 *  enum literals are the .proto's own (from the types generated from it, src/generated): a value added
 *  to the contract is a value here. */
import type { Acquisition__Output } from './generated/hpo/v1/Acquisition';
import type { Algorithm__Output } from './generated/hpo/v1/Algorithm';
import type { _hpo_v1_EarlyStoppingConfig_Mode__Output as ModeOnTheWire } from './generated/hpo/v1/EarlyStoppingConfig';
import type { _hpo_v1_LlmConfig_Provider__Output as ProviderOnTheWire } from './generated/hpo/v1/LlmConfig';
import type { _hpo_v1_MetricSpec_Goal__Output as GoalOnTheWire, _hpo_v1_MetricSpec_Role__Output as RoleOnTheWire } from './generated/hpo/v1/MetricSpec';
import type { _hpo_v1_ParameterSpec_Scale__Output as ScaleOnTheWire, _hpo_v1_ParameterSpec_Type__Output as TypeOnTheWire } from './generated/hpo/v1/ParameterSpec';
import type { _hpo_v1_ReportIntermediateResponse_Decision__Output as DecisionOnTheWire } from './generated/hpo/v1/ReportIntermediateResponse';
import type { _hpo_v1_Study_State__Output as StudyStateOnTheWire } from './generated/hpo/v1/Study';
import type { _hpo_v1_Trial_Origin__Output as OriginOnTheWire, _hpo_v1_Trial_State__Output as TrialStateOnTheWire } from './generated/hpo/v1/Trial';

export type ParameterType = Exclude<TypeOnTheWire, 'TYPE_UNSPECIFIED'>;
export type Scale = Exclude<ScaleOnTheWire, 'SCALE_UNSPECIFIED'>;

export interface ParameterSpec {
  name: string;
  type: ParameterType;
  /** DOUBLE and INTEGER bounds (inclusive). */
  min?: number;
  max?: number;
  /** DISCRETE values, ascending and distinct. */
  values?: number[];
  /** CATEGORICAL choices. */
  categories?: string[];
  scale?: Scale;
  /** Where you believe the best value lies (πBO): `center` within the bounds, `width` the standard
   *  deviation as a fraction of the range on the parameter's scale (default 0.15). DOUBLE, INTEGER, DISCRETE. */
  prior?: { center: number; width?: number };
  /** Parameters that exist only for some values of this one (e.g. momentum only for sgd). */
  children?: ConditionalParameter[];
}

export interface ConditionalParameter {
  parentCategories?: string[];
  parentValues?: number[];
  parameter: ParameterSpec;
}

export type Goal = Exclude<GoalOnTheWire, 'GOAL_UNSPECIFIED'>;
export type MetricRole = Exclude<RoleOnTheWire, 'ROLE_UNSPECIFIED'>;
export interface MetricSpec {
  name: string;
  goal: Goal;
  /** Default OBJECTIVE; several objectives make the study multi-objective. The first metric must be one. */
  role?: MetricRole;
  /** CONSTRAINT (required): feasible when value >= threshold (MAXIMIZE) or <= threshold (MINIMIZE). */
  threshold?: number;
  /** OBJECTIVE with several objectives: the hypervolume reference point; inferred when unset. */
  referencePoint?: number;
}

export type Algorithm = Exclude<Algorithm__Output, 'ALGORITHM_UNSPECIFIED'>;
export type Acquisition = Exclude<Acquisition__Output, 'ACQUISITION_UNSPECIFIED'>;
export type EarlyStoppingMode = Exclude<ModeOnTheWire, 'MODE_UNSPECIFIED'>;

export interface EarlyStoppingConfig {
  mode?: EarlyStoppingMode;
  /** Last step (e.g. epoch) of every trial; required for FREEZE_THAW. */
  maxStep?: number;
  minSteps?: number;
  minTrials?: number;
  /** Training budget in steps over all trials (sum of each trial's last step); 0: unlimited. Ends a
   *  study without maxTrials: no new trial once spent, and optimize() stops when nothing is left. */
  maxStepsTotal?: number;
}

export interface LlmConfig {
  enabled?: boolean;
  provider?: Exclude<ProviderOnTheWire, 'PROVIDER_UNSPECIFIED'>;
  model?: string;
  baseUrl?: string;
  warmStart?: boolean;
  candidateSampling?: boolean;
  surrogate?: boolean;
  maxTokensTotal?: number;
  timeoutSeconds?: number;
  warmStartTrials?: number;
}

/** What CreateStudy takes. Omitted fields take the server's defaults (GP_BANDIT, LOG_EI, no early
 *  stopping, unlimited trials, 300 s leases). */
export interface StudyConfig {
  parameters: ParameterSpec[];
  /** The first metric is the objective. */
  metrics: MetricSpec[];
  algorithm?: Algorithm;
  acquisition?: Acquisition;
  earlyStopping?: EarlyStoppingConfig;
  llm?: LlmConfig;
  problemDescription?: string;
  maxTrials?: number;
  maxParallel?: number;
  seed?: number;
  leaseSeconds?: number;
  gridResolution?: number;
}

export type StudyState = StudyStateOnTheWire;

export interface TrialCounts {
  requested: number;
  active: number;
  paused: number;
  stopping: number;
  succeeded: number;
  infeasible: number;
  failed: number;
  earlyStopped: number;
}

/** A study as the server returns it (config with every default filled in). */
export interface StudyInfo {
  /** "studies/{study_id}" */
  name: string;
  displayName: string;
  config: Required<Omit<StudyConfig, 'llm'>> & { llm?: LlmConfig; earlyStopping: Required<EarlyStoppingConfig> };
  state: StudyState;
  /** Seconds since the Unix epoch. */
  createTime: number;
  trialCounts: TrialCounts;
  llmTokensUsed: number;
}

/** REQUESTED, ACTIVE, PAUSED, STOPPING, SUCCEEDED, INFEASIBLE, FAILED, EARLY_STOPPED (stopped by the
 *  study's early-stopping rule, or paused and never resumed: keeps its curve and last value; not a
 *  candidate for the best trial unless it reached max_step), or STATE_UNSPECIFIED. */
export type TrialState = TrialStateOnTheWire;

export type ParameterValue = number | string;
/** A configuration: only parameters active under their parents' values are present. */
export type Assignment = Record<string, ParameterValue>;

export interface Measurement {
  step: number;
  metrics: Record<string, number>;
  elapsedSeconds: number;
}

/** A measurement to send: step and elapsed time default to 0. */
export interface MeasurementInput {
  step?: number;
  metrics: Record<string, number>;
  elapsedSeconds?: number;
}

/** Where a trial came from (hpo.v1.Trial.Origin): the initial design, the GP, the LLM's warm start or a
 *  candidate of it, freeze-thaw, a plain search algorithm, the fallback after a policy failure, or
 *  AddTrials. ORIGIN_UNSPECIFIED: stored before origins were recorded. */
export type TrialOrigin = OriginOnTheWire;

export interface Trial {
  /** "studies/{study_id}/trials/{trial_id}" */
  name: string;
  id: number;
  state: TrialState;
  parameters: Assignment;
  finalMeasurement?: Measurement;
  /** The learning curve in step order. */
  measurements: Measurement[];
  clientId: string;
  /** For a PAUSED trial handed out again: the first step to train. 0 for a fresh trial. */
  resumeFromStep: number;
  infeasibleReason: string;
  statusReason: string;
  /** Where the trial came from (see TrialOrigin). */
  origin: TrialOrigin;
  createTime: number;
  startTime: number;
  completeTime: number;
  note: string;
}

/** A trial evaluated elsewhere, for AddTrials. */
export interface TrialInput {
  parameters: Assignment;
  finalMeasurement?: MeasurementInput;
  infeasible?: boolean;
  infeasibleReason?: string;
}

export type DecisionKind = Exclude<DecisionOnTheWire, 'DECISION_UNSPECIFIED'>;

export interface ReportResult {
  decision: DecisionKind;
  reason: string;
  trial: Trial;
}

export interface SuggestResult {
  trials: Trial[];
  studyDone: boolean;
}

export interface HeartbeatResult {
  trialNames: string[];
  stoppingTrialNames: string[];
  /** Seconds since the Unix epoch, by the server's database clock. */
  leaseExpiresAt: number;
}

export interface Page<T> {
  items: T[];
  nextPageToken: string;
}

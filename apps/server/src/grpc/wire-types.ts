/** Plain-object shapes of hpo.v1 messages as @grpc/proto-loader delivers them with our loader options
 *  (camelCase fields, enums as strings, longs as numbers, defaults filled, oneof discriminators). */

export interface WireConditionalParameter {
  parentCategories?: string[];
  parentValues?: number[];
  parameter?: WireParameterSpec | null;
}

export interface WireParameterSpec {
  name?: string;
  type?: string;
  minValue?: number;
  maxValue?: number;
  discreteValues?: number[];
  categories?: string[];
  scale?: string;
  children?: WireConditionalParameter[];
  prior?: { center?: number; width?: number } | null;
}

export interface WireMetricSpec {
  name?: string;
  goal?: string;
  role?: string;
  /** google.protobuf.DoubleValue: null when unset. */
  threshold?: { value?: number } | null;
  referencePoint?: { value?: number } | null;
}

export interface WireEarlyStopping {
  mode?: string;
  maxStep?: number;
  minSteps?: number;
  minTrials?: number;
  maxStepsTotal?: number;
}

export interface WireLlmConfig {
  enabled?: boolean;
  provider?: string;
  model?: string;
  baseUrl?: string;
  warmStart?: boolean;
  candidateSampling?: boolean;
  surrogate?: boolean;
  maxTokensTotal?: number;
  timeoutSeconds?: number;
  warmStartTrials?: number;
}

export interface WireStudyConfig {
  parameters?: WireParameterSpec[];
  metrics?: WireMetricSpec[];
  algorithm?: string;
  acquisition?: string;
  earlyStopping?: WireEarlyStopping | null;
  llm?: WireLlmConfig | null;
  problemDescription?: string;
  maxTrials?: number;
  maxParallel?: number;
  seed?: number;
  leaseSeconds?: number;
  gridResolution?: number;
}

export interface WireParameterValue {
  name?: string;
  doubleValue?: number | null;
  intValue?: number | null;
  stringValue?: string | null;
  /** Which oneof member is set (oneofs: true). */
  value?: 'doubleValue' | 'intValue' | 'stringValue' | null;
}

export interface WireMetric {
  name?: string;
  value?: number;
}

export interface WireMeasurement {
  step?: number;
  metrics?: WireMetric[];
  elapsedSeconds?: number;
}

export interface WireTrial {
  name?: string;
  id?: number;
  state?: string;
  parameters?: WireParameterValue[];
  finalMeasurement?: WireMeasurement | null;
  measurements?: WireMeasurement[];
  clientId?: string;
  resumeFromStep?: number;
  infeasibleReason?: string;
  statusReason?: string;
  createTime?: number;
  startTime?: number;
  completeTime?: number;
  note?: string;
  /** Trial.Origin value name (DESIGN, GP, LLM_WARM_START, …). */
  origin?: string;
}

export interface WireTrialCounts {
  requested: number;
  active: number;
  paused: number;
  stopping: number;
  succeeded: number;
  infeasible: number;
  failed: number;
  earlyStopped: number;
}

export interface WireStudy {
  name: string;
  displayName: string;
  config: WireStudyConfig;
  state: string;
  createTime: number;
  trialCounts: WireTrialCounts;
  llmTokensUsed: number;
}

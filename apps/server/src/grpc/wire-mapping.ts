/** hpo.v1 wire objects <-> the libs' domain types. Unset enums take the defaults the .proto documents;
 *  anything else is passed through so that validation names the field and the bad value. */
import { InvalidArgumentError } from '@hpo/core';
import { STUDY_CONFIG_DEFAULTS as DEFAULTS } from '@hpo/core';
import type { LlmConfig, Measurement, MetricRole, MetricSpec, StudyConfig, TrialOrigin, TrialState } from '@hpo/core';
import { flattenParameters } from '@hpo/space';
import type { Assignment, ConditionalParameter, ParameterSpec } from '@hpo/space';
import type { StudyRecord, TrialRecord } from '../storage/storage';
import { enumFromWire } from './wire-enums';
import type {
  WireConditionalParameter__Output,
  WireMeasurement,
  WireMeasurement__Output,
  WireMetricSpec__Output,
  WireParameterSpec,
  WireParameterSpec__Output,
  WireParameterValue,
  WireParameterValue__Output,
  WireStudy,
  WireStudyConfig,
  WireStudyConfig__Output,
  WireTrial,
  WireTrial__Output,
  WireTrialCounts,
} from './wire-types';

function parameterFromWire(p: WireParameterSpec__Output | null | undefined, field: string): ParameterSpec {
  const type = enumFromWire<ParameterSpec['type']>('hpo.v1.ParameterSpec.Type', `${field}.type`, p?.type);
  const spec: ParameterSpec = { name: p?.name ?? '', type };
  if (spec.type === 'DOUBLE' || spec.type === 'INTEGER') {
    spec.min = p?.minValue ?? 0;
    spec.max = p?.maxValue ?? 0;
  }
  if (spec.type === 'DISCRETE') spec.values = [...(p?.discreteValues ?? [])];
  if (spec.type === 'CATEGORICAL') spec.categories = [...(p?.categories ?? [])];
  if (spec.type !== 'CATEGORICAL') spec.scale = enumFromWire<'LINEAR' | 'LOG'>('hpo.v1.ParameterSpec.Scale', `${field}.scale`, p?.scale, 'LINEAR');
  if (p?.prior) spec.prior = { center: p.prior.center ?? 0, ...(p.prior.width ? { width: p.prior.width } : {}) };
  const children = (p?.children ?? []).map((c, j) => childFromWire(c, `${field}.children[${j}].parameter`));
  if (children.length > 0) spec.children = children;
  return spec;
}

function childFromWire(c: WireConditionalParameter__Output, field: string): ConditionalParameter {
  const child: ConditionalParameter = { parameter: parameterFromWire(c.parameter, field) };
  if (c.parentCategories && c.parentCategories.length > 0) child.parentCategories = [...c.parentCategories];
  if (c.parentValues && c.parentValues.length > 0) child.parentValues = [...c.parentValues];
  return child;
}

function metricFromWire(m: WireMetricSpec__Output, i: number): MetricSpec {
  const metric: MetricSpec = {
    name: m.name ?? '',
    goal: enumFromWire<'MAXIMIZE' | 'MINIMIZE'>('hpo.v1.MetricSpec.Goal', `config.metrics[${i}].goal`, m.goal),
  };
  const role = enumFromWire<MetricRole>('hpo.v1.MetricSpec.Role', `config.metrics[${i}].role`, m.role, 'OBJECTIVE');
  // Stored only when it says something: a plain objective stays { name, goal } as before roles existed.
  if (role !== 'OBJECTIVE') metric.role = role;
  if (m.threshold) metric.threshold = m.threshold.value ?? 0;
  if (m.referencePoint) metric.referencePoint = m.referencePoint.value ?? 0;
  return metric;
}

/** The config as stored: defaults applied (seed 0 is replaced by the caller). */
export function studyConfigFromWire(c: WireStudyConfig__Output | null | undefined): StudyConfig {
  if (!c) throw new InvalidArgumentError('config', 'is required');
  const es = c.earlyStopping;
  const config: StudyConfig = {
    parameters: (c.parameters ?? []).map((p, i) => parameterFromWire(p, `config.parameters[${i}]`)),
    metrics: (c.metrics ?? []).map((m, i) => metricFromWire(m, i)),
    algorithm: enumFromWire('hpo.v1.Algorithm', 'config.algorithm', c.algorithm, DEFAULTS.algorithm),
    acquisition: enumFromWire('hpo.v1.Acquisition', 'config.acquisition', c.acquisition, DEFAULTS.acquisition),
    earlyStopping: {
      mode: enumFromWire('hpo.v1.EarlyStoppingConfig.Mode', 'config.early_stopping.mode', es?.mode, DEFAULTS.earlyStopping.mode),
      maxStep: es?.maxStep ?? DEFAULTS.earlyStopping.maxStep,
      minSteps: es?.minSteps ?? DEFAULTS.earlyStopping.minSteps,
      minTrials: es?.minTrials ?? DEFAULTS.earlyStopping.minTrials,
      maxStepsTotal: es?.maxStepsTotal ?? DEFAULTS.earlyStopping.maxStepsTotal,
    },
    problemDescription: c.problemDescription ?? DEFAULTS.problemDescription,
    maxTrials: c.maxTrials ?? DEFAULTS.maxTrials,
    maxParallel: c.maxParallel ?? DEFAULTS.maxParallel,
    seed: c.seed ?? DEFAULTS.seed,
    // Only an unset 0 takes the default: NaN or a negative value reaches validation and is rejected.
    leaseSeconds: c.leaseSeconds === undefined || c.leaseSeconds === 0 ? DEFAULTS.leaseSeconds : c.leaseSeconds,
    gridResolution: c.gridResolution ?? DEFAULTS.gridResolution,
  };
  if (c.llm) {
    const l = c.llm;
    const llm: LlmConfig = {
      enabled: !!l.enabled,
      provider: enumFromWire<NonNullable<LlmConfig['provider']>>('hpo.v1.LlmConfig.Provider', 'config.llm.provider', l.provider, 'OPENAI_COMPATIBLE'),
      model: l.model ?? '',
      baseUrl: l.baseUrl ?? '',
      warmStart: !!l.warmStart,
      candidateSampling: !!l.candidateSampling,
      surrogate: !!l.surrogate,
      maxTokensTotal: l.maxTokensTotal ?? 0,
      timeoutSeconds: l.timeoutSeconds ?? 0,
      warmStartTrials: l.warmStartTrials ?? 0,
    };
    config.llm = llm;
  }
  return config;
}

function parameterToWire(p: ParameterSpec): WireParameterSpec {
  return {
    name: p.name,
    type: p.type,
    minValue: p.min ?? 0,
    maxValue: p.max ?? 0,
    discreteValues: p.values ?? [],
    categories: p.categories ?? [],
    scale: p.scale ?? 'SCALE_UNSPECIFIED',
    prior: p.prior ? { center: p.prior.center, width: p.prior.width ?? 0 } : null,
    children: (p.children ?? []).map((c) => ({
      parentCategories: c.parentCategories ?? [],
      parentValues: c.parentValues ?? [],
      parameter: parameterToWire(c.parameter),
    })),
  };
}

export function studyConfigToWire(c: StudyConfig): WireStudyConfig {
  return {
    parameters: c.parameters.map(parameterToWire),
    metrics: c.metrics.map((m) => ({
      name: m.name, goal: m.goal, role: m.role ?? 'OBJECTIVE',
      threshold: m.threshold !== undefined ? { value: m.threshold } : null,
      referencePoint: m.referencePoint !== undefined ? { value: m.referencePoint } : null,
    })),
    algorithm: c.algorithm,
    acquisition: c.acquisition,
    earlyStopping: { ...c.earlyStopping, maxStepsTotal: c.earlyStopping.maxStepsTotal ?? 0 },
    llm: c.llm ? { ...c.llm } : null,
    problemDescription: c.problemDescription,
    maxTrials: c.maxTrials,
    maxParallel: c.maxParallel,
    seed: c.seed,
    leaseSeconds: c.leaseSeconds,
    gridResolution: c.gridResolution,
  };
}

export { studyName, trialName } from '../studies/resource-names';
import { studyName, trialName } from '../studies/resource-names';

const STUDY_NAME = /^studies\/([1-9][0-9]{0,14})$/;
const TRIAL_NAME = /^studies\/([1-9][0-9]{0,14})\/trials\/([1-9][0-9]{0,14})$/;

/** Study and trial ids are 32-bit in both backends' schemas (PostgreSQL `integer`): a larger id names
 *  nothing that can exist, and PostgreSQL would refuse to compare it with the column. */
export const MAX_RESOURCE_ID = 2_147_483_647;

function checkId(id: number, field: string, name: string): number {
  if (id > MAX_RESOURCE_ID) throw new InvalidArgumentError(field, `ids are at most ${MAX_RESOURCE_ID} (got ${JSON.stringify(name)})`);
  return id;
}

export function parseStudyName(name: string | undefined, field = 'name'): number {
  const m = STUDY_NAME.exec(name ?? '');
  if (!m) throw new InvalidArgumentError(field, `must be "studies/{study_id}" with a positive integer id (got ${JSON.stringify(name ?? '')})`);
  return checkId(Number(m[1]), field, name!);
}

export function parseTrialName(name: string | undefined, field = 'name'): { studyId: number; trialId: number } {
  const m = TRIAL_NAME.exec(name ?? '');
  if (!m) {
    throw new InvalidArgumentError(
      field,
      `must be "studies/{study_id}/trials/{trial_id}" with positive integer ids (got ${JSON.stringify(name ?? '')})`,
    );
  }
  return { studyId: checkId(Number(m[1]), field, name!), trialId: checkId(Number(m[2]), field, name!) };
}

export type TrialCounts = Record<TrialState, number>;

export function countsToWire(c: TrialCounts): WireTrialCounts {
  return {
    requested: c.REQUESTED,
    active: c.ACTIVE,
    paused: c.PAUSED,
    stopping: c.STOPPING,
    succeeded: c.SUCCEEDED,
    infeasible: c.INFEASIBLE,
    failed: c.FAILED,
    earlyStopped: c.EARLY_STOPPED,
  };
}

/** COMPLETED once max_trials trials exist (failed ones do not count: their slots are handed out again),
 *  or the step budget (early_stopping.max_steps_total) is spent, and no trial is still running or
 *  resumable. */
export function studyState(config: StudyConfig, c: TrialCounts, stepsSpent = 0): 'ACTIVE' | 'COMPLETED' {
  const live = c.REQUESTED + c.ACTIVE + c.PAUSED + c.STOPPING;
  const budget = config.earlyStopping.maxStepsTotal ?? 0;
  if (budget > 0 && stepsSpent >= budget) return live === 0 ? 'COMPLETED' : 'ACTIVE';
  if (config.maxTrials <= 0) return 'ACTIVE';
  const counted = live + c.SUCCEEDED + c.INFEASIBLE + c.EARLY_STOPPED;
  return counted >= config.maxTrials && live === 0 ? 'COMPLETED' : 'ACTIVE';
}

export function studyToWire(s: StudyRecord, counts: TrialCounts, stepsSpent = 0): WireStudy {
  return {
    name: studyName(s.id),
    displayName: s.displayName,
    config: studyConfigToWire(s.config),
    state: studyState(s.config, counts, stepsSpent),
    createTime: s.createdAt,
    trialCounts: countsToWire(counts),
    llmTokensUsed: s.llmTokensUsed,
  };
}

export function measurementFromWire(m: WireMeasurement__Output, field: string): Measurement {
  const metrics: Record<string, number> = {};
  (m.metrics ?? []).forEach((metric, i) => {
    const name = metric.name ?? '';
    if (name.length === 0) throw new InvalidArgumentError(`${field}.metrics[${i}].name`, 'must be a non-empty metric name');
    if (Object.hasOwn(metrics, name)) throw new InvalidArgumentError(`${field}.metrics[${i}].name`, `duplicate metric "${name}"`);
    metrics[name] = metric.value as number;
  });
  if (Object.keys(metrics).length === 0) throw new InvalidArgumentError(`${field}.metrics`, 'must contain at least one metric');
  return { step: m.step ?? 0, metrics, elapsedSeconds: m.elapsedSeconds ?? 0 };
}

export function measurementToWire(m: Measurement): WireMeasurement {
  return {
    step: m.step,
    metrics: Object.entries(m.metrics).map(([name, value]) => ({ name, value })),
    elapsedSeconds: m.elapsedSeconds,
  };
}

/** Wire parameter values to an assignment (types and ranges are checked by validateAssignment). */
export function assignmentFromWire(values: WireParameterValue__Output[] | undefined, field: string): Assignment {
  const out: Assignment = {};
  (values ?? []).forEach((v, i) => {
    const name = v.name ?? '';
    if (Object.hasOwn(out, name)) throw new InvalidArgumentError(`${field}[${i}].name`, `duplicate parameter "${name}"`);
    const which = v.value ?? (v.stringValue ? 'stringValue' : v.intValue !== null && v.intValue !== undefined ? 'intValue' : 'doubleValue');
    const value = v[which];
    if (value === null || value === undefined) throw new InvalidArgumentError(`${field}[${i}]`, `parameter "${name}" has no value`);
    out[name] = value;
  });
  return out;
}

/** Parameter types by name, once per config object (a listing maps every trial with the same config:
 *  flattening the space per trial made a page cost trials × parameters). */
const typesByConfig = new WeakMap<StudyConfig, Map<string, ParameterSpec['type']>>();

function parameterTypes(config: StudyConfig): Map<string, ParameterSpec['type']> {
  let types = typesByConfig.get(config);
  if (!types) {
    types = new Map(flattenParameters({ parameters: config.parameters }).map((p) => [p.name, p.type]));
    typesByConfig.set(config, types);
  }
  return types;
}

export function assignmentToWire(config: StudyConfig, a: Assignment): WireParameterValue[] {
  const types = parameterTypes(config);
  return Object.entries(a).map(([name, value]) => {
    if (typeof value === 'string') return { name, stringValue: value };
    if (types.get(name) === 'INTEGER') return { name, intValue: value };
    return { name, doubleValue: value };
  });
}

export function trialToWire(config: StudyConfig, t: TrialRecord): WireTrial {
  return {
    name: trialName(t.studyId, t.id),
    id: t.id,
    state: t.state,
    parameters: assignmentToWire(config, t.parameters),
    finalMeasurement: t.finalMeasurement ? measurementToWire(t.finalMeasurement) : null,
    measurements: t.measurements.map(measurementToWire),
    clientId: t.clientId,
    resumeFromStep: t.resumeFromStep,
    infeasibleReason: t.infeasibleReason,
    statusReason: t.statusReason,
    createTime: t.createTime,
    startTime: t.startTime ?? 0,
    completeTime: t.completeTime ?? 0,
    note: t.note,
    origin: originToWire(t.origin),
  };
}

/** 'llm-warm-start' → LLM_WARM_START; 'unspecified' → ORIGIN_UNSPECIFIED (hpo.v1.Trial.Origin). */
export function originToWire(origin: TrialOrigin): WireTrial__Output['origin'] {
  return (origin === 'unspecified' ? 'ORIGIN_UNSPECIFIED' : origin.toUpperCase().replace(/-/g, '_')) as WireTrial__Output['origin'];
}

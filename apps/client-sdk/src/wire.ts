/** Maps the plain SDK types (src/types.ts) to and from the hpo.v1 wire messages as @grpc/proto-loader
 *  decodes them (camelCase fields, enums as strings, int64 as numbers, oneofs named), typed by the
 *  types generated from the .proto (src/wire-types.ts). */
import type {
  Assignment,
  ConditionalParameter,
  Goal,
  Measurement,
  MeasurementInput,
  ParameterSpec,
  StudyConfig,
  StudyInfo,
  Trial,
  TrialInput,
} from './types';

import { HpoClientError } from './errors';
import { enumName, EnumNames } from './enum-names';

import type {
  WireEarlyStoppingConfig,
  WireLlmConfig,
  WireMetricSpec,
  WireMeasurement,
  WireMeasurement__Output,
  WireParameterSpec,
  WireParameterSpec__Output,
  WireParameterValue,
  WireParameterValue__Output,
  WireStudy__Output,
  WireStudyConfig,
  WireTrial,
  WireTrial__Output,
} from './wire-types';

const SPEC_KEYS = new Set(['name', 'type', 'min', 'max', 'values', 'categories', 'scale', 'children', 'prior']);

/** The wire has no presence for bounds (an unset min_value reads as 0), so a spec with a misspelt key
 *  (`minValue` from JavaScript) or no bounds would become a silent 0..0 range: refuse it here, naming the
 *  field the way the server does. */
function checkParameterSpec(spec: ParameterSpec, field: string): void {
  const unknown = Object.keys(spec).filter((k) => !SPEC_KEYS.has(k));
  if (unknown.length > 0) {
    throw new HpoClientError('INVALID_ARGUMENT', `${field}: unknown key(s) ${unknown.join(', ')} (expected ${[...SPEC_KEYS].join(', ')})`, 'createStudy');
  }
  if (spec.type === 'DOUBLE' || spec.type === 'INTEGER') {
    for (const key of ['min', 'max'] as const) {
      if (typeof spec[key] !== 'number') {
        throw new HpoClientError('INVALID_ARGUMENT', `${field}.${key === 'min' ? 'min_value' : 'max_value'}: is required for ${spec.type} parameters`, 'createStudy');
      }
    }
  }
}

export function parameterSpecToWire(spec: ParameterSpec, field: string, enums: EnumNames): WireParameterSpec {
  const type = enumName(enums, 'hpo.v1.ParameterSpec.Type', `${field}.type`, spec.type, 'createStudy') as ParameterSpec['type'] | undefined;
  const scale = enumName(enums, 'hpo.v1.ParameterSpec.Scale', `${field}.scale`, spec.scale, 'createStudy') as ParameterSpec['scale'] | undefined;
  spec = { ...spec, ...(type ? { type } : {}) };
  checkParameterSpec(spec, field);
  return {
    name: spec.name,
    type: type ?? 'TYPE_UNSPECIFIED',
    minValue: spec.min ?? 0,
    maxValue: spec.max ?? 0,
    discreteValues: spec.values ?? [],
    categories: spec.categories ?? [],
    scale: scale ?? 'SCALE_UNSPECIFIED',
    ...(spec.prior ? { prior: { center: spec.prior.center, width: spec.prior.width ?? 0 } } : {}),
    children: (spec.children ?? []).map(
      (child: ConditionalParameter, j: number) => ({
        parentCategories: child.parentCategories ?? [],
        parentValues: child.parentValues ?? [],
        parameter: parameterSpecToWire(child.parameter, `${field}.children[${j}].parameter`, enums),
      }),
    ),
  };
}

export function parameterSpecFromWire(w: WireParameterSpec__Output): ParameterSpec {
  const spec: ParameterSpec = { name: w.name, type: w.type as ParameterSpec['type'] };
  if (w.type === 'DOUBLE' || w.type === 'INTEGER') {
    spec.min = w.minValue;
    spec.max = w.maxValue;
  }
  if (w.type === 'DISCRETE') spec.values = [...(w.discreteValues ?? [])];
  if (w.type === 'CATEGORICAL') spec.categories = [...(w.categories ?? [])];
  if (w.prior) spec.prior = { center: Number(w.prior.center ?? 0), ...(w.prior.width ? { width: Number(w.prior.width) } : {}) };
  if (w.scale && w.scale !== 'SCALE_UNSPECIFIED') spec.scale = w.scale;
  if (w.children?.length) {
    spec.children = w.children.map((c) => {
      const child: ConditionalParameter = { parameter: parameterSpecFromWire(c.parameter!) };
      if (c.parentCategories?.length) child.parentCategories = [...c.parentCategories];
      if (c.parentValues?.length) child.parentValues = [...c.parentValues];
      return child;
    });
  }
  return spec;
}

/** An enum field's value names (the generated types also allow its numbers). */
export type Enum<F> = Extract<NonNullable<F>, string>;

/** The value name of `value` in enum `enumType`, or `unset` when there is none; a name the contract does
 *  not define is refused by enumName (INVALID_ARGUMENT naming the field). Typed as the field it fills. */
export function enumOnTheWire<T extends string>(enums: EnumNames, enumType: string, field: string, value: unknown, method: string, unset: NoInfer<T>): T {
  return (enumName(enums, enumType, field, value, method) as T | undefined) ?? unset;
}

export function studyConfigToWire(config: StudyConfig, enums: EnumNames): WireStudyConfig {
  const es = config.earlyStopping ?? {};
  const parse = <T extends string>(enumType: string, field: string, value: unknown, unset: NoInfer<T>): T => enumOnTheWire(enums, enumType, field, value, 'createStudy', unset);
  const wire: WireStudyConfig = {
    parameters: config.parameters.map((p, i) => parameterSpecToWire(p, `config.parameters[${i}]`, enums)),
    metrics: config.metrics.map((m, i) => ({
      name: m.name,
      goal: parse<Enum<WireMetricSpec['goal']>>('hpo.v1.MetricSpec.Goal', `config.metrics[${i}].goal`, m.goal, 'GOAL_UNSPECIFIED'),
      role: parse<Enum<WireMetricSpec['role']>>('hpo.v1.MetricSpec.Role', `config.metrics[${i}].role`, m.role, 'ROLE_UNSPECIFIED'),
      ...(m.threshold !== undefined ? { threshold: { value: m.threshold } } : {}),
      ...(m.referencePoint !== undefined ? { referencePoint: { value: m.referencePoint } } : {}),
    })),
    algorithm: parse<Enum<WireStudyConfig['algorithm']>>('hpo.v1.Algorithm', 'config.algorithm', config.algorithm, 'ALGORITHM_UNSPECIFIED'),
    acquisition: parse<Enum<WireStudyConfig['acquisition']>>('hpo.v1.Acquisition', 'config.acquisition', config.acquisition, 'ACQUISITION_UNSPECIFIED'),
    earlyStopping: {
      mode: parse<Enum<WireEarlyStoppingConfig['mode']>>('hpo.v1.EarlyStoppingConfig.Mode', 'config.early_stopping.mode', es.mode, 'MODE_UNSPECIFIED'),
      maxStep: es.maxStep ?? 0,
      minSteps: es.minSteps ?? 0,
      minTrials: es.minTrials ?? 0,
      maxStepsTotal: es.maxStepsTotal ?? 0,
    },
    problemDescription: config.problemDescription ?? '',
    maxTrials: config.maxTrials ?? 0,
    maxParallel: config.maxParallel ?? 0,
    seed: config.seed ?? 0,
    leaseSeconds: config.leaseSeconds ?? 0,
    gridResolution: config.gridResolution ?? 0,
  };
  if (config.llm) wire.llm = { ...config.llm, provider: parse<Enum<WireLlmConfig['provider']>>('hpo.v1.LlmConfig.Provider', 'config.llm.provider', config.llm.provider, 'PROVIDER_UNSPECIFIED') };
  return wire;
}

/** Unspecified enums come back as their *_UNSPECIFIED name; the SDK shows the value they mean. */
export function studyFromWire(w: WireStudy__Output): StudyInfo {
  const c = w.config ?? ({} as Partial<NonNullable<WireStudy__Output['config']>>);
  const es = c.earlyStopping ?? ({} as Partial<NonNullable<NonNullable<WireStudy__Output['config']>['earlyStopping']>>);
  const config: StudyInfo['config'] = {
    parameters: (c.parameters ?? []).map(parameterSpecFromWire),
    metrics: (c.metrics ?? []).map((m) => ({
      name: m.name, goal: m.goal as Goal, role: m.role === 'ROLE_UNSPECIFIED' || !m.role ? 'OBJECTIVE' : m.role,
      ...(m.threshold ? { threshold: Number(m.threshold.value ?? 0) } : {}),
      ...(m.referencePoint ? { referencePoint: Number(m.referencePoint.value ?? 0) } : {}),
    })),
    algorithm: c.algorithm === 'ALGORITHM_UNSPECIFIED' || !c.algorithm ? 'GP_BANDIT' : c.algorithm,
    acquisition: c.acquisition === 'ACQUISITION_UNSPECIFIED' || !c.acquisition ? 'LOG_EI' : c.acquisition,
    earlyStopping: {
      mode: es.mode === 'MODE_UNSPECIFIED' || !es.mode ? 'NONE' : es.mode,
      maxStep: Number(es.maxStep ?? 0),
      minSteps: es.minSteps ?? 0,
      minTrials: es.minTrials ?? 0,
      maxStepsTotal: es.maxStepsTotal ?? 0,
    },
    problemDescription: c.problemDescription ?? '',
    maxTrials: c.maxTrials ?? 0,
    maxParallel: c.maxParallel ?? 0,
    seed: Number(c.seed ?? 0),
    leaseSeconds: c.leaseSeconds ?? 0,
    gridResolution: c.gridResolution ?? 0,
  };
  if (c.llm) config.llm = { ...c.llm, provider: c.llm.provider === 'PROVIDER_UNSPECIFIED' ? undefined : c.llm.provider, maxTokensTotal: Number(c.llm.maxTokensTotal ?? 0) };
  const counts = w.trialCounts ?? ({} as Partial<NonNullable<WireStudy__Output['trialCounts']>>);
  return {
    name: w.name,
    displayName: w.displayName,
    config,
    state: w.state ?? 'STATE_UNSPECIFIED',
    createTime: w.createTime ?? 0,
    trialCounts: {
      requested: counts.requested ?? 0,
      active: counts.active ?? 0,
      paused: counts.paused ?? 0,
      stopping: counts.stopping ?? 0,
      succeeded: counts.succeeded ?? 0,
      infeasible: counts.infeasible ?? 0,
      failed: counts.failed ?? 0,
      earlyStopped: counts.earlyStopped ?? 0,
    },
    llmTokensUsed: Number(w.llmTokensUsed ?? 0),
  };
}

export function measurementToWire(m: MeasurementInput): WireMeasurement {
  return {
    step: m.step ?? 0,
    metrics: Object.entries(m.metrics).map(([name, value]) => ({ name, value })),
    elapsedSeconds: m.elapsedSeconds ?? 0,
  };
}

export function measurementFromWire(w: WireMeasurement__Output): Measurement {
  const metrics: Record<string, number> = {};
  for (const m of w.metrics ?? []) metrics[m.name] = m.value;
  return { step: Number(w.step ?? 0), metrics, elapsedSeconds: w.elapsedSeconds ?? 0 };
}

function parameterValueFromWire(p: WireParameterValue__Output): number | string {
  switch (p.value) {
    case 'doubleValue':
      return p.doubleValue!;
    case 'intValue':
      return Number(p.intValue);
    case 'stringValue':
      return p.stringValue!;
    default:
      throw new Error(`parameter ${p.name} has no value on the wire`);
  }
}

/** `w` may be just a name (a reply that carried no trial). */
export function trialFromWire(w: Pick<WireTrial__Output, 'name'> & Partial<WireTrial__Output>): Trial {
  const parameters: Assignment = {};
  for (const p of w.parameters ?? []) parameters[p.name] = parameterValueFromWire(p);
  const trial: Trial = {
    name: w.name,
    id: Number(w.id),
    state: w.state ?? 'STATE_UNSPECIFIED',
    parameters,
    measurements: (w.measurements ?? []).map(measurementFromWire),
    clientId: w.clientId ?? '',
    resumeFromStep: Number(w.resumeFromStep ?? 0),
    infeasibleReason: w.infeasibleReason ?? '',
    statusReason: w.statusReason ?? '',
    origin: w.origin ?? 'ORIGIN_UNSPECIFIED',
    createTime: w.createTime ?? 0,
    startTime: w.startTime ?? 0,
    completeTime: w.completeTime ?? 0,
    note: w.note ?? '',
  };
  if (w.finalMeasurement) trial.finalMeasurement = measurementFromWire(w.finalMeasurement);
  return trial;
}

/** Collects every parameter spec of a space, conditional children included, by name. */
export function specsByName(parameters: ParameterSpec[]): Map<string, ParameterSpec> {
  const out = new Map<string, ParameterSpec>();
  const visit = (spec: ParameterSpec): void => {
    out.set(spec.name, spec);
    for (const child of spec.children ?? []) visit(child.parameter);
  };
  parameters.forEach(visit);
  return out;
}

/** A number is an int_value for INTEGER parameters and a double_value otherwise, so the space decides. */
export function trialInputToWire(trial: TrialInput, specs: Map<string, ParameterSpec>): WireTrial {
  const parameters = Object.entries(trial.parameters).map(([name, value]): WireParameterValue => {
    if (typeof value === 'string') return { name, stringValue: value };
    return specs.get(name)?.type === 'INTEGER' ? { name, intValue: value } : { name, doubleValue: value };
  });
  const wire: WireTrial = {
    parameters,
    infeasibleReason: trial.infeasibleReason ?? '',
    state: trial.infeasible ? 'INFEASIBLE' : 'SUCCEEDED',
  };
  if (trial.finalMeasurement) wire.finalMeasurement = measurementToWire(trial.finalMeasurement);
  return wire;
}

/** StudyConfig validation: everything CreateStudy must reject before a study exists. Field paths use
 *  the wire names of hpo.v1.StudyConfig. */
import { validateSpace } from '@hpo/space';
import { createGrid } from '@hpo/space';
import { InvalidArgumentError } from '@hpo/space';
import { DEFAULT_GRID_RESOLUTION } from './policies/grid-search';
import { metricRole } from './metric-roles';
import type { MetricSpec, StudyConfig } from './types';

const ALGORITHMS = ['GP_BANDIT', 'RANDOM_SEARCH', 'QUASI_RANDOM_SEARCH', 'GRID_SEARCH', 'LLM_GP_BANDIT'];
const ACQUISITIONS = ['LOG_EI', 'EI', 'UCB', 'PI'];
const EARLY_STOPPING_MODES = ['NONE', 'MEDIAN', 'FREEZE_THAW', 'ASHA', 'HYPERBAND'];
const GOALS = ['MAXIMIZE', 'MINIMIZE'];
const ROLES = ['OBJECTIVE', 'TRACKED', 'CONSTRAINT'];
const PROVIDERS = ['OPENAI_COMPATIBLE', 'LOCAL_GGUF'];
/** Metric names share the parameters' character set (they become CSV headers and prompt text). */
const METRIC_NAME_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.:\-/]*$/;
/** Values per DOUBLE on a grid: beyond this a grid is a denial of service, not a search (use
 *  QUASI_RANDOM_SEARCH for dense coverage). */
export const MAX_GRID_RESOLUTION = 100_000;
/** A grid larger than this cannot be walked exactly with double-precision indices. */
const MAX_GRID_SIZE = Number.MAX_SAFE_INTEGER;

export function validateStudyConfig(config: StudyConfig): void {
  if (!config || typeof config !== 'object') throw new InvalidArgumentError('config', 'is required');
  validateMetrics(config);
  validateSpace({ parameters: config.parameters }, 'config.parameters');
  oneOf(config.algorithm, ALGORITHMS, 'config.algorithm');
  oneOf(config.acquisition, ACQUISITIONS, 'config.acquisition');
  validateEarlyStopping(config);
  if (config.llm !== undefined) validateLlm(config);
  if (typeof config.problemDescription !== 'string') {
    throw new InvalidArgumentError('config.problem_description', 'must be a string');
  }
  nonNegativeInteger(config.maxTrials, 'config.max_trials');
  nonNegativeInteger(config.maxParallel, 'config.max_parallel');
  nonNegativeInteger(config.seed, 'config.seed');
  nonNegativeNumber(config.leaseSeconds, 'config.lease_seconds');
  nonNegativeInteger(config.gridResolution, 'config.grid_resolution');
  if (config.gridResolution > MAX_GRID_RESOLUTION) {
    throw new InvalidArgumentError('config.grid_resolution', `must be at most ${MAX_GRID_RESOLUTION} (got ${config.gridResolution})`);
  }
  if (config.algorithm === 'GRID_SEARCH') validateGridSize(config);
}

function validateMetrics(config: StudyConfig): void {
  if (!Array.isArray(config.metrics) || config.metrics.length === 0) {
    throw new InvalidArgumentError('config.metrics', 'must contain at least one metric (the first is the objective)');
  }
  const seen = new Map<string, number>();
  config.metrics.forEach((m, i) => {
    const field = `config.metrics[${i}]`;
    if (!m || typeof m.name !== 'string' || m.name.length === 0) {
      throw new InvalidArgumentError(`${field}.name`, 'must be a non-empty string');
    }
    if (!METRIC_NAME_PATTERN.test(m.name)) {
      throw new InvalidArgumentError(
        `${field}.name`,
        `"${m.name}" must start with a letter, digit or underscore and contain only letters, digits and _ . : - /`,
      );
    }
    const earlier = seen.get(m.name);
    if (earlier !== undefined) {
      throw new InvalidArgumentError(`${field}.name`, `duplicate metric name "${m.name}" (already config.metrics[${earlier}])`);
    }
    seen.set(m.name, i);
    oneOf(m.goal, GOALS, `${field}.goal`);
    validateMetricRole(m, i, field);
  });
}

function validateMetricRole(m: MetricSpec, i: number, field: string): void {
  if (m.role !== undefined) oneOf(m.role, ROLES, `${field}.role`);
  const role = metricRole(m);
  if (i === 0 && role !== 'OBJECTIVE') {
    throw new InvalidArgumentError(`${field}.role`, `must be OBJECTIVE for the first metric (early stopping and progress follow it), got ${role}`);
  }
  if (role === 'CONSTRAINT') {
    if (typeof m.threshold !== 'number' || !Number.isFinite(m.threshold)) {
      throw new InvalidArgumentError(`${field}.threshold`, `is required and must be finite for a CONSTRAINT metric, got ${String(m.threshold)}`);
    }
  } else if (m.threshold !== undefined) {
    throw new InvalidArgumentError(`${field}.threshold`, `applies only to a CONSTRAINT metric (this one is ${role})`);
  }
  if (m.referencePoint !== undefined) {
    if (role !== 'OBJECTIVE') throw new InvalidArgumentError(`${field}.reference_point`, `applies only to an OBJECTIVE metric (this one is ${role})`);
    if (!Number.isFinite(m.referencePoint)) throw new InvalidArgumentError(`${field}.reference_point`, `must be finite, got ${String(m.referencePoint)}`);
  }
}

function validateEarlyStopping(config: StudyConfig): void {
  const es = config.earlyStopping;
  if (!es || typeof es !== 'object') throw new InvalidArgumentError('config.early_stopping', 'is required');
  oneOf(es.mode, EARLY_STOPPING_MODES, 'config.early_stopping.mode');
  nonNegativeInteger(es.maxStep, 'config.early_stopping.max_step');
  nonNegativeInteger(es.minSteps, 'config.early_stopping.min_steps');
  nonNegativeInteger(es.minTrials, 'config.early_stopping.min_trials');
  nonNegativeInteger(es.maxStepsTotal ?? 0, 'config.early_stopping.max_steps_total');
  if (es.mode === 'FREEZE_THAW' && es.maxStep <= 0) {
    throw new InvalidArgumentError(
      'config.early_stopping.max_step',
      'must be > 0 for FREEZE_THAW (the last training step: the learning curves are extrapolated to it)',
    );
  }
  if (es.mode === 'HYPERBAND' && es.maxStep <= 0) {
    throw new InvalidArgumentError('config.early_stopping.max_step', 'must be > 0 for HYPERBAND (its brackets divide the steps up to max_step)');
  }
}

function validateLlm(config: StudyConfig): void {
  const llm = config.llm as NonNullable<StudyConfig['llm']>;
  if (typeof llm !== 'object' || llm === null) throw new InvalidArgumentError('config.llm', 'must be an object');
  if (!llm.enabled) return;
  oneOf(llm.provider, PROVIDERS, 'config.llm.provider');
  if (typeof llm.model !== 'string') throw new InvalidArgumentError('config.llm.model', 'must be a string');
  if (llm.provider === 'LOCAL_GGUF' && llm.model.length === 0) {
    throw new InvalidArgumentError('config.llm.model', 'must name the GGUF model file for LOCAL_GGUF');
  }
  nonNegativeInteger(llm.maxTokensTotal, 'config.llm.max_tokens_total');
  nonNegativeNumber(llm.timeoutSeconds, 'config.llm.timeout_seconds');
  nonNegativeInteger(llm.warmStartTrials, 'config.llm.warm_start_trials');
}

function validateGridSize(config: StudyConfig): void {
  const resolution = config.gridResolution > 0 ? config.gridResolution : DEFAULT_GRID_RESOLUTION;
  const size = createGrid({ parameters: config.parameters }, resolution).size;
  if (size > MAX_GRID_SIZE) {
    throw new InvalidArgumentError(
      'config.grid_resolution',
      `the grid would have ${size.toExponential(2)} points (more than 2^53); lower grid_resolution or use QUASI_RANDOM_SEARCH`,
    );
  }
}

function oneOf(value: unknown, allowed: string[], field: string): void {
  if (typeof value !== 'string' || !allowed.includes(value)) {
    throw new InvalidArgumentError(field, `must be one of ${allowed.join(', ')} (got ${String(value)})`);
  }
}

function nonNegativeNumber(value: unknown, field: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new InvalidArgumentError(field, `must be a finite number >= 0 (got ${String(value)})`);
  }
}

function nonNegativeInteger(value: unknown, field: string): void {
  nonNegativeNumber(value, field);
  if (!Number.isSafeInteger(value)) {
    throw new InvalidArgumentError(field, `must be an integer between 0 and 2^53 - 1 (got ${String(value)})`);
  }
}

/** Which metrics a study optimises, which it only records and which bound its feasible region. */
import type { Measurement, MetricRole, MetricSpec, StudyConfig } from './types';

export function metricRole(m: MetricSpec): MetricRole {
  return m.role ?? 'OBJECTIVE';
}

/** The OBJECTIVE metrics in config order (the first metric is always one). */
export function objectiveMetrics(config: StudyConfig): MetricSpec[] {
  return config.metrics.filter((m) => metricRole(m) === 'OBJECTIVE');
}

export function constraintMetrics(config: StudyConfig): MetricSpec[] {
  return config.metrics.filter((m) => metricRole(m) === 'CONSTRAINT');
}

/** A metric's value turned so that larger is better (negated for MINIMIZE): how objectives are compared,
 *  modelled and measured by hypervolume, and how a constraint's feasible side is "above" its threshold. */
export function orientedValue(m: Pick<MetricSpec, 'goal'>, v: number): number {
  return m.goal === 'MAXIMIZE' ? v : -v;
}

/** Whether the study searches for a Pareto front (several objectives) or under constraints: GP_BANDIT
 *  then models each such metric with its own GP. */
export function isMultiMetric(config: StudyConfig): boolean {
  return objectiveMetrics(config).length > 1 || constraintMetrics(config).length > 0;
}

/** A constraint's value on the feasible side of its threshold. */
export function satisfiesConstraint(m: MetricSpec, value: number): boolean {
  const t = m.threshold ?? 0;
  return m.goal === 'MAXIMIZE' ? value >= t : value <= t;
}

/** Every constraint present, finite and satisfied. A measurement without a constraint's value is not
 *  known to be feasible, so it is not. */
export function isFeasible(config: StudyConfig, measurement: Measurement | undefined): boolean {
  for (const m of constraintMetrics(config)) {
    const v = measurement?.metrics[m.name];
    if (typeof v !== 'number' || !Number.isFinite(v) || !satisfiesConstraint(m, v)) return false;
  }
  return true;
}

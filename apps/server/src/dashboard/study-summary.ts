/** What the dashboard shows about a study and its trials, as plain JSON: the objective read the same
 *  way the service reads it (libs/core objectiveValue, bestTrials), curves reduced to the objective. */
import { bestTrials, metricRole, objectiveMetrics, objectiveValue } from '@hpo/core';
import type { StudyConfig, TrialState } from '@hpo/core';
import type { Assignment } from '@hpo/space';
import { studyState } from '../grpc/wire-mapping';
import type { StudyRecord, TrialRecord } from '../storage/storage';

export interface DashboardTrial {
  id: number;
  state: TrialState;
  parameters: Assignment;
  /** The final objective (SUCCEEDED), else the latest intermediate one, else null. */
  value: number | null;
  /** Whether `value` is final. */
  final: boolean;
  finalMetrics: Record<string, number> | null;
  /** [step, objective] of every intermediate report, in step order. */
  curve: Array<[number, number]>;
  lastStep: number;
  elapsedSeconds: number | null;
  clientId: string;
  statusReason: string;
  infeasibleReason: string;
  resumeFromStep: number;
  /** Training time reported at the step a thawed trial resumed from (the timeline's pause), else null. */
  resumeElapsedSeconds: number | null;
  note: string;
  createTime: number;
  startTime: number | null;
  completeTime: number | null;
}

export interface StudySummary {
  id: number;
  name: string;
  displayName: string;
  state: 'ACTIVE' | 'COMPLETED';
  algorithm: string;
  earlyStopping: string;
  /** The study's last step (early_stopping.max_step), 0 when unset. */
  maxStep: number;
  objective: { name: string; goal: string };
  metrics: Array<{ name: string; goal: string; role: string }>;
  counts: Record<TrialState, number>;
  done: number;
  active: number;
  paused: number;
  bestValue: number | null;
  bestTrialId: number | null;
  /** More than one metric: how many trials are on the Pareto front, and which. */
  paretoSize: number | null;
  paretoTrialIds: number[];
  maxTrials: number;
  createTime: number;
  lastActivity: number;
  llmTokensUsed: number;
  llmTokenBudget: number | null;
  llmEnabled: boolean;
  problemDescription: string;
}

export function trialToDashboard(config: StudyConfig, t: TrialRecord): DashboardTrial {
  const curve: Array<[number, number]> = [];
  for (const m of t.measurements) {
    const v = objectiveValue(config, m);
    if (v !== undefined) curve.push([m.step, v]);
  }
  const finalValue = t.state === 'SUCCEEDED' ? objectiveValue(config, t.finalMeasurement) : undefined;
  const latest = curve.length > 0 ? curve[curve.length - 1][1] : undefined;
  const lastMeasurement = t.finalMeasurement ?? t.measurements[t.measurements.length - 1];
  return {
    id: t.id,
    state: t.state,
    parameters: t.parameters,
    value: finalValue ?? latest ?? null,
    final: finalValue !== undefined,
    finalMetrics: t.finalMeasurement ? t.finalMeasurement.metrics : null,
    curve,
    lastStep: t.lastStep,
    elapsedSeconds: lastMeasurement ? lastMeasurement.elapsedSeconds : null,
    clientId: t.clientId,
    statusReason: t.statusReason,
    infeasibleReason: t.infeasibleReason,
    resumeFromStep: t.resumeFromStep,
    resumeElapsedSeconds: t.resumeFromStep > 0 ? (t.measurements.find((m) => m.step === t.resumeFromStep)?.elapsedSeconds ?? null) : null,
    note: t.note,
    createTime: t.createTime,
    startTime: t.startTime,
    completeTime: t.completeTime,
  };
}

export function summarizeStudy(study: StudyRecord, counts: Record<TrialState, number>, trials: TrialRecord[]): StudySummary {
  const { config } = study;
  const view = trials.map((t) => ({ id: t.id, state: t.state, parameters: t.parameters, finalMeasurement: t.finalMeasurement, measurements: [] }));
  const best = bestTrials({ config, trials: view });
  const single = objectiveMetrics(config).length === 1;
  const bestValue = single && best[0] ? (objectiveValue(config, best[0].finalMeasurement) ?? null) : null;
  let lastActivity = study.createdAt;
  for (const t of trials) lastActivity = Math.max(lastActivity, t.createTime, t.startTime ?? 0, t.completeTime ?? 0);
  return {
    id: study.id,
    name: `studies/${study.id}`,
    displayName: study.displayName,
    state: studyState(config, counts, trials.reduce((n, t) => n + Math.max(t.lastStep, 0), 0)),
    algorithm: config.algorithm,
    earlyStopping: config.earlyStopping.mode,
    maxStep: config.earlyStopping.maxStep,
    objective: { name: config.metrics[0].name, goal: config.metrics[0].goal },
    metrics: config.metrics.map((m) => ({ name: m.name, goal: m.goal, role: metricRole(m) })),
    counts,
    done: counts.SUCCEEDED + counts.INFEASIBLE + counts.EARLY_STOPPED,
    active: counts.ACTIVE + counts.STOPPING,
    paused: counts.PAUSED,
    bestValue,
    bestTrialId: single ? (best[0]?.id ?? null) : null,
    paretoSize: single ? null : best.length,
    paretoTrialIds: single ? [] : best.map((t) => t.id),
    maxTrials: config.maxTrials,
    createTime: study.createdAt,
    lastActivity,
    llmTokensUsed: study.llmTokensUsed,
    llmTokenBudget: config.llm?.enabled && config.llm.maxTokensTotal > 0 ? config.llm.maxTokensTotal : null,
    llmEnabled: config.llm?.enabled ?? false,
    problemDescription: config.problemDescription,
  };
}

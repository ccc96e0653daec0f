/** The "download" actions: a study's trials as CSV (one row a trial, one column a parameter or metric,
 *  like optuna's trials_dataframe) or as JSON (the study and every trial with its learning curve). */
import type { StudyConfig } from '@hpo/core';
import { flattenParameters } from '@hpo/space';
import type { TrialRecord } from '../storage/storage';

/** RFC 4180 quoting; a leading =, +, - or @ is prefixed with ' so a spreadsheet does not run it as a
 *  formula (CSV injection: notes and reasons are free text). */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  let s = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function isoTime(seconds: number | null): string {
  return seconds === null || seconds === 0 ? '' : new Date(seconds * 1000).toISOString();
}

export function trialsToCsv(config: StudyConfig, trials: TrialRecord[]): string {
  const params = flattenParameters({ parameters: config.parameters }).map((p) => p.name);
  const metrics = config.metrics.map((m) => m.name);
  const header = ['trial_id', 'state', ...params.map((p) => `param_${p}`), ...metrics.map((m) => `value_${m}`), 'last_step', 'intermediate_steps', 'create_time', 'start_time', 'complete_time', 'client_id', 'status_reason', 'infeasible_reason', 'note'];
  const rows = trials.map((t) => [
    t.id,
    t.state,
    ...params.map((p) => t.parameters[p]),
    ...metrics.map((m) => t.finalMeasurement?.metrics[m]),
    t.lastStep,
    t.measurements.length,
    isoTime(t.createTime),
    isoTime(t.startTime),
    isoTime(t.completeTime),
    t.clientId,
    t.statusReason,
    t.infeasibleReason,
    t.note,
  ]);
  return [header, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/** Tables (cli-table3) and CSV for studies and trials. */
import Table from 'cli-table3';
import type { Study, Trial } from '../../client-sdk/src';

/** A table; colours only on a terminal (not in pipes, files and CI logs). */
export function newTable(head: string[]): Table.Table {
  const plain = !process.stdout.isTTY;
  return new Table({ head, ...(plain ? { style: { head: [], border: [] } } : {}) });
}

export function formatTime(secondsSinceEpoch: number): string {
  return secondsSinceEpoch > 0 ? new Date(secondsSinceEpoch * 1000).toISOString().replace('T', ' ').slice(0, 19) : '';
}

export function formatNumber(value: number | undefined): string {
  if (value === undefined) return '';
  if (Number.isInteger(value)) return String(value);
  const abs = Math.abs(value);
  return abs !== 0 && (abs < 1e-3 || abs >= 1e6) ? value.toExponential(3) : value.toPrecision(4);
}

export function formatAssignment(parameters: Record<string, number | string>): string {
  return Object.entries(parameters)
    .map(([k, v]) => `${k}=${typeof v === 'number' ? formatNumber(v) : v}`)
    .join(' ');
}

export function studiesTable(studies: Study[]): string {
  const table = newTable(['name', 'display name', 'state', 'algorithm', 'early stopping', 'trials (done/active/paused)', 'created']);
  for (const s of studies) {
    const c = s.trialCounts;
    table.push([
      s.name,
      s.displayName,
      s.state,
      s.config.algorithm,
      s.config.earlyStopping.mode,
      `${c.succeeded + c.infeasible + c.failed}/${c.active}/${c.paused}`,
      formatTime(s.createTime),
    ]);
  }
  return table.toString();
}

/** The objective of a trial: its final value, else its last intermediate one (marked "~"). */
function objectiveCell(trial: Trial, objective: string): string {
  const final = trial.finalMeasurement?.metrics[objective];
  if (final !== undefined) return formatNumber(final);
  const last = trial.measurements[trial.measurements.length - 1]?.metrics[objective];
  return last === undefined ? '' : `~${formatNumber(last)}`;
}

export function trialsTable(study: Study, trials: Trial[]): string {
  const objective = study.config.metrics[0]?.name ?? '';
  const table = newTable(['id', 'state', objective, 'steps', 'parameters', 'client', 'reason']);
  for (const t of trials) {
    const last = t.measurements[t.measurements.length - 1];
    table.push([
      t.id,
      t.state,
      objectiveCell(t, objective),
      last ? String(last.step) : '',
      formatAssignment(t.parameters),
      t.clientId,
      t.infeasibleReason || t.statusReason,
    ]);
  }
  return table.toString();
}

/** RFC 4180: quote fields holding a comma, quote or line break; double the quotes inside. */
function csvField(value: string | number | undefined): string {
  const s = value === undefined ? '' : String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Parameter names in the order of the space, conditional children after their parents. */
function parameterNames(study: Study): string[] {
  const names: string[] = [];
  const visit = (p: Study['config']['parameters'][number]): void => {
    names.push(p.name);
    for (const c of p.children ?? []) visit(c.parameter);
  };
  study.config.parameters.forEach(visit);
  return names;
}

export function trialsCsv(study: Study, trials: Trial[]): string {
  const params = parameterNames(study);
  const metrics = study.config.metrics.map((m) => m.name);
  const header = ['trial_id', 'state', ...params, ...metrics, 'last_step', 'elapsed_seconds', 'client_id', 'infeasible_reason', 'create_time', 'complete_time'];
  const rows = trials.map((t) => {
    const last = t.measurements[t.measurements.length - 1];
    return [
      t.id,
      t.state,
      ...params.map((p) => t.parameters[p]),
      ...metrics.map((m) => t.finalMeasurement?.metrics[m]),
      last?.step,
      (t.finalMeasurement ?? last)?.elapsedSeconds,
      t.clientId,
      t.infeasibleReason,
      t.createTime || undefined,
      t.completeTime || undefined,
    ];
  });
  return [header, ...rows].map((row) => row.map(csvField).join(',')).join('\n') + '\n';
}

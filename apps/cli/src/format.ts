/** Tables (cli-table3) and CSV for studies and trials. */
import Table from 'cli-table3';
import type { ParameterSpec, Study, Trial } from '../../client-sdk/src';

/** A table; colours only on a terminal (not in pipes, files and CI logs). */
export function newTable(head: string[]): Table.Table {
  const plain = !process.stdout.isTTY;
  return new Table({ head, ...(plain ? { style: { head: [], border: [] } } : {}) });
}

/** ISO 8601 in UTC to the second, for tables ("2026-12-03T13:48:55Z"); '' for an unset time. */
export function formatTime(secondsSinceEpoch: number | null | undefined): string {
  return secondsSinceEpoch && secondsSinceEpoch > 0 ? new Date(secondsSinceEpoch * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z') : '';
}

/** ISO 8601 in UTC with milliseconds, for CSV (spreadsheets and pandas parse it); '' for an unset time. */
export function isoTime(secondsSinceEpoch: number | null | undefined): string {
  return secondsSinceEpoch && secondsSinceEpoch > 0 ? new Date(secondsSinceEpoch * 1000).toISOString() : '';
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
      `${c.succeeded + c.infeasible + c.failed + (c.earlyStopped ?? 0)}/${c.active}/${c.paused}`,
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

/** States as people read them; EARLY_STOPPED is "stopped early" (exports keep the enum name). */
export function stateLabel(state: string): string {
  return state === 'EARLY_STOPPED' ? 'stopped early' : state;
}

/** The metrics a table shows: every objective and constraint (tracked ones are in the export). */
function shownMetrics(study: Study): string[] {
  return study.config.metrics.filter((m) => (m.role ?? 'OBJECTIVE') !== 'TRACKED').map((m) => m.name);
}

/** `optimal`: the ids ListOptimalTrials returned (the best trial, or the feasible Pareto set), marked ★. */
export function trialsTable(study: Study, trials: Trial[], optimal: ReadonlySet<number> = new Set()): string {
  const metrics = shownMetrics(study);
  const table = newTable(['id', 'state', ...metrics, 'steps', 'parameters', 'origin', 'client', 'reason']);
  for (const t of trials) {
    const last = t.measurements[t.measurements.length - 1];
    table.push([
      optimal.has(t.id) ? `${t.id} ★` : t.id,
      stateLabel(t.state),
      ...metrics.map((m) => objectiveCell(t, m)),
      last ? String(last.step) : '',
      formatAssignment(t.parameters),
      originLabel(t.origin),
      t.clientId,
      t.infeasibleReason || t.statusReason,
    ]);
  }
  return table.toString();
}

/** LLM_WARM_START → "llm warm start"; nothing for trials stored before origins were recorded. */
export function originLabel(origin: Trial['origin']): string {
  return origin === 'ORIGIN_UNSPECIFIED' ? '' : origin.toLowerCase().replace(/_/g, ' ');
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

/** `optimal`: the ids ListOptimalTrials returned; the `optimal` column says whether each trial is one
 *  (the best trial, or a member of the feasible Pareto set). */
export function trialsCsv(study: Study, trials: Trial[], optimal: ReadonlySet<number> = new Set()): string {
  const params = parameterNames(study);
  const metrics = study.config.metrics.map((m) => m.name);
  const header = ['trial_id', 'state', ...params, ...metrics, 'optimal', 'last_step', 'elapsed_seconds', 'client_id', 'infeasible_reason', 'create_time', 'start_time', 'complete_time'];
  const rows = trials.map((t) => {
    const last = t.measurements[t.measurements.length - 1];
    return [
      t.id,
      t.state,
      ...params.map((p) => t.parameters[p]),
      ...metrics.map((m) => t.finalMeasurement?.metrics[m]),
      optimal.has(t.id) ? 'true' : 'false',
      last?.step,
      (t.finalMeasurement ?? last)?.elapsedSeconds,
      t.clientId,
      t.infeasibleReason,
      isoTime(t.createTime),
      isoTime(t.startTime),
      isoTime(t.completeTime),
    ];
  });
  return [header, ...rows].map((row) => row.map(csvField).join(',')).join('\n') + '\n';
}

/** Acquisition functions rank candidates only in the GP-based algorithms. */
const USES_ACQUISITION = new Set(['GP_BANDIT', 'LLM_GP_BANDIT']);

/** "objective", "objective, reference 2", "constraint ≤ 20", "tracked". */
function metricRoleLabel(m: Study['config']['metrics'][number]): string {
  const role = m.role ?? 'OBJECTIVE';
  if (role === 'CONSTRAINT') return `constraint ${m.goal === 'MAXIMIZE' ? '≥' : '≤'} ${formatNumber(m.threshold)}`;
  if (role === 'TRACKED') return 'tracked';
  return m.referencePoint !== undefined ? `objective, reference ${formatNumber(m.referencePoint)}` : 'objective';
}

/** One line a parameter: "lr  double  0.0001 .. 0.1 (log)"; conditional children indented under their
 *  parent, with the parent values they exist for. */
function parameterLines(p: ParameterSpec, indent = '', condition = ''): string[] {
  const range =
    p.type === 'CATEGORICAL'
      ? (p.categories ?? []).join(', ')
      : p.type === 'DISCRETE'
        ? (p.values ?? []).map(formatNumber).join(', ')
        : `${formatNumber(p.min)} .. ${formatNumber(p.max)}${p.scale === 'LOG' ? ' (log)' : ''}`;
  const prior = p.prior ? `  prior ${formatNumber(p.prior.center)} ± ${Math.round((p.prior.width ?? 0.15) * 100)} % of the range` : '';
  const lines = [`${indent}${p.name}  ${p.type.toLowerCase()}  ${range}${prior}${condition}`];
  for (const c of p.children ?? []) {
    const when = [...(c.parentCategories ?? []), ...(c.parentValues ?? []).map(formatNumber)].join(' or ');
    lines.push(...parameterLines(c.parameter, indent + '  ', `  (when ${p.name} = ${when})`));
  }
  return lines;
}

/** `hpo studies show`: aligned "key  value" lines; multi-line values continue under the value column. */
export function studyDetails(study: Study, optimal: Trial[]): string {
  const c = study.config;
  const counts = Object.entries(study.trialCounts)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${k}`)
    .join(', ');
  const rows: Array<[string, string[]]> = [
    ['name', [study.name]],
    ['display name', [study.displayName]],
    ['state', [study.state]],
    ['created', [formatTime(study.createTime)]],
    ['algorithm', [c.algorithm]],
  ];
  if (USES_ACQUISITION.has(c.algorithm)) rows.push(['acquisition', [c.acquisition]]);
  rows.push(['early stopping', [c.earlyStopping.mode + (c.earlyStopping.mode !== 'NONE' && c.earlyStopping.maxStep ? `, max step ${c.earlyStopping.maxStep}` : '')]]);
  rows.push(['metrics', c.metrics.map((m) => `${m.name}  ${m.goal.toLowerCase()}  (${metricRoleLabel(m)})`)]);
  rows.push(['parameters', c.parameters.flatMap((p) => parameterLines(p))]);
  rows.push(['max trials', [c.maxTrials ? String(c.maxTrials) : 'unlimited']]);
  rows.push(['max parallel', [c.maxParallel ? String(c.maxParallel) : 'unlimited']]);
  rows.push(['lease', [`${c.leaseSeconds || 300} s`]]);
  rows.push(['seed', [String(c.seed)]]);
  rows.push(['trials', [counts || 'none yet']]);
  if (c.problemDescription) rows.push(['problem', c.problemDescription.split('\n')]);
  for (const t of optimal) {
    const metrics = Object.entries(t.finalMeasurement?.metrics ?? {}).map(([k, v]) => `${k}=${formatNumber(v)}`).join(' ');
    rows.push([optimal.length > 1 ? 'pareto' : 'best', [`trial ${t.id}  ${metrics}  ${formatAssignment(t.parameters)}`]]);
  }
  const width = Math.max(...rows.map(([k]) => k.length)) + 2;
  return rows.flatMap(([key, values]) => values.map((v, i) => (i === 0 ? key.padEnd(width) : ' '.repeat(width)) + v)).join('\n') + '\n';
}

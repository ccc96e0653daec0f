/** The sortable trials table with the per-trial actions (stop, note). Clicking a header sorts by it;
 *  clicking it again reverses. Missing values sort last either way. Above it, the filters: states,
 *  parameter and objective ranges (also set by brushing the parallel coordinates). Times are ISO-8601
 *  in UTC. */
import { clear, h } from './dom';
import { fmtDuration, fmtNumber, fmtTime, fmtValue } from './format';
import { OBJECTIVE_KEY, Range, TrialFilter } from './trial-filter';
import { trialKind } from './trial-status';
import type { DashboardTrial, StudyDetail } from './types';

export interface TableActions {
  stop(trial: DashboardTrial): void;
  editNote(trial: DashboardTrial): void;
}

interface Column {
  key: string;
  label: string;
  value(t: DashboardTrial): number | string | null;
  render?(t: DashboardTrial): Node | string;
}

const STOPPABLE = new Set(['ACTIVE', 'PAUSED', 'REQUESTED']);
/** Rows drawn before "show all": a study with thousands of trials stays responsive while it refreshes. */
const ROW_LIMIT = 500;

export function compareValues(a: number | string | null, b: number | string | null, dir: 1 | -1): number {
  if (a === null || a === undefined) return b === null || b === undefined ? 0 : 1;
  if (b === null || b === undefined) return -1;
  if (typeof a === 'number' && typeof b === 'number') return (a - b) * dir;
  return String(a).localeCompare(String(b), undefined, { numeric: true }) * dir;
}

export class TrialsTable {
  private sortKey = 'id';
  private sortDir: 1 | -1 = 1;
  private detail?: StudyDetail;
  private showAll = false;
  /** Trials whose detail row is open (kept across refreshes). */
  private readonly open = new Set<number>();

  private readonly filterBar = h('div', { class: 'filters', id: 'trial-filters' });
  private readonly tableBox = h('div', { class: 'table-host', id: 'trials-table' });

  constructor(
    host: HTMLElement,
    private readonly actions: TableActions,
    private readonly filter: TrialFilter,
  ) {
    host.append(this.filterBar, this.tableBox);
    filter.onChange(() => this.render());
  }

  update(detail: StudyDetail): void {
    this.detail = detail;
    this.render();
  }

  private columns(detail: StudyDetail): Column[] {
    return [
      {
        key: 'id',
        label: '#',
        value: (t) => t.id,
        render: (t) => h('button', { class: 'link-button', 'aria-expanded': this.open.has(t.id) ? 'true' : 'false', title: 'details', onclick: () => this.toggle(t.id) }, `${this.open.has(t.id) ? '▾' : '▸'} ${t.id}`),
      },
      { key: 'state', label: 'State', value: (t) => t.state, render: (t) => h('span', { class: `badge kind-${trialKind(detail.study, t)}` }, t.state === 'EARLY_STOPPED' ? 'stopped early' : t.state) },
      { key: 'value', label: detail.study.objective.name, value: (t) => t.value, render: (t) => (t.final ? fmtNumber(t.value) : t.value === null ? '—' : `${fmtNumber(t.value)} (latest)`) },
      ...detail.parameters.map((p): Column => ({ key: `param:${p.name}`, label: p.name, value: (t) => t.parameters[p.name] ?? null, render: (t) => fmtValue(t.parameters[p.name]) })),
      // lastStep is -1 before the first report.
      { key: 'step', label: 'Step', value: (t) => (t.lastStep >= 0 ? t.lastStep : null) },
      { key: 'started', label: 'Started (UTC)', value: (t) => t.startTime, render: (t) => fmtTime(t.startTime) },
      { key: 'duration', label: 'Duration', value: (t) => duration(t), render: (t) => fmtDuration(duration(t)) },
      { key: 'worker', label: 'Worker', value: (t) => t.clientId || null, render: (t) => t.clientId },
      { key: 'reason', label: 'Reason', value: (t) => t.statusReason || t.infeasibleReason || null, render: (t) => t.statusReason || t.infeasibleReason },
      { key: 'note', label: 'Note', value: (t) => t.note || null, render: (t) => t.note },
    ];
  }

  private render(): void {
    const detail = this.detail;
    if (!detail) return;
    const columns = this.columns(detail);
    const col = columns.find((c) => c.key === this.sortKey) ?? columns[0];
    this.renderFilters(detail);
    const rows = detail.trials.filter((t) => this.filter.matches(t)).sort((a, b) => compareValues(col.value(a), col.value(b), this.sortDir) || a.id - b.id);
    const head = h(
      'tr',
      {},
      ...columns.map((c) =>
        h(
          'th',
          {
            'data-key': c.key,
            'aria-sort': c.key === this.sortKey ? (this.sortDir === 1 ? 'ascending' : 'descending') : undefined,
            onclick: () => this.sortBy(c.key),
            tabindex: 0,
            onkeydown: (e: Event) => {
              const key = (e as KeyboardEvent).key;
              if (key !== 'Enter' && key !== ' ') return;
              e.preventDefault();
              this.sortBy(c.key);
              (this.tableBox.querySelector(`th[data-key="${c.key}"]`) as HTMLElement | null)?.focus();
            },
          },
          c.label + (c.key === this.sortKey ? (this.sortDir === 1 ? ' ▲' : ' ▼') : ''),
        ),
      ),
      h('th', {}, 'Actions'),
    );
    const body = h('tbody');
    const shown = this.showAll ? rows : rows.slice(0, ROW_LIMIT);
    for (const t of shown) {
      const actions = h('td', { class: 'actions' });
      if (STOPPABLE.has(t.state)) actions.append(h('button', { class: 'stop', 'data-trial': t.id, onclick: () => this.actions.stop(t) }, 'Stop'));
      actions.append(h('button', { class: 'note', 'data-trial': t.id, onclick: () => this.actions.editNote(t) }, 'Note'));
      body.append(h('tr', { 'data-trial': t.id }, ...columns.map((c) => h('td', { 'data-key': c.key }, c.render ? c.render(t) : fmtValue(c.value(t) ?? undefined))), actions));
      if (this.open.has(t.id)) body.append(h('tr', { class: 'detail', 'data-detail': t.id }, h('td', { colspan: columns.length + 1 }, trialDetail(t))));
    }
    clear(this.tableBox);
    this.tableBox.append(h('table', { class: 'trials' }, h('thead', {}, head), body));
    if (rows.length === 0) this.tableBox.append(h('p', { class: 'muted', id: 'no-match' }, 'No trial matches the filters.'));
    if (shown.length < rows.length) {
      const more = () => {
        this.showAll = true;
        this.render();
      };
      this.tableBox.append(h('p', { class: 'muted small' }, `${rows.length - shown.length} more trials in this order. `, h('button', { onclick: more }, 'Show all')));
    }
  }

  /** State checkboxes (the states present), active ranges as removable chips, and the range form
   *  (built once, so what is typed survives the live refresh). */
  private renderFilters(detail: StudyDetail): void {
    const f = this.filter;
    if (!this.rangeForm) {
      this.rangeForm = this.buildRangeForm();
      this.filterBar.append(this.statesBox, this.rangeForm, this.chipsBox);
    }
    const names = new Map<string, string>([...detail.parameters.map((p): [string, string] => [p.name, p.name]), [OBJECTIVE_KEY, detail.study.objective.name]]);
    const keys = [...detail.parameters.filter((p) => p.type !== 'CATEGORICAL').map((p) => p.name), OBJECTIVE_KEY];
    const which = this.rangeForm.querySelector('select') as HTMLSelectElement;
    if (which.options.length !== keys.length) {
      clear(which);
      for (const k of keys) which.append(h('option', { value: k }, names.get(k) ?? k));
    }
    const counts = new Map<string, number>();
    for (const t of detail.trials) counts.set(t.state, (counts.get(t.state) ?? 0) + 1);
    const states = this.statesBox;
    clear(states);
    states.append(h('span', { class: 'muted small' }, 'State: '));
    for (const [state, n] of [...counts].sort()) {
      const box = h('input', { type: 'checkbox', id: `state-${state}`, checked: f.states.has(state), 'data-state': state });
      box.addEventListener('change', () => f.toggleState(state, box.checked));
      states.append(h('label', { class: 'chip-check' }, box, ` ${state === 'EARLY_STOPPED' ? 'stopped early' : state.toLowerCase()} (${n})`));
    }
    const chips = this.chipsBox;
    clear(chips);
    for (const [key, r] of f.ranges) {
      const name = names.get(key) ?? key;
      chips.append(h('span', { class: 'chip', 'data-range': name }, `${name} ${describeRange(r)} `, h('button', { class: 'chip-x', title: 'remove this filter', 'aria-label': `remove filter on ${name}`, onclick: () => f.setRange(key, undefined) }, '×')));
    }
    const shown = detail.trials.filter((t) => f.matches(t)).length;
    const count = f.active ? h('span', { class: 'muted small', id: 'filter-count' }, `${shown} of ${detail.trials.length} trials `, h('button', { class: 'link-button', id: 'clear-filters', onclick: () => f.clear() }, 'clear filters')) : '';
    chips.append(count);
  }

  private rangeForm?: HTMLFormElement;
  private readonly statesBox = h('span', { class: 'filter-states' });
  private readonly chipsBox = h('span', { class: 'filter-chips' });

  private buildRangeForm(): HTMLFormElement {
    const which = h('select', { id: 'range-param', 'aria-label': 'filter parameter' });
    const lo = h('input', { id: 'range-lo', type: 'number', step: 'any', placeholder: 'min', class: 'range-input', 'aria-label': 'minimum' });
    const hi = h('input', { id: 'range-hi', type: 'number', step: 'any', placeholder: 'max', class: 'range-input', 'aria-label': 'maximum' });
    const form = h('form', { class: 'range-form' }, which, ' ', lo, ' to ', hi, ' ', h('button', { type: 'submit', id: 'range-add' }, 'Filter'));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const a = lo.value === '' ? -Infinity : Number(lo.value);
      const b = hi.value === '' ? Infinity : Number(hi.value);
      if (Number.isNaN(a) || Number.isNaN(b) || (a === -Infinity && b === Infinity)) return;
      lo.value = '';
      hi.value = '';
      this.filter.setRange(which.value, { kind: 'range', lo: Math.min(a, b), hi: Math.max(a, b) });
    });
    return form;
  }

  private toggle(id: number): void {
    if (!this.open.delete(id)) this.open.add(id);
    this.render();
  }

  private sortBy(key: string): void {
    if (this.sortKey === key) this.sortDir = this.sortDir === 1 ? -1 : 1;
    else {
      this.sortKey = key;
      this.sortDir = 1;
    }
    this.render();
  }
}

function duration(t: DashboardTrial): number | null {
  if (t.startTime === null) return null;
  const end = t.completeTime ?? (t.state === 'ACTIVE' ? Date.now() / 1000 : null);
  return end === null ? null : end - t.startTime;
}

function describeRange(r: Range): string {
  if (r.kind === 'categories') return `in {${r.values.join(', ')}}`;
  if (r.lo === -Infinity) return `≤ ${fmtNumber(r.hi)}`;
  if (r.hi === Infinity) return `≥ ${fmtNumber(r.lo)}`;
  return `in [${fmtNumber(r.lo)}, ${fmtNumber(r.hi)}]`;
}

/** Everything known about one trial: all final metrics, times, worker, reasons, the intermediate values. */
function trialDetail(t: DashboardTrial): HTMLElement {
  const row = (label: string, value: string) => h('div', { class: 'kv' }, h('span', { class: 'muted' }, label), h('span', {}, value));
  const metrics = t.finalMetrics ? Object.entries(t.finalMetrics).map(([k, v]) => `${k}=${fmtNumber(v)}`).join(', ') : '—';
  const curve = t.curve.length > 0 ? t.curve.map(([s, v]) => `${s}: ${fmtNumber(v)}`).join('  ·  ') : '—';
  return h(
    'div',
    { class: 'trial-detail' },
    row('final metrics', metrics),
    row('parameters', Object.entries(t.parameters).map(([k, v]) => `${k}=${fmtValue(v)}`).join(', ')),
    row('worker (client id)', t.clientId || '—'),
    row('created / started / completed', `${fmtTime(t.createTime)} / ${fmtTime(t.startTime)} / ${fmtTime(t.completeTime)}`),
    row('training time reported', t.elapsedSeconds === null ? '—' : `${fmtNumber(t.elapsedSeconds)} s`),
    row('resume from step', t.resumeFromStep > 0 ? String(t.resumeFromStep) : '—'),
    row('status reason', t.statusReason || '—'),
    t.infeasibleReason ? row('infeasible because', t.infeasibleReason) : '',
    row('note', t.note || '—'),
    row(`intermediate values (${t.curve.length})`, curve),
  );
}

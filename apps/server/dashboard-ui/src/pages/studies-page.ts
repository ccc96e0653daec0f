/** The studies list: state, algorithm, trials done/active/paused, best value, last activity, LLM
 *  tokens; a search box; refreshed every few seconds. */
import { getJson } from '../api';
import { clear, h } from '../dom';
import { fmtAgo, fmtNumber } from '../format';
import type { StudySummary } from '../types';

const REFRESH_MS = 5000;

export function studiesPage(root: HTMLElement, onError: (e: unknown) => void): () => void {
  let query = '';
  let timer: number | undefined;
  let stopped = false;
  const search = h('input', { type: 'search', placeholder: 'Search studies (name, algorithm, description)', class: 'search', 'aria-label': 'search studies' });
  const tableHost = h('div', { class: 'table-host' });
  root.append(h('section', { class: 'panel' }, h('div', { class: 'panel-head' }, h('h2', {}, 'Studies'), search), tableHost));

  const load = async (): Promise<void> => {
    window.clearTimeout(timer);
    try {
      const { studies, truncated } = await getJson<{ studies: StudySummary[]; truncated: boolean }>(`/api/studies?q=${encodeURIComponent(query)}`);
      if (stopped) return;
      renderTable(tableHost, studies, truncated);
    } catch (e) {
      onError(e);
    }
    if (!stopped) timer = window.setTimeout(load, REFRESH_MS);
  };
  let debounce: number | undefined;
  search.addEventListener('input', () => {
    window.clearTimeout(debounce);
    debounce = window.setTimeout(() => {
      query = search.value;
      void load();
    }, 200);
  });
  void load();
  return () => {
    stopped = true;
    window.clearTimeout(timer);
  };
}

function renderTable(host: HTMLElement, studies: StudySummary[], truncated: boolean): void {
  clear(host);
  if (studies.length === 0) {
    host.append(h('p', { class: 'muted' }, 'No study yet. Create one with the SDK or `hpo studies create`.'));
    return;
  }
  const head = h('tr', {}, ...['Study', 'State', 'Algorithm', 'Early stopping', 'Done', 'Active', 'Paused', 'Best', 'Last activity', 'LLM tokens'].map((l) => h('th', {}, l)));
  const body = h('tbody');
  for (const s of studies) {
    const best = s.bestValue !== null ? `${fmtNumber(s.bestValue)} (#${s.bestTrialId})` : s.paretoSize !== null ? `${s.paretoSize} on Pareto front` : '—';
    body.append(
      h(
        'tr',
        { class: 'study-row', 'data-study': s.id },
        h('td', {}, h('a', { href: `#/studies/${s.id}` }, s.displayName), h('div', { class: 'muted small' }, s.name)),
        h('td', {}, h('span', { class: `badge state-${s.state.toLowerCase()}` }, s.state)),
        h('td', {}, s.algorithm),
        h('td', {}, s.earlyStopping),
        h('td', {}, s.maxTrials > 0 ? `${s.done} / ${s.maxTrials}` : String(s.done)),
        h('td', {}, String(s.active)),
        h('td', {}, String(s.paused)),
        h('td', {}, `${best} ${s.objective.goal === 'MAXIMIZE' ? '↑' : '↓'}`),
        h('td', { title: new Date(s.lastActivity * 1000).toISOString() }, fmtAgo(s.lastActivity)),
        h('td', {}, s.llmEnabled ? String(s.llmTokensUsed) : '—'),
      ),
    );
  }
  host.append(h('table', { class: 'studies' }, h('thead', {}, head), body));
  if (truncated) host.append(h('p', { class: 'muted small' }, 'Only the newest studies were searched; narrow the search.'));
}

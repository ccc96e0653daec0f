/** A study: summary and LLM usage, optimisation history, learning curves, parallel coordinates (with
 *  brushing), hyperparameter importance with interactions, contour and rank of two parameters, the
 *  timeline of trials by worker, the objective's distribution (EDF), slices and the trials table with
 *  its filters and actions. Polls while the study runs (every 2 s, slower once it is complete or the
 *  tab is hidden). A study that does not exist (or is another tenant's) gets a not-found page. */
import { ApiError, download, getJsonAndText, sendJson } from '../api';
import { CurvesChart } from '../charts/curves-chart';
import { renderEdf } from '../charts/edf';
import { HistoryChart } from '../charts/history-chart';
import { renderImportance } from '../charts/importance';
import { PairwisePlots } from '../charts/pairwise';
import { renderParallelCoordinates } from '../charts/parallel-coordinates';
import { renderParetoFront } from '../charts/pareto-front';
import { renderSlices } from '../charts/slices';
import { renderTimeline } from '../charts/timeline';
import { TrialFilter } from '../trial-filter';
import { clear, h } from '../dom';
import { fmtAgo, fmtNumber } from '../format';
import { KIND_COLORS, TrialKind } from '../trial-status';
import { TrialsTable } from '../trials-table';
import type { DashboardTrial, StudyDetail } from '../types';

const LIVE_MS = 2000;
const IDLE_MS = 10_000;
/** A refresh may take at most this share of the time (fetch + draw): a study with thousands of trials
 *  is polled less often instead of keeping the server and the tab busy. */
const MAX_BUSY_SHARE = 0.1;

function panel(title: string, body: HTMLElement, extra?: HTMLElement): HTMLElement {
  return h('section', { class: 'panel' }, h('div', { class: 'panel-head' }, h('h2', {}, title), extra), body);
}

export function studyPage(root: HTMLElement, studyId: number, onError: (e: unknown) => void): () => void {
  let stopped = false;
  let timer: number | undefined;
  const summary = h('div', { class: 'summary' });
  const status = h('span', { class: 'muted small live' });
  const historyHost = h('div', { class: 'chart', id: 'history-chart' });
  const curvesHost = h('div', { class: 'chart', id: 'curves-chart' });
  const parcoordsHost = h('div', { class: 'chart', id: 'parcoords' });
  const importanceHost = h('div', { id: 'importance' });
  const slicesHost = h('div', { id: 'slices' });
  const pairwiseHost = h('div', { id: 'pairwise' });
  const timelineHost = h('div', { class: 'chart', id: 'timeline' });
  const edfHost = h('div', { id: 'edf' });
  const filter = new TrialFilter();
  const pairwise = new PairwisePlots(pairwiseHost);
  const paretoHost = h('div', { id: 'pareto-front' });
  const paretoPanel = panel('Pareto front (first two objectives) and hypervolume', paretoHost);
  paretoPanel.hidden = true;
  const tableHost = h('div', { id: 'trials' });
  const history = new HistoryChart(historyHost, () => performance.mark('hpo:first-chart'));
  const curves = new CurvesChart(curvesHost);
  const legend = h('div', { class: 'legend' }, ...(Object.keys(KIND_COLORS) as TrialKind[]).map((k) => h('span', { class: 'legend-item' }, h('i', { style: `background:${KIND_COLORS[k]}` }), k)));

  const act = async (work: () => Promise<unknown>): Promise<void> => {
    try {
      await work();
      await load();
    } catch (e) {
      onError(e);
    }
  };
  const table = new TrialsTable(
    tableHost,
    {
    stop: (t: DashboardTrial) => {
      if (!window.confirm(`Stop trial ${t.id}? Its worker is told STOP at its next report.`)) return;
      void act(() => sendJson('POST', `/api/studies/${studyId}/trials/${t.id}/stop`, {}));
    },
    editNote: (t: DashboardTrial) => {
      const note = window.prompt(`Note for trial ${t.id}`, t.note);
      if (note === null) return;
      void act(() => sendJson('PUT', `/api/studies/${studyId}/trials/${t.id}/note`, { note }));
    },
    },
    filter,
  );
  filter.onChange(() => {
    if (lastDetail) renderParallelCoordinates(parcoordsHost, lastDetail, filter);
  });
  const downloads = h(
    'span',
    { class: 'downloads' },
    h('button', { id: 'download-csv', onclick: () => void download(`/api/studies/${studyId}/export.csv`).catch(onError) }, 'Download CSV'),
    h('button', { id: 'download-json', onclick: () => void download(`/api/studies/${studyId}/export.json`).catch(onError) }, 'Download JSON'),
  );

  const back = h('p', {}, h('a', { href: '#/' }, '← all studies'));
  const body = h(
    'div',
    { id: 'study-body' },
    // With several objectives the front is the study's main view, so it comes first.
    paretoPanel,
    h(
      'div',
      { class: 'grid' },
      panel('Optimisation history', historyHost),
      panel('Learning curves', curvesHost, legend),
      panel('Parallel coordinates', parcoordsHost, h('span', { class: 'muted small' }, 'drag along an axis to filter the trials; click it to clear')),
      panel('Hyperparameter importance', importanceHost),
    ),
    panel('Two parameters: contour and rank', pairwiseHost),
    panel('Timeline: trials over wall time by worker', timelineHost, timelineLegend()),
    h('div', { class: 'grid' }, panel('Empirical distribution of the objective (EDF)', edfHost), panel('Slices: objective against each parameter', slicesHost)),
    panel('Trials', tableHost, h('span', {}, downloads, status)),
  );
  body.hidden = true;
  root.append(back, summary, body);

  const notFound = (): void => {
    stopped = true;
    window.clearTimeout(timer);
    clear(root);
    root.append(
      h(
        'section',
        { class: 'panel not-found', id: 'not-found' },
        h('h1', {}, `Study ${studyId} not found`),
        h('p', {}, `There is no study studies/${studyId} for ${document.getElementById('session')?.textContent?.startsWith('tenant') ? 'this tenant' : 'this server'}: it may have been deleted, or belong to another tenant.`),
        h('p', {}, h('a', { href: '#/' }, '← all studies')),
      ),
    );
  };

  let lastDetail: StudyDetail | undefined;
  let lastText = '';
  /** Draws every view: the summary and the history first (the first time, painted before the rest). */
  const draw = async (detail: StudyDetail): Promise<void> => {
    const first = lastDetail === undefined;
    lastDetail = detail;
    document.getElementById('error')?.remove();
    body.hidden = false;
    renderSummary(summary, detail);
    history.update(detail.study, detail.trials);
    if (first) await new Promise((resolve) => setTimeout(resolve, 0));
    if (stopped) return;
    timed('curves', () => curves.update(detail.study, detail.trials));
    timed('parcoords', () => renderParallelCoordinates(parcoordsHost, detail, filter));
    timed('importance', () => renderImportance(importanceHost, detail));
    timed('pairwise', () => pairwise.update(detail));
    timed('timeline', () => renderTimeline(timelineHost, detail));
    timed('edf', () => renderEdf(edfHost, detail));
    timed('slices', () => renderSlices(slicesHost, detail));
    paretoPanel.hidden = detail.study.metrics.filter((m) => m.role === 'OBJECTIVE').length < 2;
    if (!paretoPanel.hidden) renderParetoFront(paretoHost, detail);
    timed('table', () => table.update(detail));
    // The first complete page: the frame after every view was drawn.
    if (first) requestAnimationFrame(() => setTimeout(() => performance.mark('hpo:page-drawn'), 0));
  };

  const load = async (): Promise<void> => {
    window.clearTimeout(timer);
    const started = performance.now();
    try {
      const { value: detail, text } = await getJsonAndText<StudyDetail>(`/api/studies/${studyId}`);
      if (stopped) return;
      // The same reply as last time (a finished or idle study): every view stays as drawn.
      if (text !== lastText) {
        lastText = text;
        await draw(detail);
      }
      status.textContent = `updated ${new Date().toLocaleTimeString()}${detail.study.state === 'ACTIVE' ? ' · live' : ''}`;
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) {
        notFound();
        return;
      }
      onError(e);
    }
    if (stopped) return;
    const live = lastDetail?.study.state === 'ACTIVE' && !document.hidden;
    const busy = (performance.now() - started) / MAX_BUSY_SHARE;
    timer = window.setTimeout(load, Math.max(live ? LIVE_MS : IDLE_MS, busy));
  };
  const onResize = (): void => {
    history.resize();
    curves.resize();
    if (lastDetail) {
      renderParallelCoordinates(parcoordsHost, lastDetail, filter);
      renderTimeline(timelineHost, lastDetail);
    }
  };
  const onVisible = (): void => {
    if (!document.hidden) void load();
  };
  window.addEventListener('resize', onResize);
  document.addEventListener('visibilitychange', onVisible);
  void load();
  return () => {
    stopped = true;
    window.clearTimeout(timer);
    window.removeEventListener('resize', onResize);
    document.removeEventListener('visibilitychange', onVisible);
    history.destroy();
    curves.destroy();
  };
}

/** Runs one view's drawing and records how long it took as a performance measure (hpo:draw:NAME),
 *  which the browser test prints for a large study. */
function timed(name: string, draw: () => void): void {
  const start = performance.now();
  draw();
  performance.measure(`hpo:draw:${name}`, { start, end: performance.now() });
}

function timelineLegend(): HTMLElement {
  const item = (label: string, color: string, dashed = false) =>
    h('span', { class: 'legend-item' }, h('i', { style: dashed ? `border-top:2px dashed ${color};height:0` : `background:${color};height:8px` }), label);
  return h('div', { class: 'legend' }, item('completed', KIND_COLORS.completed), item('stopped early', KIND_COLORS.stopped), item('running', KIND_COLORS.running), item('paused', KIND_COLORS.paused, true), item('failed', KIND_COLORS.failed));
}

function renderSummary(host: HTMLElement, d: StudyDetail): void {
  const s = d.study;
  clear(host);
  const best = s.bestValue !== null ? `${fmtNumber(s.bestValue)} (trial ${s.bestTrialId})` : s.paretoSize !== null ? `${s.paretoSize} trials on the Pareto front` : '—';
  const llm = s.llmEnabled
    ? h(
        'div',
        { class: 'card', id: 'llm-usage' },
        h('div', { class: 'muted small' }, 'LLM tokens'),
        h('div', { class: 'big' }, s.llmTokenBudget ? `${s.llmTokensUsed} / ${s.llmTokenBudget}` : String(s.llmTokensUsed)),
        s.llmTokenBudget ? h('div', { class: 'bar-track' }, h('span', { class: 'bar-fill', style: `width:${Math.min(100, (100 * s.llmTokensUsed) / s.llmTokenBudget).toFixed(1)}%` })) : null,
      )
    : h('div', { class: 'card', id: 'llm-usage' }, h('div', { class: 'muted small' }, 'LLM tokens'), h('div', { class: 'big' }, `${s.llmTokensUsed}`), h('div', { class: 'muted small' }, 'LLM assistance off'));
  const card = (label: string, value: string) => h('div', { class: 'card' }, h('div', { class: 'muted small' }, label), h('div', { class: 'big' }, value));
  host.append(
    h('h1', { id: 'study-title' }, s.displayName, ' ', h('span', { class: `badge state-${s.state.toLowerCase()}` }, s.state)),
    h('p', { class: 'muted' }, `${s.name} · ${s.algorithm} · early stopping ${s.earlyStopping} · ${s.objective.goal === 'MAXIMIZE' ? 'maximise' : 'minimise'} ${s.objective.name} · created ${fmtAgo(s.createTime)}`),
    s.problemDescription ? h('p', { class: 'description' }, s.problemDescription) : '',
    h(
      'div',
      { class: 'cards' },
      card(`Best ${s.objective.name}`, best),
      card('Done', s.maxTrials > 0 ? `${s.done} / ${s.maxTrials}` : String(s.done)),
      card('Active', String(s.active)),
      card('Paused', String(s.paused)),
      card('Stopped early', String(s.counts.EARLY_STOPPED ?? 0)),
      card('Failed', String(s.counts.FAILED)),
      card('Last activity', fmtAgo(s.lastActivity)),
      llm,
    ),
  );
}

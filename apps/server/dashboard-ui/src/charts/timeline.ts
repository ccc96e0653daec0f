/** Trials over wall time, one row per worker (the client id that last held the trial), as in
 *  optuna-dashboard's timeline: bars where a trial trained, coloured by what became of it (completed,
 *  stopped early, running, failed), a thin dashed orange line while it was paused. Pause intervals are
 *  inferred from the trial's reported training time (cumulative over resumptions, as the SDKs report
 *  it): trained until the step it was resumed from, then paused until the rest of its training time
 *  before the end. Times in UTC. */
import { clear, h, svg } from '../dom';
import { fmtNumber, isoTime } from '../format';
import type { Tick } from '../scale';
import { KIND_COLORS, trialKind } from '../trial-status';
import type { DashboardTrial, StudyDetail } from '../types';
import { drawAxes, Frame, px } from './svg-axes';

export type Segment = { from: number; to: number; kind: 'run' | 'paused' };

const LANE = 12;
const LEFT = 96;

/** The trial's running and paused intervals in wall time (seconds since the epoch); a trial still
 *  paused is drawn paused until `pausedUntil` (the study's last activity: a finished study's paused
 *  trials do not stretch to today). */
export function trialSegments(t: DashboardTrial, now: number, pausedUntil = now): Segment[] {
  const start = t.startTime ?? t.createTime;
  const end = t.completeTime ?? now;
  const last = t.elapsedSeconds ?? undefined;
  if (t.state === 'PAUSED') {
    const ran = Math.min(end, start + (last ?? 0));
    return [
      { from: start, to: ran, kind: 'run' },
      { from: ran, to: Math.max(ran, Math.min(now, pausedUntil)), kind: 'paused' },
    ];
  }
  if (t.resumeFromStep > 0 && last !== undefined) {
    const before = t.resumeElapsedSeconds ?? 0;
    const pauseFrom = Math.min(end, start + before);
    const resumedAt = Math.max(pauseFrom, end - Math.max(0, last - before));
    return [
      { from: start, to: pauseFrom, kind: 'run' },
      { from: pauseFrom, to: resumedAt, kind: 'paused' },
      { from: resumedAt, to: end, kind: 'run' },
    ];
  }
  return [{ from: start, to: Math.max(start, end), kind: 'run' }];
}

/** Round wall-time ticks (10 s … 1 day) over [lo, hi], labelled HH:MM (UTC). */
export function timeTicks(lo: number, hi: number, count = 6): Array<[number, string]> {
  const steps = [10, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];
  const step = steps.find((s) => (hi - lo) / s <= count) ?? 86400;
  const out: Array<[number, string]> = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi; v += step) {
    const iso = new Date(v * 1000).toISOString();
    out.push([v, step < 60 ? iso.slice(11, 19) : step >= 86400 ? iso.slice(5, 10) : iso.slice(11, 16)]);
  }
  return out;
}

export function renderTimeline(host: HTMLElement, detail: StudyDetail, now = Date.now() / 1000): void {
  clear(host);
  const trials = detail.trials.filter((t) => t.startTime !== null || t.state !== 'REQUESTED');
  if (trials.length === 0) {
    host.append(h('p', { class: 'muted' }, 'No trial has started yet.'));
    return;
  }
  const segs = new Map(trials.map((t) => [t.id, trialSegments(t, now, detail.study.lastActivity)]));
  let lo = Infinity;
  let hi = -Infinity;
  for (const ss of segs.values()) for (const s of ss) {
    lo = Math.min(lo, s.from);
    hi = Math.max(hi, s.to);
  }
  if (!(hi > lo)) hi = lo + 60;
  // Rows: workers in order of first start; lanes within a worker for trials that overlap in time.
  const byWorker = new Map<string, DashboardTrial[]>();
  for (const t of [...trials].sort((a, b) => segs.get(a.id)![0].from - segs.get(b.id)![0].from || a.id - b.id)) {
    const w = t.clientId || '(no worker)';
    byWorker.set(w, [...(byWorker.get(w) ?? []), t]);
  }
  const placed: Array<{ t: DashboardTrial; row: number }> = [];
  const rowLabels: Array<[number, number, string]> = [];
  let row = 0;
  for (const [worker, list] of byWorker) {
    const laneEnds: number[] = [];
    for (const t of list) {
      const ss = segs.get(t.id)!;
      let lane = laneEnds.findIndex((e) => e <= ss[0].from);
      if (lane < 0) lane = laneEnds.push(0) - 1;
      laneEnds[lane] = ss[ss.length - 1].to;
      placed.push({ t, row: row + lane });
    }
    rowLabels.push([row, laneEnds.length, worker]);
    row += laneEnds.length;
  }
  const width = Math.max(520, host.clientWidth || 900);
  const frame: Frame = { left: LEFT, top: 8, width: width - LEFT - 16, height: Math.max(LANE * 3, row * LANE + 4) };
  const H = frame.top + frame.height + 40;
  const x = (v: number) => px(frame, (v - lo) / (hi - lo));
  const root = svg('svg', { width, height: H, viewBox: `0 0 ${width} ${H}`, class: 'timeline', role: 'img', 'aria-label': 'trials over wall time by worker' });
  const ticks: Tick[] = timeTicks(lo, hi).map(([v, label]) => [(v - lo) / (hi - lo), label]);
  root.append(drawAxes(frame, { kind: 'linear', ticks, position: () => null, invert: () => undefined }, null, 'wall time (UTC)', ''));
  for (const [first, lanes, worker] of rowLabels) {
    const y = frame.top + 2 + first * LANE;
    if (first > 0) root.append(svg('line', { x1: frame.left, x2: frame.left + frame.width, y1: y - 1, y2: y - 1, stroke: '#e3e6ec' }));
    root.append(svg('text', { x: LEFT - 6, y: y + (lanes * LANE) / 2 + 3.5, 'text-anchor': 'end', class: 'tick' }, worker.length > 15 ? `${worker.slice(0, 14)}…` : worker));
  }
  for (const { t, row: r } of placed) {
    const kind = trialKind(detail.study, t);
    const color = KIND_COLORS[kind === 'paused' ? 'paused' : kind];
    const y = frame.top + 2 + r * LANE;
    const g = svg('g', { class: `trial-bar kind-${kind}`, 'data-trial': t.id });
    for (const s of segs.get(t.id)!) {
      if (s.kind === 'paused') g.append(svg('line', { x1: x(s.from), x2: x(s.to), y1: y + LANE / 2 - 1, y2: y + LANE / 2 - 1, stroke: KIND_COLORS.paused, 'stroke-width': 2, 'stroke-dasharray': '3 2', class: 'paused' }));
      else g.append(svg('rect', { x: x(s.from), y: y + 1, width: Math.max(1.5, x(s.to) - x(s.from)), height: LANE - 3, fill: color, rx: 1.5, class: 'run' }));
    }
    const start = segs.get(t.id)![0].from;
    g.append(svg('title', {}, `trial ${t.id} (${t.state === 'EARLY_STOPPED' ? 'stopped early' : t.state}) on ${t.clientId || '—'}: started ${isoTime(start)}${t.completeTime ? `, ended ${isoTime(t.completeTime)}` : ''}${t.value !== null ? `; ${fmtNumber(t.value)}` : ''}`));
    root.append(g);
  }
  host.append(root);
}

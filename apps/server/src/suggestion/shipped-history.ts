/** A study's history goes to a policy thread as a delta, not whole: each thread keeps the trials it was
 *  last sent for a study, and a suggestion request carries only the trials that changed since then. At
 *  20,000 trials, cloning the whole history into the thread (and collecting it there) was most of a
 *  cycle's cost, and it grew with every trial.
 *
 *  The server does not know which thread a task lands on, so a delta is relative to the oldest of the
 *  last few versions it sent (`base`): it holds every trial that changed since, so any thread holding
 *  `base` or a later version rebuilds the current history from it. A thread holding nothing for the
 *  study, or an older version, answers `needHistory` and is sent the whole history once. Versions come
 *  from one counter per process, so a thread never mistakes another lineage of a study's history (the
 *  server dropped it and started again) for its own.
 *
 *  Identity tells what changed: the server's held history (storage/study-history.ts) hands out the same
 *  record for a finished trial on every read, and a new one for anything read again. */
import type { StudyView, SuggestRequest, TrialView } from '@hpo/core';

/** Versions a delta reaches back over (a thread that missed more is sent the whole history). */
const MAX_VERSIONS_BACK = 8;
/** Studies whose history a replica (and each policy thread) keeps, least recently used dropped first. */
const MAX_STUDIES = 64;

/** What the server says about a request's history: `base` undefined means it is sent whole. */
export interface HistoryRef {
  key: string;
  version: number;
  base?: number;
  /** Indices of the trials changed since `base`. */
  changed?: number[];
}

/** The history as a policy thread receives it: whole (in `study.trials`), or as the changes since `base`. */
export interface ShippedHistory {
  key: string;
  version: number;
  base?: number;
  length?: number;
  changed?: Array<[number, TrialView]>;
}

export type HistoryRequest = SuggestRequest & { history?: HistoryRef };
export type ShippedRequest = SuggestRequest & { history?: ShippedHistory };

/** A thread's answer when it cannot rebuild the history from a delta. */
export interface NeedHistory {
  needHistory: true;
}

function touch<V>(map: Map<string, V>, key: string, value: V): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > MAX_STUDIES) map.delete(map.keys().next().value as string);
}

interface Sent {
  trials: readonly { id: number }[];
  version: number;
  /** Per version sent since the lineage began (the last MAX_VERSIONS_BACK): the indices it changed. */
  log: Array<{ from: number; changed: number[] }>;
}

/** The server side: per study, what was last sent and what changed in the last few versions. */
export class HistoryShipper {
  private version = 0;
  private readonly sent = new Map<string, Sent>();

  /** The reference for sending `trials` (records in id order, as history() returns them). */
  ship(key: string, trials: readonly { id: number }[]): HistoryRef {
    const version = ++this.version;
    const last = this.sent.get(key);
    const changed = last ? changedIndices(last.trials, trials) : undefined;
    if (!last || !changed) {
      touch(this.sent, key, { trials, version, log: [] });
      return { key, version };
    }
    const log = [...last.log, { from: last.version, changed }].slice(-MAX_VERSIONS_BACK);
    touch(this.sent, key, { trials, version, log });
    const union = new Set<number>();
    for (const entry of log) for (const i of entry.changed) union.add(i);
    return { key, version, base: log[0].from, changed: [...union].sort((a, b) => a - b) };
  }
}

/** Indices where `now` differs from `before` (by identity), or undefined when `now` is not `before` grown
 *  and changed (a trial gone, or ids out of step): then the history is sent whole. */
function changedIndices(before: readonly { id: number }[], now: readonly { id: number }[]): number[] | undefined {
  if (now.length < before.length) return undefined;
  const changed: number[] = [];
  for (let i = 0; i < now.length; i++) {
    if (i >= before.length) changed.push(i);
    else if (now[i] !== before[i]) {
      if (now[i].id !== before[i].id) return undefined;
      changed.push(i);
    }
  }
  return changed;
}

/** What goes to the thread: the changed trials only, or (`whole`) everything. */
export function shippedRequest(request: HistoryRequest, whole: boolean): ShippedRequest {
  const { history: ref, ...plain } = request;
  if (!ref) return plain;
  if (whole || ref.base === undefined) return { ...plain, history: { key: ref.key, version: ref.version } };
  const trials = request.study.trials;
  return {
    ...plain,
    study: { ...request.study, trials: [] },
    history: { key: ref.key, version: ref.version, base: ref.base, length: trials.length, changed: (ref.changed ?? []).map((i) => [i, trials[i]]) },
  };
}

/** The thread side: the histories this thread was sent, per study. */
export class HeldHistories {
  private readonly held = new Map<string, { version: number; trials: TrialView[] }>();

  /** The study with its whole history, or undefined when this thread cannot rebuild it (needHistory). */
  study(request: ShippedRequest): StudyView | undefined {
    const h = request.history;
    if (!h) return request.study;
    if (h.base === undefined) {
      touch(this.held, h.key, { version: h.version, trials: request.study.trials });
      return request.study;
    }
    const mine = this.held.get(h.key);
    if (!mine || mine.version < h.base || mine.version > h.version || h.length === undefined) return undefined;
    let trials = mine.trials;
    if (mine.version < h.version) {
      trials = mine.trials.slice(0, h.length);
      trials.length = h.length;
      for (const [i, t] of h.changed ?? []) trials[i] = t;
      // Every trial new since this thread's version is in the delta; a hole would mean it is not.
      for (let i = mine.trials.length; i < trials.length; i++) if (trials[i] === undefined) return undefined;
    }
    touch(this.held, h.key, { version: h.version, trials });
    // The policy gets its own array (the held one must stay as sent).
    return { ...request.study, trials: trials.slice() };
  }
}

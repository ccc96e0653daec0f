/** A study's trials as this replica last read them, so that a suggestion reads only what changed
 *  instead of the whole history (whose cost grew with every trial).
 *
 *  What can change, and so what is read again: trials added since (ids are handed out in increasing
 *  order under the study's lock, so they are the ids above the highest one held), and trials not yet
 *  finished (their state, lease and curve move; CompleteTrial finishes them without the lock). A
 *  finished trial (SUCCEEDED, INFEASIBLE, FAILED) never changes again in what a policy sees, so it is
 *  kept as read. That pair — the highest id held and the unfinished ids — is the version of the view;
 *  a counter on the study row would have to be written by every lock-free CompleteTrial, making the
 *  study row the hot spot the lock was.
 *
 *  A read updates the held view only once its transaction has committed (a rolled-back transaction's
 *  own writes must not stay in it); two updates applying out of order are harmless, because an older
 *  one can only make a trial look unfinished, and unfinished trials are read again. */
import type { TrialState } from '@hpo/core';
import type { TrialRecord } from './storage';

const FINISHED: ReadonlySet<TrialState> = new Set(['SUCCEEDED', 'INFEASIBLE', 'FAILED']);

/** Studies whose view a replica keeps (least recently used dropped first). */
export const MAX_STUDIES = 64;

interface HeldView {
  maxId: number;
  trials: Map<number, TrialRecord>;
}

/** What to read since a held view; `undefined` = read everything. */
export interface HistoryDelta {
  afterId: number;
  unfinishedIds: number[];
  /** The view the delta is relative to: kept by the reader, so that other studies' reads dropping it
   *  from the map meanwhile (more than `maxStudies` in flight) cannot leave a delta without its base. */
  held: HeldView;
}

export class StudyHistories {
  private readonly views = new Map<string, HeldView>();

  constructor(private readonly maxStudies = MAX_STUDIES) {}

  /** What a read must fetch for `key`: undefined when nothing is held (read the whole history). */
  since(key: string): HistoryDelta | undefined {
    const view = this.views.get(key);
    if (!view) return undefined;
    const unfinishedIds: number[] = [];
    for (const t of view.trials.values()) if (!FINISHED.has(t.state)) unfinishedIds.push(t.id);
    return { afterId: view.maxId, unfinishedIds, held: view };
  }

  /** The history: the held view with `rows` (read per `delta`) laid over it, in id order; its highest id
   *  (the study's, since ids above the held ones were read); and the update to apply once the reading
   *  transaction commits. */
  merge(key: string, delta: HistoryDelta | undefined, rows: TrialRecord[]): { trials: TrialRecord[]; maxId: number; commit: () => void } {
    const view = delta?.held;
    const read = new Map(rows.map((t) => [t.id, t]));
    const trials: TrialRecord[] = [];
    if (view) {
      for (const t of view.trials.values()) {
        // A held unfinished trial that the read did not return no longer exists (its study was deleted).
        const fresh = read.get(t.id);
        if (fresh) trials.push(fresh);
        else if (FINISHED.has(t.state)) trials.push(t);
      }
    }
    const heldMax = view?.maxId ?? 0;
    for (const t of rows) if (t.id > heldMax) trials.push(t);
    const maxId = trials.length > 0 ? Math.max(heldMax, trials[trials.length - 1].id) : heldMax;
    return {
      trials,
      maxId,
      commit: () => {
        // The held view may have been dropped meanwhile: it comes back with this read laid over it (a
        // delta alone is not a history).
        const current = this.views.get(key) ?? view ?? { maxId: 0, trials: new Map<number, TrialRecord>() };
        // Ids are a prefix of the study's ids in every view, so setting keeps the map in id order.
        for (const t of rows) current.trials.set(t.id, t);
        current.maxId = Math.max(current.maxId, maxId);
        this.views.delete(key);
        this.views.set(key, current);
        if (this.views.size > this.maxStudies) this.views.delete(this.views.keys().next().value as string);
      },
    };
  }
}

/** Deltas of a study's history to the policy threads (suggestion/shipped-history.ts): after any sequence of
 *  histories (trials added, unfinished ones read again, the history started over) sent to any of several
 *  threads in any order, through a structured clone as to a real thread, every thread's rebuilt history
 *  equals the server's, falling back to the whole history only when it must; and a thread that saw the
 *  previous version is sent only what changed. */
import fc from 'fast-check';
import { studyConfig } from '@hpo/core';
import type { TrialView } from '@hpo/core';
import { HeldHistories, HistoryShipper, shippedRequest } from '../src/suggestion/shipped-history';
import type { HistoryRequest } from '../src/suggestion/shipped-history';

const CONFIG = studyConfig({
  parameters: [{ name: 'x', type: 'DOUBLE', min: 0, max: 1, scale: 'LINEAR' }],
  metrics: [{ name: 'loss', goal: 'MINIMIZE' }],
  algorithm: 'RANDOM_SEARCH',
});

type Step = { kind: 'grow'; count: number } | { kind: 'reread'; picks: number[] } | { kind: 'restart' };
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('grow' as const), count: fc.integer({ min: 0, max: 5 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('reread' as const), picks: fc.array(fc.nat(60), { maxLength: 4 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('restart' as const) }) },
);

let made = 0;
const record = (id: number): TrialView => ({ id, state: 'ACTIVE', parameters: { x: (made++ % 1000) / 1000 }, measurements: [], resumeFromStep: 0 });

describe('study histories shipped to policy threads as deltas', () => {
  it('every thread rebuilds the history the server sent, whatever thread got which version', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(step, fc.nat(2)), { minLength: 1, maxLength: 40 }), (script) => {
        const shipper = new HistoryShipper();
        const threads = [new HeldHistories(), new HeldHistories(), new HeldHistories()];
        const lastVersionOf = new Map<HeldHistories, number>();
        let trials: TrialView[] = [];
        for (const [s, thread] of script) {
          // The server's held history: records kept by identity unless read again.
          if (s.kind === 'grow') trials = [...trials, ...Array.from({ length: s.count }, (_, i) => record(trials.length + i + 1))];
          if (s.kind === 'reread') trials = trials.map((t, i) => (s.picks.includes(i) ? { ...record(t.id), state: 'SUCCEEDED' as const } : t));
          if (s.kind === 'restart') trials = trials.slice(0, Math.floor(trials.length / 2)).map((t) => record(t.id));
          const ref = shipper.ship('1/1', trials);
          const request: HistoryRequest = { study: { config: CONFIG, trials }, count: 1, seed: 1, history: ref };
          const held = threads[thread];
          let sent = structuredClone(shippedRequest(request, false));
          let study = held.study(sent);
          if (!study) {
            // Only a thread that missed the versions the delta reaches back over, or a new lineage, asks.
            expect(lastVersionOf.get(held) === undefined || ref.base === undefined || lastVersionOf.get(held)! < ref.base).toBe(true);
            sent = structuredClone(shippedRequest(request, true));
            study = held.study(sent);
          }
          expect(study?.trials).toEqual(trials);
          lastVersionOf.set(held, ref.version);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a thread holding the last version gets only the trials added and the ones read again', () => {
    const shipper = new HistoryShipper();
    const thread = new HeldHistories();
    const finished = Array.from({ length: 1000 }, (_, i) => ({ ...record(i + 1), state: 'SUCCEEDED' as const }));
    const first = shipper.ship('1/1', finished);
    expect(thread.study(structuredClone(shippedRequest({ study: { config: CONFIG, trials: finished }, count: 1, seed: 1, history: first }, false)))?.trials).toHaveLength(1000);
    const now = [...finished, record(1001), record(1002)];
    now[10] = { ...finished[10] };
    const sent = shippedRequest({ study: { config: CONFIG, trials: now }, count: 1, seed: 1, history: shipper.ship('1/1', now) }, false);
    expect(sent.study.trials).toEqual([]);
    expect(sent.history?.changed?.map(([i]) => i)).toEqual([10, 1000, 1001]);
    expect(thread.study(structuredClone(sent))?.trials).toEqual(now);
  });
});

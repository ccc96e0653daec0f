/** The incremental history (storage/study-history.ts) equals a full read: two replicas (two storages on
 *  one PostgreSQL database; one on SQLite, which serves a single process) each hold their own view of a study while random writes — inserts under the lock,
 *  lock-free completions and reports, pauses, resumptions, failures, a transaction rolled back after
 *  reading — run interleaved, some at the same time; at every quiet point each replica's history, with
 *  and without curves, is what a full read of the database says a policy should see. */
import fc from 'fast-check';
import { studyConfig } from '@hpo/core';
import type { TrialState } from '@hpo/core';
import { openStorage } from '../src/storage/open-storage';
import { MAX_STUDIES } from '../src/storage/study-history';
import type { Storage, TrialRecord } from '../src/storage/storage';
import { storageBackends } from '@hpo/testing';

const CONFIG = studyConfig({
  parameters: [{ name: 'x', type: 'DOUBLE', min: 0, max: 1, scale: 'LINEAR' }],
  metrics: [{ name: 'loss', goal: 'MINIMIZE' }],
  algorithm: 'RANDOM_SEARCH',
});

type Op =
  | { kind: 'insert'; replica: number; count: number; state: TrialState }
  | { kind: 'complete'; replica: number; pick: number; value: number }
  | { kind: 'report'; replica: number; pick: number; step: number }
  | { kind: 'set'; replica: number; pick: number; state: 'PAUSED' | 'ACTIVE' | 'FAILED' | 'STOPPING' }
  | { kind: 'read'; replica: number; curves: boolean }
  | { kind: 'readThenRollBack'; replica: number; pick: number; curves: boolean }
  | { kind: 'readOthers'; replica: number };

const replica = fc.integer({ min: 0, max: 1 });
const pick = fc.nat(40);
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), replica, count: fc.integer({ min: 1, max: 4 }), state: fc.constantFrom<TrialState>('ACTIVE', 'PAUSED', 'SUCCEEDED', 'REQUESTED') }),
  fc.record({ kind: fc.constant('complete' as const), replica, pick, value: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({ kind: fc.constant('report' as const), replica, pick, step: fc.integer({ min: 0, max: 6 }) }),
  fc.record({ kind: fc.constant('set' as const), replica, pick, state: fc.constantFrom('PAUSED' as const, 'ACTIVE' as const, 'FAILED' as const, 'STOPPING' as const) }),
  fc.record({ kind: fc.constant('read' as const), replica, curves: fc.boolean() }),
  fc.record({ kind: fc.constant('readThenRollBack' as const), replica, pick, curves: fc.boolean() }),
  fc.record({ kind: fc.constant('readOthers' as const), replica }),
);
/** Ops in groups; the ops of a group run at the same time. */
const script = fc.array(fc.array(op, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 12 });

/** What a policy sees of a trial (toView's fields). */
const seen = (t: TrialRecord) => ({ id: t.id, state: t.state, parameters: t.parameters, finalMeasurement: t.finalMeasurement, measurements: t.measurements });

class RolledBack extends Error {}

describe.each(storageBackends())('incremental study history on %s', (name, options) => {
  let replicas: Storage[];
  let tenant: number;
  let studies = 0;
  let others: number[] = [];

  beforeAll(async () => {
    const opts = options();
    // SQLite serves one process (its busy wait would block the event loop both connections share).
    replicas = name === 'postgres' ? [await openStorage(opts), await openStorage(opts)] : [await openStorage(opts)];
    tenant = (await replicas[0].getOrCreateLocalTenant()).id;
    for (let i = 0; i <= MAX_STUDIES; i++) others.push((await replicas[0].createStudy(tenant, `other-${i}`, CONFIG)).study.id);
  });
  afterAll(async () => {
    for (const r of replicas ?? []) await r.close();
  });

  async function run(study: number, o: Op): Promise<void> {
    const storage = replicas[o.replica % replicas.length];
    const trialId = 'pick' in o ? 1 + (o.pick % 12) : 0;
    switch (o.kind) {
      case 'insert':
        // As a suggestion batch does: the history read first (which tells the next id), then one
        // multi-row insert; or one insert a trial with no read before.
        await storage.studyTransaction(tenant, study, async (tx) => {
          const trials = Array.from({ length: o.count }, (_, i) => ({
            state: o.state,
            parameters: { x: (i + 1) / 10 },
            clientId: o.state === 'ACTIVE' ? `w${i}` : '',
            finalMeasurement: o.state === 'SUCCEEDED' ? { step: 1, metrics: { loss: i }, elapsedSeconds: 0 } : undefined,
            measurements: o.state === 'PAUSED' ? [{ step: 0, metrics: { loss: 0.5 }, elapsedSeconds: 0 }] : undefined,
          }));
          if (o.count % 2 === 0) {
            await tx.history(false);
            await tx.insertTrials(trials);
          } else {
            for (const t of trials) await tx.insertTrial(t);
          }
        });
        return;
      case 'readOthers':
        // More studies read meanwhile than a replica keeps views of (study-history.ts MAX_STUDIES): this
        // study's view is dropped, maybe while one of its own reads is in flight.
        await Promise.all(others.map((other) => storage.studyTransaction(tenant, other, (tx) => tx.history(false))));
        return;
      case 'complete':
        await storage.finishLeasedTrial(tenant, study, trialId, { state: 'SUCCEEDED', finalMeasurement: { step: 9, metrics: { loss: o.value }, elapsedSeconds: 1 } });
        return;
      case 'report':
        await storage.recordLeasedMeasurement(tenant, study, trialId, { step: o.step, metrics: { loss: o.step / 10 }, elapsedSeconds: o.step }, 60, 1000);
        return;
      case 'set':
        await storage.studyTransaction(tenant, study, async (tx) => {
          const t = await tx.getTrial(trialId);
          if (!t || ['SUCCEEDED', 'INFEASIBLE', 'FAILED'].includes(t.state)) return;
          await tx.updateTrial(trialId, { state: o.state });
        });
        return;
      case 'read':
        await storage.studyTransaction(tenant, study, (tx) => tx.history(o.curves));
        return;
      case 'readThenRollBack':
        await storage
          .studyTransaction(tenant, study, async (tx) => {
            const t = await tx.getTrial(trialId);
            if (t && !['SUCCEEDED', 'INFEASIBLE', 'FAILED'].includes(t.state)) await tx.updateTrial(trialId, { state: 'FAILED' });
            await tx.history(o.curves);
            throw new RolledBack();
          })
          .catch((error) => {
            if (!(error instanceof RolledBack)) throw error;
          });
        return;
    }
  }

  it('equals a full read after random interleavings, on both replicas, with and without curves', async () => {
    await fc.assert(
      fc.asyncProperty(script, async (groups) => {
        const study = (await replicas[0].createStudy(tenant, `history-${studies++}`, CONFIG)).study.id;
        for (const group of groups) {
          await Promise.all(group.map((o) => run(study, o)));
          for (const storage of replicas) {
            for (const curves of [false, true]) {
              const [incremental, full] = (await storage.studyTransaction(tenant, study, async (tx) => [await tx.history(curves), await tx.listTrials({ withMeasurements: curves })]))!;
              expect(incremental.map(seen)).toEqual(full.map(seen));
              // Ids stay 1, 2, 3 … whichever way the next one was found.
              expect(full.map((t) => t.id)).toEqual(full.map((_, i) => i + 1));
            }
          }
        }
      }),
      { numRuns: 25 },
    );
  });
});

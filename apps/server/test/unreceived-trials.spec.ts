/** Trials handed to a caller that went away before the answer could reach it (its deadline passed while
 *  the batch was being stored) are released: a new one ends FAILED (its slot is handed out again), a
 *  resumed one goes back to PAUSED as it was, and one the caller did receive (it reported) is kept.
 *  In-process, on an in-memory SQLite database. */
import { measurement, quasiRandomConfig } from '@hpo/testing';
import { releaseUnreceived } from '../src/studies/suggestion-batch';
import { inProcessSuite } from './support/server-suite';

describe('releasing trials whose caller went away', () => {
  const { server, client } = inProcessSuite();

  it('fails new trials, re-pauses resumed ones, and leaves a trial its caller reported on', async () => {
    const study = await client.CreateStudy({ displayName: 'unreceived', config: quasiRandomConfig({ maxTrials: 0 }) });
    const studyId = Number(study.name.split('/')[1]);
    const [fresh, reported, resumed] = (await client.SuggestTrials({ parent: study.name, count: 3, clientId: 'gone' })).trials;
    await client.ReportIntermediate({ name: reported.name, measurement: measurement(1, 0.5) });
    await client.ReportIntermediate({ name: resumed.name, measurement: measurement(4, 0.3) });
    const tenant = await server.storage.getOrCreateLocalTenant();
    const inStudy = <T>(work: Parameters<typeof server.storage.studyTransaction<T>>[2]) => server.storage.studyTransaction(tenant.id, studyId, work);
    // As a PAUSED trial that a batch then resumed for the caller who went away.
    const pausedRow = { state: 'PAUSED' as const, clientId: 'earlier', leaseExpiresAt: null, resumeFromStep: 0, statusReason: 'paused at step 4' };
    await inStudy((tx) => tx.updateTrial(resumed.id, pausedRow));
    const before = await inStudy((tx) => tx.getTrial(resumed.id));
    await inStudy((tx) => tx.updateTrial(resumed.id, { state: 'ACTIVE', clientId: 'gone', leaseExpiresAt: tx.now + 60, resumeFromStep: 5, statusReason: 'resumed' }));

    const released = await inStudy((tx) =>
      releaseUnreceived(tx, [
        { trialId: fresh.id, clientId: 'gone' },
        { trialId: reported.id, clientId: 'gone' },
        { trialId: resumed.id, clientId: 'gone', paused: before },
      ]),
    );
    expect(released).toEqual([fresh.id, resumed.id]);
    const byId = async (id: number) => client.GetTrial({ name: `${study.name}/trials/${id}` });
    const f = await byId(fresh.id);
    expect(f.state).toBe('FAILED');
    expect(f.statusReason).toMatch(/caller went away/);
    expect((await byId(reported.id)).state).toBe('ACTIVE');
    const r = await byId(resumed.id);
    expect([r.state, r.clientId, r.statusReason]).toEqual(['PAUSED', 'earlier', 'paused at step 4']);
    // Released twice is a no-op: the rows are no longer the caller's ACTIVE trials.
    expect(await inStudy((tx) => releaseUnreceived(tx, [{ trialId: fresh.id, clientId: 'gone' }, { trialId: resumed.id, clientId: 'gone', paused: before }]))).toEqual([]);
    // The failed trial's slot is handed out again.
    const next = await client.SuggestTrials({ parent: study.name, count: 1, clientId: 'other' });
    expect(next.trials).toHaveLength(1);
  });
});

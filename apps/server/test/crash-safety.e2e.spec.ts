/** Crash safety: the server is killed with SIGKILL in the middle of a run with parallel workers; after
 *  a restart on the same database every acknowledged CompleteTrial is there, no trial id is reused,
 *  and the workers carry on (their unfinished trials come back to them by client_id). */
import { createStudyClient, StudyClient, backends, ServerProcess, startServerProcess, measurement, quasiRandomConfig } from '@hpo/testing';

describe.each(backends())('crash safety on $name', ({ fresh }) => {
  it('keeps every acknowledged completion across kill -9', async () => {
    const backend = fresh();
    let server: ServerProcess = await startServerProcess(backend.env);
    const acknowledged = new Map<number, number>();
    const handedOut = new Map<number, string>();
    let studyName = '';
    try {
      const admin = createStudyClient(server.address);
      studyName = (await admin.CreateStudy({ displayName: 'crash', config: quasiRandomConfig() })).name;
      admin.close();
      const workers = Array.from({ length: 8 }, (_, i) => ({ id: `w${i}`, client: createStudyClient(server.address) }));
      let stop = false;
      const runs = workers.map(async ({ id, client }) => {
        while (!stop) {
          try {
            const { trials } = await client.SuggestTrials({ parent: studyName, count: 1, clientId: id }, { deadlineMs: 5000 });
            for (const t of trials) {
              handedOut.set(t.id, id);
              const value = t.id / 1000;
              await client.ReportIntermediate({ name: t.name, measurement: measurement(1, value / 2) }, { deadlineMs: 5000 });
              const done = await client.CompleteTrial({ name: t.name, finalMeasurement: measurement(2, value) }, { deadlineMs: 5000 });
              acknowledged.set(done.id, done.finalMeasurement.metrics[0].value);
            }
          } catch {
            return; // the server is gone
          }
        }
      });
      while (acknowledged.size < 40) await new Promise((r) => setTimeout(r, 5));
      await server.kill('SIGKILL');
      stop = true;
      await Promise.all(runs);
      workers.forEach((w) => w.client.close());
      expect(acknowledged.size).toBeGreaterThanOrEqual(40);

      server = await startServerProcess(backend.env);
      const client = createStudyClient(server.address);
      try {
        const stored = new Map<number, { state: string; value?: number }>();
        const owners = new Map<number, string>();
        let token = '';
        do {
          const page = await client.ListTrials({ parent: studyName, pageSize: 1000, pageToken: token });
          for (const t of page.trials) {
            stored.set(t.id, { state: t.state, value: t.finalMeasurement?.metrics[0]?.value });
            owners.set(t.id, t.clientId);
          }
          token = page.nextPageToken;
        } while (token);
        for (const [id, value] of acknowledged) expect({ id, ...stored.get(id) }).toEqual({ id, state: 'SUCCEEDED', value });
        // Trials handed out but not completed are ACTIVE and go back to their worker (a suggestion whose
        // reply was lost in the crash still names its worker in the trial).
        const unfinished = [...stored].filter(([, t]) => t.state === 'ACTIVE').map(([id]) => id);
        for (const id of unfinished) {
          const owner = owners.get(id) as string;
          if (handedOut.has(id)) expect(owner).toBe(handedOut.get(id));
          const again = await client.SuggestTrials({ parent: studyName, count: 1, clientId: owner });
          expect(again.trials[0].id).toBe(id);
          await client.CompleteTrial({ name: again.trials[0].name, finalMeasurement: measurement(2, 0.5) });
        }
        const next = await client.SuggestTrials({ parent: studyName, count: 1, clientId: 'after-restart' });
        expect(next.trials[0].id).toBe(Math.max(...stored.keys()) + 1);
      } finally {
        client.close();
      }
    } finally {
      await server.stop();
    }
  });
});

/** Graceful shutdown: SIGTERM while SuggestTrials calls are queued behind GP fits; every call that was
 *  in flight is answered (not cancelled), the process exits 0, and the database holds exactly the trials
 *  that were handed out. */
import { createStudyClient, freshSqliteBackend, startServerProcess, measurement, quasiRandomConfig } from '@hpo/testing';

describe('graceful shutdown', () => {
  it('answers in-flight calls before exiting on SIGTERM', async () => {
    const backend = freshSqliteBackend();
    const server = await startServerProcess(backend.env);
    const client = createStudyClient(server.address);
    let exitCode: number | null = null;
    try {
      const study = await client.CreateStudy({ displayName: 'graceful', config: quasiRandomConfig({ algorithm: 'GP_BANDIT', seed: 9 }) });
      await client.AddTrials({
        parent: study.name,
        trials: Array.from({ length: 20 }, (_, i) => ({
          parameters: [
            { name: 'learning_rate', doubleValue: 1e-4 * Math.pow(1000, i / 19) },
            { name: 'layers', intValue: 1 + (i % 4) },
            { name: 'optimizer', stringValue: 'adam' },
          ],
          finalMeasurement: measurement(1, Math.sin(i) * 0.1 + 0.8),
        })),
      });
      const exited = new Promise<number | null>((resolve) => server.child.once('exit', (code) => resolve(code)));
      const calls = Array.from({ length: 8 }, (_, i) => client.SuggestTrials({ parent: study.name, count: 1, clientId: `w${i}` }));
      // Once the first answer is back, the others (sent with it on the same connection) have reached the
      // server and wait behind the study's GP fits: they are in flight when SIGTERM arrives.
      await Promise.race(calls);
      server.child.kill('SIGTERM');
      const results = await Promise.allSettled(calls);
      expect(results.map((r) => r.status)).toEqual(Array(8).fill('fulfilled'));
      exitCode = await exited;
      expect(exitCode).toBe(0);
      const ids = results.flatMap((r) => (r.status === 'fulfilled' ? r.value.trials.map((t: { id: number }) => t.id) : []));
      expect(new Set(ids).size).toBe(8);

      const restarted = await startServerProcess(backend.env);
      const again = createStudyClient(restarted.address);
      try {
        const active = await again.ListTrials({ parent: study.name, states: ['ACTIVE'] });
        expect(active.trials.map((t: { id: number }) => t.id).sort((a: number, b: number) => a - b)).toEqual([...ids].sort((a, b) => a - b));
      } finally {
        again.close();
        await restarted.stop();
      }
    } finally {
      client.close();
      if (exitCode === null) await server.stop();
    }
  });
});

/** Regression tests for the numbered findings of issue 19 (Hardening), each named after its finding,
 *  against a real server on every backend (SQLite; PostgreSQL when HPO_TEST_PG_URL is set). */
import { Replica, startReplica } from '../../../../bench/src/load-cluster';
import { createStudyClient, StudyClient } from '../support/grpc-client';
import { backends } from '../support/server-process';
import { measurement, quasiRandomConfig } from '../support/study-configs';

const ONE_DOUBLE = [{ name: 'x', type: 'DOUBLE', minValue: 0, maxValue: 1 }];

describe.each(backends())('issue 19 findings on $name', ({ fresh }) => {
  let server: Replica;
  let client: StudyClient;
  let serial = 0;
  const unique = (prefix: string) => `${prefix}-${serial++}`;

  beforeAll(async () => {
    server = await startReplica({
      ...fresh().env,
      HPO_QUOTAS: JSON.stringify({ defaults: { maxStudies: 0, maxActiveTrials: 0, requestsPerSecond: 0 } }),
    });
    client = createStudyClient(server.address);
  });

  afterAll(async () => {
    client?.close();
    const logs = server?.logs() ?? '';
    await server?.stop();
    expect(logs).not.toMatch(/unhandled error in RPC/);
  });

  it('finding 3, MEDIAN: a trial judged at a step before another curve began gets a decision, not INTERNAL', async () => {
    const study = await client.CreateStudy({
      displayName: unique('median'),
      config: quasiRandomConfig({ earlyStopping: { mode: 'MEDIAN', minSteps: 1, minTrials: 1 } }),
    });
    const [t1, t2] = (await client.SuggestTrials({ parent: study.name, count: 2, clientId: 'w' })).trials;
    expect((await client.ReportIntermediate({ name: t1.name, measurement: measurement(10, 0.9) })).decision).toBe('CONTINUE');
    const d = await client.ReportIntermediate({ name: t2.name, measurement: measurement(5, 0.1) });
    expect(d.decision).toBe('CONTINUE');
    expect(d.reason).toMatch(/0 other trials reached step 5/);
  });

  it('finding 3, FREEZE_THAW: a 1e308 report does not break the study; decisions fall back to CONTINUE with the cause, suggestions keep coming', async () => {
    const study = await client.CreateStudy({
      displayName: unique('freeze-thaw-1e308'),
      config: {
        parameters: ONE_DOUBLE,
        metrics: [{ name: 'loss', goal: 'MINIMIZE' }],
        algorithm: 'RANDOM_SEARCH',
        earlyStopping: { mode: 'FREEZE_THAW', maxStep: 10 },
      },
    });
    const loss = (step: number, value: number) => ({ step, metrics: [{ name: 'loss', value }], elapsedSeconds: step });
    const [a, b] = (await client.SuggestTrials({ parent: study.name, count: 2, clientId: 'w' })).trials;
    await client.ReportIntermediate({ name: a.name, measurement: loss(1, 1e308) });
    const decisions: Array<{ decision: string; reason: string }> = [];
    for (let step = 1; step <= 4; step++) decisions.push(await client.ReportIntermediate({ name: b.name, measurement: loss(step, 1 / step) }));
    for (const d of decisions) expect(['CONTINUE', 'PAUSE', 'STOP']).toContain(d.decision);
    // Whatever the model makes of the outlier, the study goes on: more trials, more reports, completion.
    const more = await client.SuggestTrials({ parent: study.name, count: 2, clientId: 'w2' });
    expect(more.trials).toHaveLength(2);
    for (const t of more.trials) {
      const d = await client.ReportIntermediate({ name: t.name, measurement: loss(1, 0.5) });
      expect(['CONTINUE', 'PAUSE', 'STOP']).toContain(d.decision);
    }
    const done = await client.CompleteTrial({ name: more.trials[0].name, finalMeasurement: loss(2, 0.4) });
    expect(done.state).toBe('SUCCEEDED');
    // A fallback, when one was used, says so and why.
    const fallbacks = decisions.filter((d) => d.reason.startsWith('fallback:'));
    for (const f of fallbacks) expect(f).toEqual({ decision: 'CONTINUE', reason: expect.stringMatching(/^fallback: FREEZE_THAW could not decide \(.+\); the trial continues$/) });
  });
});

/** A STOP decision racing the worker's CompleteTrial, through the real server on each backend: the
 *  rule's EARLY_STOPPED and the completion's SUCCEEDED are both conditional state transitions in SQL, so
 *  whichever commits first wins and the other leaves it alone — the stored state is always the one
 *  CompleteTrial answered, and a trial whose report answered STOP as EARLY_STOPPED stays EARLY_STOPPED. */
import { backends, createStudyClient, measurement, quasiRandomConfig, ServerProcess, startServerProcess, Status, StudyClient } from '@hpo/testing';

const priorParameters = (lr: number) => [
  { name: 'learning_rate', doubleValue: lr },
  { name: 'layers', intValue: 2 },
  { name: 'optimizer', stringValue: 'adam' },
];

describe.each(backends())('STOP racing CompleteTrial on $name', ({ fresh }) => {
  let server: ServerProcess;
  let client: StudyClient;

  beforeAll(async () => {
    server = await startServerProcess(fresh().env);
    client = createStudyClient(server.address);
  });
  afterAll(async () => {
    client?.close();
    await server?.stop();
  });

  it('never turns an EARLY_STOPPED trial into SUCCEEDED, nor the reverse', async () => {
    const study = await client.CreateStudy({
      displayName: 'stop-race',
      config: quasiRandomConfig({ earlyStopping: { mode: 'MEDIAN', minSteps: 1, minTrials: 3 } }),
    });
    await client.AddTrials({
      parent: study.name,
      trials: [0.01, 0.02, 0.03].map((lr) => ({
        parameters: priorParameters(lr),
        measurements: [1, 2, 3].map((s) => measurement(s, 0.9)),
        finalMeasurement: measurement(3, 0.9),
      })),
    });
    const outcomes = { stopFirst: 0, completeFirst: 0 };
    for (let round = 0; round < 12; round++) {
      const t = (await client.SuggestTrials({ parent: study.name, count: 1, clientId: `w${round}` })).trials[0];
      // A hopeless first report (MEDIAN stops it) and the worker's completion, sent together.
      const [report, completed] = await Promise.all([
        client.ReportIntermediate({ name: t.name, measurement: measurement(1, 0.05) }).then(
          (r: any) => ({ ok: true as const, r }),
          (e: any) => ({ ok: false as const, code: e.code }),
        ),
        client.CompleteTrial({ name: t.name, finalMeasurement: measurement(3, 0.95) }),
      ]);
      const stored = await client.GetTrial({ name: t.name });
      expect(stored.state).toBe(completed.state);
      expect(['SUCCEEDED', 'EARLY_STOPPED']).toContain(stored.state);
      if (report.ok && report.r.decision === 'STOP' && report.r.trial.state === 'EARLY_STOPPED') expect(stored.state).toBe('EARLY_STOPPED');
      // A report that arrives after the completion is refused, never applied to a finished trial.
      if (!report.ok) expect(report.code).toBe(Status.FAILED_PRECONDITION);
      if (stored.state === 'EARLY_STOPPED') {
        outcomes.stopFirst++;
        expect(stored.finalMeasurement.metrics[0].value).toBeCloseTo(0.05);
      } else {
        outcomes.completeFirst++;
        expect(stored.finalMeasurement.metrics[0].value).toBeCloseTo(0.95);
      }
      // And it stays so: a retried completion is acknowledged unchanged.
      expect((await client.CompleteTrial({ name: t.name, finalMeasurement: measurement(3, 0.95) })).state).toBe(stored.state);
    }
    expect(outcomes.stopFirst + outcomes.completeFirst).toBe(12);
    const counts = (await client.GetStudy({ name: study.name })).trialCounts;
    expect(counts.earlyStopped).toBe(outcomes.stopFirst);
    expect(counts.succeeded).toBe(3 + outcomes.completeFirst);
  });
});

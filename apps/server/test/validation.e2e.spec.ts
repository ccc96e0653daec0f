/** Every validation rule over a real server: the status code, a message naming the field, and that the
 *  rejected call changed nothing. */
import { statusOf, Status, backends, measurement, quasiRandomConfig } from '@hpo/testing';
import { serverSuite } from './support/server-suite';

const param = (name: string, extra: Record<string, unknown>) => ({ name, ...extra });

describe.each(backends())('validation on $name', ({ fresh }) => {
  const { client } = serverSuite(() => fresh().env);

  async function studyCount(): Promise<number> {
    return (await client.ListStudies({ pageSize: 1000 })).studies.length;
  }

  it.each([
    ['no parameters', { parameters: [] }, /config\.parameters/],
    ['min > max', { parameters: [param('x', { type: 'DOUBLE', minValue: 2, maxValue: 1 })] }, /config\.parameters\[0\]/],
    ['log scale with min <= 0', { parameters: [param('x', { type: 'DOUBLE', minValue: 0, maxValue: 1, scale: 'LOG' })] }, /config\.parameters\[0\]/],
    [
      'duplicate parameter names',
      { parameters: [param('x', { type: 'DOUBLE', minValue: 0, maxValue: 1 }), param('x', { type: 'INTEGER', minValue: 0, maxValue: 3 })] },
      /duplicate/i,
    ],
    ['empty categories', { parameters: [param('c', { type: 'CATEGORICAL', categories: [] })] }, /config\.parameters\[0\]/],
    ['unspecified parameter type', { parameters: [param('x', { minValue: 0, maxValue: 1 })] }, /config\.parameters\[0\]/],
    ['no metrics', { metrics: [] }, /config\.metrics/],
    ['unspecified goal', { metrics: [{ name: 'loss' }] }, /config\.metrics\[0\]\.goal/],
    ['negative lease', { leaseSeconds: -1 }, /config\.lease_seconds/],
    ['NaN lease', { leaseSeconds: NaN }, /config\.lease_seconds/],
    ['FREEZE_THAW without max_step', { earlyStopping: { mode: 'FREEZE_THAW', maxStep: 0 } }, /config\.early_stopping\.max_step/],
    ['NaN bounds', { parameters: [param('x', { type: 'DOUBLE', minValue: NaN, maxValue: 1 })] }, /config\.parameters\[0\]/],
  ])('CreateStudy rejects %s with INVALID_ARGUMENT and stores nothing', async (_label, overrides, field) => {
    const before = await studyCount();
    const s = await statusOf(client.CreateStudy({ displayName: `bad-${_label}`, config: quasiRandomConfig(overrides) }));
    expect(Status[s.code]).toBe('INVALID_ARGUMENT');
    expect(s.details).toMatch(field);
    expect(await studyCount()).toBe(before);
  });

  it('CreateStudy rejects an empty or overlong display name and a missing config', async () => {
    const before = await studyCount();
    expect((await statusOf(client.CreateStudy({ displayName: '', config: quasiRandomConfig() }))).details).toMatch(/display_name/);
    expect((await statusOf(client.CreateStudy({ displayName: 'x'.repeat(257), config: quasiRandomConfig() }))).code).toBe(Status.INVALID_ARGUMENT);
    expect((await statusOf(client.CreateStudy({ displayName: 'no-config' }))).details).toMatch(/config/);
    expect(await studyCount()).toBe(before);
  });

  it('malformed resource names are INVALID_ARGUMENT, unknown ones NOT_FOUND', async () => {
    expect((await statusOf(client.GetStudy({ name: 'studies/abc' }))).code).toBe(Status.INVALID_ARGUMENT);
    expect((await statusOf(client.GetStudy({ name: '' }))).code).toBe(Status.INVALID_ARGUMENT);
    expect((await statusOf(client.GetTrial({ name: 'studies/1/trial/1' }))).code).toBe(Status.INVALID_ARGUMENT);
    expect((await statusOf(client.GetStudy({ name: 'studies/999999' }))).code).toBe(Status.NOT_FOUND);
  });

  describe('on trials', () => {
    let study: any;
    let trial: any;

    beforeAll(async () => {
      study = await client.CreateStudy({
        displayName: 'validation-trials',
        config: quasiRandomConfig({ metrics: [{ name: 'accuracy', goal: 'MAXIMIZE' }, { name: 'latency', goal: 'MINIMIZE' }] }),
      });
      trial = (await client.SuggestTrials({ parent: study.name, count: 1, clientId: 'v' })).trials[0];
      await client.ReportIntermediate({ name: trial.name, measurement: measurement(5, 0.5) });
    });

    async function unchanged(call: Promise<unknown>, code: keyof typeof Status, field?: RegExp): Promise<void> {
      const before = await client.GetTrial({ name: trial.name });
      const s = await statusOf(call);
      expect(Status[s.code]).toBe(code);
      if (field) expect(s.details).toMatch(field);
      expect(await client.GetTrial({ name: trial.name })).toEqual(before);
    }

    it('ReportIntermediate: non-finite, unknown or missing metrics, negative or non-increasing steps', async () => {
      const m = (step: number, metrics: Array<{ name: string; value: number }>, elapsedSeconds = 1) => ({ name: trial.name, measurement: { step, metrics, elapsedSeconds } });
      await unchanged(client.ReportIntermediate(m(6, [{ name: 'accuracy', value: NaN }])), 'INVALID_ARGUMENT', /measurement\.metrics\.accuracy/);
      await unchanged(client.ReportIntermediate(m(6, [{ name: 'accuracy', value: Infinity }])), 'INVALID_ARGUMENT', /finite/);
      await unchanged(client.ReportIntermediate(m(6, [{ name: 'accuracy', value: -Infinity }])), 'INVALID_ARGUMENT', /finite/);
      await unchanged(client.ReportIntermediate(m(6, [{ name: 'f1', value: 0.3 }])), 'INVALID_ARGUMENT', /unknown metric/);
      await unchanged(client.ReportIntermediate(m(6, [])), 'INVALID_ARGUMENT', /measurement\.metrics/);
      await unchanged(client.ReportIntermediate(m(6, [{ name: 'accuracy', value: 0.1 }, { name: 'accuracy', value: 0.2 }])), 'INVALID_ARGUMENT', /duplicate/);
      await unchanged(client.ReportIntermediate(m(5, [{ name: 'accuracy', value: 0.6 }])), 'INVALID_ARGUMENT', /measurement\.step/);
      await unchanged(client.ReportIntermediate(m(3, [{ name: 'accuracy', value: 0.6 }])), 'INVALID_ARGUMENT', /measurement\.step/);
      await unchanged(client.ReportIntermediate(m(-1, [{ name: 'accuracy', value: 0.6 }])), 'INVALID_ARGUMENT', /measurement\.step/);
      await unchanged(client.ReportIntermediate(m(6, [{ name: 'accuracy', value: 0.6 }], -2)), 'INVALID_ARGUMENT', /elapsed_seconds/);
      await unchanged(client.ReportIntermediate({ name: trial.name }), 'INVALID_ARGUMENT', /measurement/);
      await unchanged(client.ReportIntermediate({ name: `${study.name}/trials/99`, measurement: measurement(9, 0.1) }), 'NOT_FOUND');
    });

    it('a re-sent report (same step and values) is accepted without a second point', async () => {
      const r = await client.ReportIntermediate({ name: trial.name, measurement: measurement(5, 0.5) });
      expect(r.trial.measurements).toHaveLength(1);
    });

    it('CompleteTrial: incomplete or non-finite final measurements change nothing', async () => {
      await unchanged(client.CompleteTrial({ name: trial.name, finalMeasurement: measurement(6, 0.7) }), 'INVALID_ARGUMENT', /final_measurement\.metrics\.latency/);
      await unchanged(
        client.CompleteTrial({ name: trial.name, finalMeasurement: { step: 6, metrics: [{ name: 'accuracy', value: NaN }, { name: 'latency', value: 1 }] } }),
        'INVALID_ARGUMENT',
        /final_measurement\.metrics\.accuracy/,
      );
      // Without a final measurement the last intermediate one is used; it lacks "latency".
      await unchanged(client.CompleteTrial({ name: trial.name }), 'INVALID_ARGUMENT', /latency/);
    });

    it('completing twice: the same measurement is an idempotent retry, a different one FAILED_PRECONDITION', async () => {
      const final = { step: 6, metrics: [{ name: 'accuracy', value: 0.8 }, { name: 'latency', value: 12 }], elapsedSeconds: 60 };
      const done = await client.CompleteTrial({ name: trial.name, finalMeasurement: final });
      expect(done.state).toBe('SUCCEEDED');
      const retry = await client.CompleteTrial({ name: trial.name, finalMeasurement: final });
      expect(retry).toEqual(done);
      await unchanged(
        client.CompleteTrial({ name: trial.name, finalMeasurement: { ...final, metrics: [{ name: 'accuracy', value: 0.9 }, { name: 'latency', value: 12 }] } }),
        'FAILED_PRECONDITION',
        /already SUCCEEDED/,
      );
      await unchanged(client.CompleteTrial({ name: trial.name, infeasible: true }), 'FAILED_PRECONDITION');
      await unchanged(client.ReportIntermediate({ name: trial.name, measurement: measurement(7, 0.9) }), 'FAILED_PRECONDITION', /SUCCEEDED/);
    });

    it('AddTrials: bad parameters or measurements reject the whole batch', async () => {
      const count = async () => (await client.ListTrials({ parent: study.name, pageSize: 1000 })).trials.length;
      const before = await count();
      const final = { step: 1, metrics: [{ name: 'accuracy', value: 0.5 }, { name: 'latency', value: 3 }] };
      const good = {
        parameters: [
          { name: 'learning_rate', doubleValue: 0.01 },
          { name: 'layers', intValue: 2 },
          { name: 'optimizer', stringValue: 'adam' },
        ],
        finalMeasurement: final,
      };
      const cases: Array<[Record<string, unknown>, RegExp]> = [
        [{ ...good, parameters: [...good.parameters, { name: 'dropout', doubleValue: 0.1 }] }, /unknown parameter/],
        [{ ...good, parameters: [{ name: 'learning_rate', doubleValue: 5 }, ...good.parameters.slice(1)] }, /learning_rate/],
        [{ ...good, parameters: [{ name: 'learning_rate', stringValue: 'fast' }, ...good.parameters.slice(1)] }, /learning_rate/],
        [{ ...good, parameters: good.parameters.slice(1) }, /learning_rate.*required/],
        [{ ...good, parameters: [...good.parameters, { name: 'momentum', doubleValue: 0.9 }] }, /momentum/],
        [{ ...good, parameters: [good.parameters[0], { name: 'layers', intValue: 9 }, good.parameters[2]] }, /layers/],
        [{ ...good, parameters: [good.parameters[0], good.parameters[1], { name: 'optimizer', stringValue: 'rmsprop' }] }, /optimizer/],
        [{ ...good, finalMeasurement: { step: 1, metrics: [{ name: 'accuracy', value: NaN }, { name: 'latency', value: 3 }] } }, /accuracy/],
        [{ parameters: good.parameters }, /final_measurement/],
      ];
      for (const [bad, field] of cases) {
        const s = await statusOf(client.AddTrials({ parent: study.name, trials: [good, bad] }));
        expect({ bad, code: Status[s.code] }).toEqual({ bad, code: 'INVALID_ARGUMENT' });
        expect(s.details).toMatch(/trials\[1\]/);
        expect(s.details).toMatch(field);
      }
      expect(await count()).toBe(before);
      const added = await client.AddTrials({ parent: study.name, trials: [good, { ...good, finalMeasurement: null, infeasibleReason: 'out of memory' }] });
      expect(added.trials.map((t: { state: string }) => t.state)).toEqual(['SUCCEEDED', 'INFEASIBLE']);
      expect(await count()).toBe(before + 2);
    });

    it('SuggestTrials, Heartbeat and ListTrials reject bad arguments', async () => {
      const trials = async () => (await client.ListTrials({ parent: study.name, pageSize: 1000 })).trials.length;
      const before = await trials();
      expect((await statusOf(client.SuggestTrials({ parent: study.name, count: 0, clientId: 'v' }))).details).toMatch(/count/);
      expect((await statusOf(client.SuggestTrials({ parent: study.name, count: 101, clientId: 'v' }))).details).toMatch(/count/);
      expect((await statusOf(client.SuggestTrials({ parent: study.name, count: 1, clientId: '' }))).details).toMatch(/client_id/);
      expect((await statusOf(client.SuggestTrials({ parent: study.name, count: 1, clientId: 'x'.repeat(257) }))).details).toMatch(/client_id/);
      expect(await trials()).toBe(before);
      expect((await statusOf(client.Heartbeat({ parent: study.name }))).details).toMatch(/client_id/);
      expect((await statusOf(client.ListTrials({ parent: study.name, pageSize: 1001 }))).details).toMatch(/page_size/);
      expect((await statusOf(client.ListTrials({ parent: study.name, pageToken: '%%%' }))).details).toMatch(/page_token/);
      const page = await client.ListTrials({ parent: study.name, pageSize: 1 });
      expect(page.nextPageToken).not.toBe('');
      const mismatch = await statusOf(client.ListTrials({ parent: study.name, pageSize: 1, pageToken: page.nextPageToken, states: ['ACTIVE'] }));
      expect(mismatch.code).toBe(Status.INVALID_ARGUMENT);
    });
  });
});

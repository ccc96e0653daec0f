/** The basic loop over a real server on loopback, for each backend: create (and idempotent create),
 *  suggest → report → complete, reads, pagination, optimal trials, delete. */
import { statusOf, Status, backends, measurement, quasiRandomConfig } from '@hpo/testing';
import { serverSuite } from './support/server-suite';

describe.each(backends())('study lifecycle on $name', ({ fresh }) => {
  const { client } = serverSuite(() => fresh().env);

  it('creates a study, and RETURN_EXISTING returns the same one', async () => {
    const created = await client.CreateStudy({ displayName: 'lifecycle', config: quasiRandomConfig() });
    expect(created.name).toMatch(/^studies\/\d+$/);
    expect(created.config.seed).toBeGreaterThan(0);
    expect(created.config.leaseSeconds).toBe(300);
    expect(created.config.algorithm).toBe('QUASI_RANDOM_SEARCH');
    expect(created.state).toBe('ACTIVE');
    const again = await client.CreateStudy({ displayName: 'lifecycle', config: quasiRandomConfig({ maxTrials: 3 }), ifExists: 'RETURN_EXISTING' });
    expect(again.name).toBe(created.name);
    expect(again.config.maxTrials).toBe(0);
    const dup = await statusOf(client.CreateStudy({ displayName: 'lifecycle', config: quasiRandomConfig() }));
    expect(dup.code).toBe(Status.ALREADY_EXISTS);
    expect((await client.GetStudy({ name: created.name })).displayName).toBe('lifecycle');
  });

  it('runs suggest → report → complete loops and finds the best trial', async () => {
    const study = await client.CreateStudy({ displayName: 'loop', config: quasiRandomConfig({ maxTrials: 6 }) });
    const seen = new Set<string>();
    let best = -Infinity;
    for (let round = 0; round < 3; round++) {
      const { trials, studyDone } = await client.SuggestTrials({ parent: study.name, count: 2, clientId: 'worker-a' });
      expect(trials).toHaveLength(2);
      for (const t of trials) {
        expect(t.state).toBe('ACTIVE');
        expect(seen.has(t.name)).toBe(false);
        seen.add(t.name);
        const names = t.parameters.map((p: { name: string }) => p.name);
        expect(names).toEqual(expect.arrayContaining(['learning_rate', 'layers', 'optimizer']));
        const lr = t.parameters.find((p: { name: string }) => p.name === 'learning_rate');
        expect(lr.value).toBe('doubleValue');
        expect(lr.doubleValue).toBeGreaterThanOrEqual(1e-4);
        expect(t.parameters.find((p: { name: string }) => p.name === 'layers').value).toBe('intValue');
        const accuracy = 0.5 + 0.05 * t.id;
        best = Math.max(best, accuracy);
        const r = await client.ReportIntermediate({ name: t.name, measurement: measurement(1, accuracy - 0.1) });
        expect(r.decision).toBe('CONTINUE');
        const done = await client.CompleteTrial({ name: t.name, finalMeasurement: measurement(2, accuracy) });
        expect(done.state).toBe('SUCCEEDED');
        expect(done.measurements).toHaveLength(1);
      }
      expect(studyDone).toBe(round === 2);
    }
    const more = await client.SuggestTrials({ parent: study.name, count: 1, clientId: 'worker-a' });
    expect(more.trials).toHaveLength(0);
    expect(more.studyDone).toBe(true);
    const optimal = await client.ListOptimalTrials({ parent: study.name });
    expect(optimal.optimalTrials).toHaveLength(1);
    expect(optimal.optimalTrials[0].finalMeasurement.metrics[0].value).toBeCloseTo(best, 12);
    const got = await client.GetStudy({ name: study.name });
    expect(got.state).toBe('COMPLETED');
    expect(got.trialCounts.succeeded).toBe(6);
  });

  it('a study whose only budget is early_stopping.max_steps_total completes (state COMPLETED) once the steps are spent', async () => {
    const study = await client.CreateStudy({ displayName: 'step-budget', config: quasiRandomConfig({ earlyStopping: { mode: 'NONE', maxStep: 5, maxStepsTotal: 12 } }) });
    expect(study.config.earlyStopping.maxStepsTotal).toBe(12);
    let trained = 0;
    for (let round = 0; round < 10; round++) {
      const { trials, studyDone } = await client.SuggestTrials({ parent: study.name, count: 1, clientId: 'w' });
      if (studyDone || trials.length === 0) break;
      expect((await client.GetStudy({ name: study.name })).state).toBe('ACTIVE');
      for (let step = 1; step <= 5; step++) await client.ReportIntermediate({ name: trials[0].name, measurement: measurement(step, 0.5 + step / 100) });
      trained += 5;
      await client.CompleteTrial({ name: trials[0].name, finalMeasurement: measurement(5, 0.55) });
    }
    // Three trials of 5 steps: the third starts with 10 of 12 spent and finishes past the budget.
    expect(trained).toBe(15);
    const done = await client.SuggestTrials({ parent: study.name, count: 1, clientId: 'w' });
    expect(done.trials).toEqual([]);
    expect(done.studyDone).toBe(true);
    const after = await client.GetStudy({ name: study.name });
    expect(after.state).toBe('COMPLETED');
    expect(after.trialCounts.succeeded).toBe(3);
    expect((await client.ListStudies({})).studies.find((s: any) => s.name === study.name).state).toBe('COMPLETED');
  });

  it('pages through studies and trials with opaque tokens', async () => {
    const study = await client.CreateStudy({ displayName: 'paging', config: quasiRandomConfig() });
    await client.SuggestTrials({ parent: study.name, count: 5, clientId: 'pager' });
    const ids: number[] = [];
    let token = '';
    do {
      const page = await client.ListTrials({ parent: study.name, pageSize: 2, pageToken: token });
      ids.push(...page.trials.map((t: { id: number }) => t.id));
      token = page.nextPageToken;
    } while (token);
    expect(ids).toEqual([1, 2, 3, 4, 5]);
    const active = await client.ListTrials({ parent: study.name, states: ['SUCCEEDED'] });
    expect(active.trials).toHaveLength(0);
    const names: string[] = [];
    token = '';
    do {
      const page = await client.ListStudies({ pageSize: 1, pageToken: token });
      names.push(...page.studies.map((s: { displayName: string }) => s.displayName));
      token = page.nextPageToken;
    } while (token);
    expect(names[0]).toBe('paging');
    expect(new Set(names).size).toBe(names.length);
    expect((await statusOf(client.ListStudies({ pageToken: 'not-a-token' }))).code).toBe(Status.INVALID_ARGUMENT);
  });

  it('deletes a study and its trials', async () => {
    const study = await client.CreateStudy({ displayName: 'doomed', config: quasiRandomConfig() });
    await client.SuggestTrials({ parent: study.name, count: 1, clientId: 'w' });
    await client.DeleteStudy({ name: study.name });
    expect((await statusOf(client.GetStudy({ name: study.name }))).code).toBe(Status.NOT_FOUND);
    expect((await statusOf(client.GetTrial({ name: `${study.name}/trials/1` }))).code).toBe(Status.NOT_FOUND);
    expect((await statusOf(client.DeleteStudy({ name: study.name }))).code).toBe(Status.NOT_FOUND);
  });
});

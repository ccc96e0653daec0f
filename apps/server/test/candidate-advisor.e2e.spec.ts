/** The CandidateAdvisor hook (the LLM module's seat) through the real server with a scripted advisor:
 *  called outside the transaction with purpose warm_start, then candidates; its proposals reach the
 *  policy (invalid ones dropped); its tokens add to the study's llm_tokens_used; a tenant with the LLM
 *  switched off never reaches it; an advisor that throws never fails SuggestTrials. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createTenant, openStorage, setTenantLlmEnabled } from '../src/admin';
import { createStudyClient, StudyClient, freshSqliteBackend, ServerProcess, startServerProcess, measurement, quasiRandomConfig } from '@hpo/testing';

const ADVISOR_SERVER = path.join(__dirname, 'support/advisor-server.js');

const llmConfig = (displayName: string) => ({
  displayName,
  config: quasiRandomConfig({
    algorithm: 'LLM_GP_BANDIT',
    seed: 3,
    llm: { enabled: true, warmStart: true, candidateSampling: true },
  }),
});

function calls(log: string): Array<Record<string, any>> {
  return fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
}

describe('candidate advisor', () => {
  let server: ServerProcess;
  let withLlm: StudyClient;
  let withoutLlm: StudyClient;
  let log: string;

  beforeAll(async () => {
    const backend = freshSqliteBackend();
    log = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hpo-advisor-')), 'calls.jsonl');
    const storage = await openStorage(backend.storageOptions);
    let keys: string[];
    try {
      keys = [(await createTenant(storage, 'llm-on')).apiKey, (await createTenant(storage, 'llm-off')).apiKey];
      await setTenantLlmEnabled(storage, 'llm-off', false);
    } finally {
      await storage.close();
    }
    server = await startServerProcess({ ...backend.env, HPO_TEST_ADVISOR_LOG: log }, { timeoutMs: 20_000, entry: ADVISOR_SERVER });
    withLlm = createStudyClient(server.address, keys[0]);
    withoutLlm = createStudyClient(server.address, keys[1]);
  });
  afterAll(async () => {
    withLlm?.close();
    withoutLlm?.close();
    await server?.stop();
  });

  it('warm-starts from the advisor, then asks for candidates, and meters its tokens', async () => {
    const study = await withLlm.CreateStudy(llmConfig('advised'));
    const first = await withLlm.SuggestTrials({ parent: study.name, count: 2, clientId: 'w' });
    expect(first.trials).toHaveLength(2);
    expect(calls(log)).toEqual([expect.objectContaining({ purpose: 'warm_start', count: 2, trials: 0, tokensUsedSoFar: 0, studyId: study.name.split('/')[1] })]);
    const lrs = first.trials.map((t: any) => t.parameters.find((p: any) => p.name === 'learning_rate').doubleValue);
    // GP_BANDIT's warm-start gate leads the initial design with one space-filling point, then takes the
    // advisor's proposals in order (libs/core gp-bandit.ts, warmStartGate).
    expect(lrs[0]).not.toBe(0.001);
    expect(first.trials[0].statusReason).not.toMatch(/warm start/);
    expect(lrs[1]).toBe(0.001);
    expect(first.trials[1].statusReason).toMatch(/warm start/);
    expect((await withLlm.GetStudy({ name: study.name })).llmTokensUsed).toBe(100);
    for (const t of first.trials) await withLlm.CompleteTrial({ name: t.name, finalMeasurement: measurement(1, 0.3) });
    // The initial design is max(5, d + 1) = 6 trials here (the categorical is one-hot encoded), of which
    // the warm start may fill half: one more warm-start call (for the third slot), then none while the
    // design's quasi-random points run (the GP takes nothing else from the LLM there), and candidates
    // once six trials are observed.
    for (let i = 0; i < 5; i++) {
      const t = (await withLlm.SuggestTrials({ parent: study.name, count: 1, clientId: 'w' })).trials[0];
      if (i >= 1 && i <= 3) expect(t.statusReason).toMatch(/^initial design \(Halton point/);
      await withLlm.CompleteTrial({ name: t.name, finalMeasurement: measurement(1, 0.1 * i) });
    }
    const purposes = calls(log).map((c) => c.purpose);
    expect(purposes).toEqual(['warm_start', 'warm_start', 'candidates']);
    expect(calls(log)[1]).toMatchObject({ count: 1, trials: 2 });
    expect(calls(log)[calls(log).length - 1].tokensUsedSoFar).toBe(100 * (calls(log).length - 1));
    expect((await withLlm.GetStudy({ name: study.name })).llmTokensUsed).toBe(100 * calls(log).length);
  });

  it('does not call the advisor for a tenant with the LLM switched off', async () => {
    const before = calls(log).length;
    const study = await withoutLlm.CreateStudy(llmConfig('not-advised'));
    const r = await withoutLlm.SuggestTrials({ parent: study.name, count: 2, clientId: 'w' });
    expect(r.trials).toHaveLength(2);
    expect(calls(log).length).toBe(before);
    expect((await withoutLlm.GetStudy({ name: study.name })).llmTokensUsed).toBe(0);
  });
});

describe('a failing candidate advisor', () => {
  it('never fails SuggestTrials', async () => {
    const backend = freshSqliteBackend();
    const log = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hpo-advisor-')), 'calls.jsonl');
    const server = await startServerProcess({ ...backend.env, HPO_TEST_ADVISOR_LOG: log, HPO_TEST_ADVISOR: 'throw' }, { timeoutMs: 20_000, entry: ADVISOR_SERVER });
    const client = createStudyClient(server.address);
    try {
      const study = await client.CreateStudy(llmConfig('unlucky'));
      const r = await client.SuggestTrials({ parent: study.name, count: 3, clientId: 'w' });
      expect(r.trials).toHaveLength(3);
      expect(calls(log)).toHaveLength(1);
      expect((await client.GetStudy({ name: study.name })).llmTokensUsed).toBe(0);
      expect(server.logs()).toMatch(/candidate advisor failed/);
    } finally {
      client.close();
      await server.stop();
    }
  });
});

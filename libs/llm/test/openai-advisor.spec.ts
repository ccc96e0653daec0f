/** The advisor over real HTTP on loopback: the real `openai` client against a scripted
 *  OpenAI-compatible server that gives good advice, misleading advice, garbage and time-outs. */
import { adviserScript, garbageScript, slowScript, startScriptedServer, type ScriptedServer, braninTask } from '@hpo/testing';
import type { LlmConfig, StudyView } from '@hpo/core';
import { GuardedProvider, LlmAdvisor, OpenAiCompatibleProvider, warmStartLimit, type LlmAdvisorOptions, type LlmProvider } from '../src';
import { braninConfig, completed, study } from './fixtures';

const API_KEY = 'sk-test-secret-0123456789';

interface Logged {
  level: string;
  fields: Record<string, unknown>;
  message: string;
}

describe('LlmAdvisor with an OpenAI-compatible endpoint', () => {
  let server: ScriptedServer;
  let providers: LlmProvider[];
  let logs: Logged[];

  beforeAll(async () => {
    server = await startScriptedServer(adviserScript(braninTask, 'good', 1));
  });
  afterAll(async () => server.close());
  beforeEach(() => {
    providers = [];
    logs = [];
    server.requests.length = 0;
    server.resetStats();
  });
  afterEach(async () => {
    await Promise.all(providers.map((p) => p.close?.()));
  });

  function advisor(options: Partial<LlmAdvisorOptions> = {}, guard = { retries: 1, backoffMs: 10, maxConcurrent: 4, cacheEntries: 64 }): LlmAdvisor {
    const provider = new GuardedProvider(new OpenAiCompatibleProvider({ baseUrl: server.baseUrl, model: 'scripted', apiKey: API_KEY }), guard);
    providers.push(provider);
    return new LlmAdvisor({
      providerFor: () => provider,
      logger: {
        warn: (fields, message) => logs.push({ level: 'warn', fields, message }),
        debug: (fields, message) => logs.push({ level: 'debug', fields, message }),
      },
      ...options,
    });
  }

  const request = (view: StudyView, purpose: 'warm_start' | 'candidates', count = 3, tokensUsedSoFar = 0) => ({
    study: view,
    count,
    purpose,
    tenantId: '1',
    studyId: '42',
    tokensUsedSoFar,
  });

  const history = (llm: Partial<LlmConfig> = {}): StudyView => {
    const config = braninConfig();
    config.llm = { ...config.llm!, ...llm };
    return study(config, [
      completed(1, { x1: 0, x2: 0 }, 'loss', braninTask.evaluate({ x1: 0, x2: 0 })),
      completed(2, { x1: 5, x2: 10 }, 'loss', braninTask.evaluate({ x1: 5, x2: 10 })),
      completed(3, { x1: -2, x2: 7 }, 'loss', braninTask.evaluate({ x1: -2, x2: 7 })),
    ]);
  };

  it('warm start: good advice lands near an optimum, with the schema asked for and tokens counted', async () => {
    server.setScript(adviserScript(braninTask, 'good', 2));
    const r = await advisor().propose(request(study(braninConfig()), 'warm_start', 3));
    expect(r.candidates).toHaveLength(3);
    for (const c of r.candidates) {
      expect(c.reason).toBe('llm warm start');
      expect(braninTask.evaluate(c.parameters as Record<string, number>)).toBeLessThan(3);
    }
    expect(server.requests).toHaveLength(1);
    const sent = server.requests[0];
    expect(sent.authorization).toBe(`Bearer ${API_KEY}`);
    expect(sent.body.response_format?.type).toBe('json_schema');
    expect(sent.body.messages[1].content).toContain('The Branin function');
    expect(r.tokensUsed).toBeGreaterThan(50);
    expect(logs.filter((l) => l.level === 'warn')).toEqual([]);
  });

  it('candidate sampling conditions on a target beyond the incumbent; misleading advice is still valid data', async () => {
    server.setScript(adviserScript(braninTask, 'misleading', 3));
    const r = await advisor({ samplesPerCall: 5 }).propose(request(history(), 'candidates', 2));
    expect(r.candidates).toHaveLength(5);
    const target = /target performance of (-?\d+(?:\.\d+)?(?:e-?\d+)?)\. /.exec(server.requests[0].body.messages[1].content)![1];
    expect(Number(target)).toBeLessThan(braninTask.evaluate({ x1: -2, x2: 7 }));
    for (const c of r.candidates) {
      expect(c.reason).toBe(`llm candidate (target ${target})`);
      const { x1, x2 } = c.parameters as Record<string, number>;
      expect(x1).toBeGreaterThanOrEqual(-5);
      expect(x2).toBeGreaterThanOrEqual(0);
      expect(braninTask.evaluate({ x1, x2 })).toBeGreaterThan(150);
    }
  });

  it('garbage costs one warning and no candidates, never an exception', async () => {
    server.setScript(garbageScript);
    const a = advisor();
    for (let i = 0; i < 4; i++) {
      logs = [];
      const r = await a.propose(request(history(), 'candidates', 2, i * 10));
      expect(r.candidates).toEqual([]);
      expect(r.tokensUsed).toBeGreaterThan(0);
      const warnings = logs.filter((l) => l.level === 'warn');
      expect(warnings).toHaveLength(1);
      expect(warnings[0].message).toMatch(/^LLM advice skipped, the study goes on with the plain GP: no usable configuration/);
    }
    expect(JSON.stringify(logs)).not.toContain(API_KEY);
  });

  it('a late reply times out: one warning, no candidates, back within the timeout', async () => {
    server.setScript(slowScript(5000));
    const started = Date.now();
    const r = await advisor().propose(request(history({ timeoutSeconds: 0.3 }), 'candidates', 2));
    expect(Date.now() - started).toBeLessThan(2000);
    expect(r.candidates).toEqual([]);
    const warnings = logs.filter((l) => l.level === 'warn');
    expect(warnings).toHaveLength(1);
    expect(warnings[0].message).toMatch(/no reply within 300 ms/);
    // A timed-out call is charged its prompt: the endpoint may bill it.
    expect(r.tokensUsed).toBeGreaterThan(0);
  });

  it('a refusal costs one warning naming it, and is not retried', async () => {
    server.setScript(() => ({ refusal: "I'm sorry, I can't assist with that request." }));
    const r = await advisor().propose(request(study(braninConfig()), 'warm_start', 3));
    expect(r.candidates).toEqual([]);
    expect(server.requests).toHaveLength(1);
    expect(logs.filter((l) => l.level === 'warn').map((l) => l.message)).toEqual([
      "LLM advice skipped, the study goes on with the plain GP: the model refused: I'm sorry, I can't assist with that request.",
    ]);
  });

  it('an endpoint without structured output gets json_object, then plain requests', async () => {
    const good = adviserScript(braninTask, 'good', 4);
    server.setScript((body, i) => {
      if (body.response_format?.type === 'json_schema') return { status: 400, content: "Invalid parameter: 'response_format' of type 'json_schema' is not supported" };
      if (body.response_format?.type === 'json_object') return { status: 400, content: 'response_format is not supported by this model' };
      return good(body, i);
    });
    const r = await advisor().propose(request(study(braninConfig()), 'warm_start', 3));
    expect(r.candidates).toHaveLength(3);
    expect(server.requests.map((q) => q.body.response_format?.type ?? 'plain')).toEqual(['json_schema', 'json_object', 'plain']);
  });

  it('retries a 500 once, does not retry a 401, and never logs the key', async () => {
    const good = adviserScript(braninTask, 'good', 5);
    server.setScript((body, i) => (i === 0 ? { status: 500, content: 'overloaded' } : good(body, i)));
    const ok = await advisor().propose(request(study(braninConfig()), 'warm_start', 3));
    expect(ok.candidates).toHaveLength(3);
    expect(server.requests).toHaveLength(2);

    server.requests.length = 0;
    server.setScript(() => ({ status: 401, content: 'Incorrect API key provided' }));
    const denied = await advisor().propose(request(study(braninConfig()), 'warm_start', 3));
    expect(denied).toEqual({ candidates: [], tokensUsed: 0 });
    expect(server.requests).toHaveLength(1);
    expect(logs.filter((l) => l.level === 'warn')[0].message).toMatch(/HTTP 401/);
    expect(JSON.stringify(logs)).not.toContain(API_KEY);
  });

  it('respects the study and tenant token budgets before calling', async () => {
    server.setScript(adviserScript(braninTask, 'good', 6));
    const view = history({ maxTokensTotal: 1000 });
    const r = await advisor().propose(request(view, 'candidates', 2, 900));
    expect(r).toEqual({ candidates: [], tokensUsed: 0 });
    expect(server.requests).toHaveLength(0);
    expect(logs[0].message).toMatch(/over the study token budget/);

    const recorded: number[] = [];
    const ledger = { remaining: () => 10, record: (_t: string, n: number) => void recorded.push(n) };
    logs = [];
    const t = await advisor({ tenantLedger: ledger }).propose(request(history(), 'candidates', 2));
    expect(t.candidates).toEqual([]);
    expect(logs[0].message).toMatch(/over the tenant token budget/);

    const spent = await advisor({ tenantLedger: { remaining: () => 1e9, record: (_t, n) => void recorded.push(n) } }).propose(request(history(), 'candidates', 2));
    expect(spent.candidates.length).toBeGreaterThan(0);
    expect(recorded).toEqual([spent.tokensUsed]);
  });

  it('parallel surrogate calls reserve their estimates: a study never spends past its budget', async () => {
    server.setScript(adviserScript(braninTask, 'good', 10));
    let sawSurrogate = false;
    for (let budget = 500; budget <= 6000; budget += 250) {
      const r = await advisor({ samplesPerCall: 4, surrogatePrompts: 3 }).propose(request(history({ surrogate: true, maxTokensTotal: budget }), 'candidates', 2));
      expect(r.tokensUsed).toBeLessThanOrEqual(budget);
      sawSurrogate ||= r.candidates.some((c) => c.reason!.includes('surrogate'));
    }
    expect(sawSurrogate).toBe(true);
  });

  it('does nothing when the study, its switches or the tenant say no', async () => {
    const a = advisor({ tenantAllowed: (tenant) => tenant !== '1' });
    expect(await a.propose(request(history(), 'candidates'))).toEqual({ candidates: [], tokensUsed: 0 });
    const b = advisor();
    expect(await b.propose(request(history({ enabled: false }), 'candidates'))).toEqual({ candidates: [], tokensUsed: 0 });
    expect(await b.propose(request(history({ warmStart: false }), 'warm_start'))).toEqual({ candidates: [], tokensUsed: 0 });
    expect(await b.propose(request(history({ candidateSampling: false }), 'candidates'))).toEqual({ candidates: [], tokensUsed: 0 });
    expect(server.requests).toHaveLength(0);
  });

  it('caches by prompt (the second identical request costs nothing) and limits concurrency', async () => {
    server.setScript((body, i) => ({ ...adviserScript(braninTask, 'good', 7)(body, i), delayMs: 50 }));
    const a = advisor({}, { retries: 0, backoffMs: 0, maxConcurrent: 1, cacheEntries: 16 });
    const first = await a.propose(request(study(braninConfig()), 'warm_start', 3));
    const again = await a.propose(request(study(braninConfig()), 'warm_start', 3));
    expect(again.candidates).toEqual(first.candidates);
    expect(again.tokensUsed).toBe(0);
    expect(server.requests).toHaveLength(1);

    const views = [1, 2, 3].map((n) => study(braninConfig({ seed: n })));
    const results = await Promise.all(views.map((v) => a.propose(request(v, 'warm_start', 3))));
    expect(results.every((r) => r.candidates.length === 3)).toBe(true);
    expect(server.maxInFlight).toBe(1);
  });

  it('a warm-start call asks for every warm-start trial still to come, so parallel workers share one reply', async () => {
    server.setScript(adviserScript(braninTask, 'good', 12));
    const a = advisor();
    const config = braninConfig({ problemDescription: 'Branin, shared warm start.' });
    const first = await a.propose(request(study(config), 'warm_start', 1));
    expect(first.candidates).toHaveLength(3);
    expect(server.requests[0].body.messages[1].content).toContain('Recommend 3 diverse configurations');
    // A second worker, with the first one's trial pending: same prompt, cached reply, the next two configurations.
    const pending = { id: 1, state: 'ACTIVE' as const, parameters: first.candidates[0].parameters, measurements: [] };
    const second = await a.propose(request(study(config, [pending]), 'warm_start', 1));
    expect(server.requests).toHaveLength(1);
    expect(second.candidates.map((c) => c.parameters)).toEqual(first.candidates.slice(1).map((c) => c.parameters));
    expect(second.tokensUsed).toBe(0);
  });

  it('identical prompts in flight at once make one call (many workers starting a study together)', async () => {
    server.setScript((body, i) => ({ ...adviserScript(braninTask, 'good', 11)(body, i), delayMs: 100 }));
    const a = advisor();
    const view = study(braninConfig({ problemDescription: 'The Branin function, started by 8 workers at once.' }));
    const results = await Promise.all(Array.from({ length: 8 }, () => a.propose(request(view, 'warm_start', 1))));
    expect(server.requests).toHaveLength(1);
    expect(results.every((r) => r.candidates.length === 3)).toBe(true);
    expect(results.filter((r) => r.tokensUsed > 0)).toHaveLength(1);
  });

  it('the surrogate keeps the sampled candidates with the best expected improvement from shuffled-example prompts', async () => {
    // Good predictions (the true Branin values) for a mix of good and bad proposals.
    const proposals = [
      { x1: -4.9, x2: 0.2 },
      { x1: 3.14, x2: 2.3 },
      { x1: 0, x2: 14 },
      { x1: -3.1, x2: 12.3 },
    ];
    server.setScript((body, i) => {
      const truthful = adviserScript(braninTask, 'good', 8)(body, i);
      if (/Predict the performance/.test(body.messages[1].content)) return truthful;
      return { content: JSON.stringify({ configurations: proposals }) };
    });
    const r = await advisor({ samplesPerCall: 4, surrogatePrompts: 3 }).propose(request(history({ surrogate: true }), 'candidates', 2));
    expect(server.requests).toHaveLength(4);
    const surrogatePrompts = server.requests.slice(1).map((q) => q.body.messages[1].content);
    expect(new Set(surrogatePrompts).size).toBe(3);
    // Only the `count` (2) best by the surrogate's EI go on to the GP: the two near-optimal proposals.
    const order = r.candidates.map((c) => (c.parameters as Record<string, number>).x1);
    expect(order.sort()).toEqual([-3.1, 3.14]);
    expect(r.candidates[0].reason).toMatch(/llm surrogate EI/);
  });
  it('a surrogate that answers garbage costs one warning; the sampled candidates still go on', async () => {
    server.setScript((body, i) => {
      if (/Predict the performance/.test(body.messages[1].content)) return { content: '{"predictions": ["high", "low"]}' };
      return adviserScript(braninTask, 'good', 9)(body, i);
    });
    const r = await advisor({ samplesPerCall: 3, surrogatePrompts: 2 }).propose(request(history({ surrogate: true }), 'candidates', 1));
    expect(r.candidates).toHaveLength(3);
    expect(r.candidates.every((c) => !c.reason!.includes('surrogate'))).toBe(true);
    const warnings = logs.filter((l) => l.level === 'warn');
    expect(warnings.map((w) => w.message)).toEqual(['LLM surrogate skipped, candidates kept in sampled order: no surrogate reply held usable predictions']);
    expect(server.requests).toHaveLength(3);
  });
});

describe('warm start share of the initial design', () => {
  it('proposes for half the initial design (rounded up) unless warm_start_trials says otherwise', async () => {
    expect(warmStartLimit(study(braninConfig()))).toBe(3);
    const h6 = braninConfig({ parameters: Array.from({ length: 6 }, (_, i) => ({ name: `x${i}`, type: 'DOUBLE' as const, min: 0, max: 1 })) });
    expect(warmStartLimit(study(h6))).toBe(4);
    const explicit = braninConfig();
    explicit.llm = { ...explicit.llm!, warmStartTrials: 7 };
    expect(warmStartLimit(study(explicit))).toBe(7);
    // Past the limit the advisor does not call the model at all.
    let calls = 0;
    const advisor = new LlmAdvisor({
      providerFor: () => ({ description: 'counting', complete: async () => ((calls += 1), { text: '{}', promptTokens: 1, completionTokens: 1 }) }),
      logger: { warn: () => undefined },
    });
    const trials = [1, 2, 3].map((id) => completed(id, { x1: id, x2: id }, 'loss', id));
    const r = await advisor.propose({ study: study(braninConfig(), trials), count: 1, purpose: 'warm_start', tenantId: 't', studyId: 's', tokensUsedSoFar: 0 });
    expect(r).toEqual({ candidates: [], tokensUsed: 0 });
    expect(calls).toBe(0);
  });
});

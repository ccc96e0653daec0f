/** The embedded provider end to end with a real (tiny) GGUF model: stories260K writes children's
 *  stories, not hyperparameters, so this checks the plumbing — the worker loads the model, the grammar
 *  forces JSON of the schema's shape, the parser validates and clamps whatever numbers it wrote, and
 *  failures fall back to no candidates. Skips when ../shared/models/stories260K.gguf is absent. */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import {
  configurationsReplySchema,
  extractJson,
  GuardedProvider,
  LlmAdvisor,
  LocalGgufProvider,
  localGgufWorkerPath,
  parseCandidateReply,
  sharedModelsDir,
} from '../src';
import { braninConfig, completed, mixedConfig, study } from './fixtures';

const modelPath = path.join(sharedModelsDir(), 'stories260K.gguf');
const available = existsSync(modelPath) && existsSync(localGgufWorkerPath());
if (!available) {
  // eslint-disable-next-line no-console
  console.warn(
    `local GGUF tests skipped: ${existsSync(modelPath) ? `${localGgufWorkerPath()} is missing (run npm run build)` : `${modelPath} is absent`}`,
  );
}
const describeIfModel = available ? describe : describe.skip;

describeIfModel('LocalGgufProvider with stories260K.gguf', () => {
  const local = new LocalGgufProvider({ modelPath, contextSize: 2048 });
  const provider = new GuardedProvider(local, { retries: 0, backoffMs: 0, maxConcurrent: 1, cacheEntries: 0 });
  afterAll(async () => provider.close());

  it('generates grammar-constrained JSON of the schema built from the space', async () => {
    const config = mixedConfig();
    const schema = configurationsReplySchema(config.parameters, 2);
    // A 260K-parameter model may write a number that never ends (it likes zeros) until the token cap;
    // over four seeds, several replies complete, and every complete one has the schema's shape.
    let complete = 0;
    for (const seed of [1, 2, 3, 4]) {
      const r = await provider.complete(
        { system: 'Answer in JSON.', user: 'Recommend 2 configurations.', schema, maxReplyTokens: 300, temperature: 0.7, seed, timeoutMs: 30_000 },
        new AbortController().signal,
      );
      expect(r.text.trimStart()).toMatch(/^\{\s*"configurations"\s*:\s*\[/);
      expect(r.promptTokens).toBeGreaterThan(0);
      expect(r.completionTokens).toBeGreaterThan(0);
      let value: { configurations: Record<string, unknown>[] };
      try {
        value = JSON.parse(r.text);
      } catch {
        continue;
      }
      complete++;
      expect(value.configurations.length).toBeGreaterThanOrEqual(1);
      for (const c of value.configurations) {
        expect(typeof c.learning_rate).toBe('number');
        expect(Number.isInteger(c.layers)).toBe(true);
        expect([16, 32, 64, 128]).toContain(c.batch_size);
        expect(['adam', 'sgd']).toContain(c.optimizer);
        expect(Object.keys(c).every((k) => ['learning_rate', 'layers', 'batch_size', 'optimizer', 'momentum'].includes(k))).toBe(true);
      }
      // Its numbers are nonsense (negative learning rates, zero layers): the parser clamps them into the space.
      const parsed = parseCandidateReply(r.text, config.parameters, { maxCandidates: 2 });
      expect(parsed.candidates.length).toBeGreaterThan(0);
      for (const c of parsed.candidates) {
        expect(c.learning_rate as number).toBeGreaterThanOrEqual(1e-5);
        expect(c.learning_rate as number).toBeLessThanOrEqual(0.1);
        expect(c.layers as number).toBeGreaterThanOrEqual(1);
        expect(c.layers as number).toBeLessThanOrEqual(8);
      }
    }
    expect(complete).toBeGreaterThanOrEqual(2);
  });

  it('serves the advisor: candidates inside the space or one warning, with tokens counted', async () => {
    const warnings: string[] = [];
    const advisor = new LlmAdvisor({ providerFor: () => provider, logger: { warn: (_f, m) => warnings.push(m) } });
    const config = braninConfig();
    config.llm = { ...config.llm!, provider: 'LOCAL_GGUF', timeoutSeconds: 30 };
    const view = study(config, [completed(1, { x1: 0, x2: 0 }, 'loss', 55.6), completed(2, { x1: 5, x2: 5 }, 'loss', 25.3)]);
    const r = await advisor.propose({ study: view, count: 3, purpose: 'candidates', tenantId: 't', studyId: 's', tokensUsedSoFar: 0 });
    expect(r.tokensUsed).toBeGreaterThan(0);
    if (r.candidates.length === 0) {
      expect(warnings).toHaveLength(1);
    } else {
      expect(warnings).toHaveLength(0);
      for (const c of r.candidates) {
        const { x1, x2 } = c.parameters as Record<string, number>;
        expect(x1).toBeGreaterThanOrEqual(-5);
        expect(x1).toBeLessThanOrEqual(10);
        expect(x2).toBeGreaterThanOrEqual(0);
        expect(x2).toBeLessThanOrEqual(15);
      }
    }
  });

  it('times out a generation that cannot finish in time, and keeps working afterwards', async () => {
    // At least 50 configurations: over a thousand tokens, seconds of generation for any model here.
    const schema = configurationsReplySchema(braninConfig().parameters, 50);
    schema.properties!.configurations.minItems = 50;
    const started = Date.now();
    await expect(
      provider.complete(
        { system: 'Answer in JSON.', user: 'Recommend 50 configurations.', schema, maxReplyTokens: 4000, temperature: 1, timeoutMs: 50 },
        new AbortController().signal,
      ),
    ).rejects.toThrow(/no reply within 50 ms/);
    expect(Date.now() - started).toBeLessThan(1000);
    const after = await provider.complete(
      { system: 'Answer in JSON.', user: 'One configuration.', schema: configurationsReplySchema(braninConfig().parameters, 1), maxReplyTokens: 200, temperature: 0.7, seed: 1, timeoutMs: 30_000 },
      new AbortController().signal,
    );
    // The grammar holds the reply to the schema's prefix; a model this small may still run out of tokens
    // inside a long number, which the parser then refuses.
    expect(after.text.trimStart()).toMatch(/^\{\s*"configurations"\s*:\s*\[/);
  });

  it('a missing model file is a clear failure that the advisor turns into no candidates', async () => {
    const missing = new LocalGgufProvider({ modelPath: path.join(sharedModelsDir(), 'no-such-model.gguf') });
    const warnings: string[] = [];
    const advisor = new LlmAdvisor({ providerFor: () => missing, logger: { warn: (_f, m) => warnings.push(m) } });
    const r = await advisor.propose({ study: study(braninConfig()), count: 2, purpose: 'warm_start', tenantId: 't', studyId: 's', tokensUsedSoFar: 0 });
    expect(r).toEqual({ candidates: [], tokensUsed: 0 });
    expect(warnings).toEqual([expect.stringMatching(/model file not found: .*no-such-model\.gguf/)]);
  });
});

/** Which endpoint a study may call, with which key, and the per-tenant daily ledger. Real HTTP on
 *  loopback: the key must reach the server's own endpoint and no other. */
import * as path from 'node:path';
import { adviserScript, startScriptedServer, type ScriptedServer, braninTask } from '@hpo/testing';
import type { LlmConfig } from '@hpo/core';
import { configurationsReplySchema } from '@hpo/llm';
import { llmSettingsFromEnv } from '../llm-settings';
import { LlmProviderRegistry } from '../provider-registry';

const llm = (overrides: Partial<LlmConfig> = {}): LlmConfig => ({
  enabled: true,
  provider: 'OPENAI_COMPATIBLE',
  model: '',
  baseUrl: '',
  warmStart: true,
  candidateSampling: true,
  surrogate: false,
  maxTokensTotal: 0,
  timeoutSeconds: 0,
  warmStartTrials: 0,
  ...overrides,
});

const request = {
  system: 'Answer in JSON.',
  user: 'Recommend 1 configuration.',
  schema: configurationsReplySchema(braninTask.parameters, 1),
  maxReplyTokens: 50,
  temperature: 0,
  timeoutMs: 5000,
};

describe('LlmProviderRegistry', () => {
  let own: ScriptedServer;
  let other: ScriptedServer;
  beforeAll(async () => {
    own = await startScriptedServer(adviserScript(braninTask, 'good', 1));
    other = await startScriptedServer(adviserScript(braninTask, 'good', 2));
  });
  afterAll(async () => {
    await own.close();
    await other.close();
  });

  it('sends the server key to its own endpoint only; another base URL needs the allowlist and gets no key', async () => {
    const settings = llmSettingsFromEnv({ HPO_LLM_BASE_URL: own.baseUrl + '/', HPO_LLM_API_KEY: 'sk-server-secret', HPO_LLM_ALLOWED_BASE_URLS: other.baseUrl });
    const registry = new LlmProviderRegistry(settings);
    await registry.providerFor(llm(), '1').complete(request, new AbortController().signal);
    expect(own.requests.at(-1)!.authorization).toBe('Bearer sk-server-secret');
    expect(own.requests.at(-1)!.body.model).toBe('gpt-4o-mini');

    await registry.providerFor(llm({ baseUrl: other.baseUrl, model: 'm' }), '1').complete(request, new AbortController().signal);
    expect(other.requests.at(-1)!.authorization).not.toContain('sk-server-secret');

    expect(() => registry.providerFor(llm({ baseUrl: 'http://169.254.169.254/latest' }), '1')).toThrow(
      'llm.base_url http://169.254.169.254/latest is not allowed on this server (HPO_LLM_ALLOWED_BASE_URLS)',
    );
    // Bounded: model names are the tenants' choice, so the least recently used remote provider goes.
    const small = new LlmProviderRegistry(settings, 3);
    const kept = small.providerFor(llm(), '1');
    for (let i = 0; i < 50; i++) {
      small.providerFor(llm({ model: `invented-${i}` }), '1');
      expect(small.providerFor(llm(), '1')).toBe(kept);
    }
    expect(small.size).toBe(3);
    // One provider per endpoint, model and key: studies share its concurrency limit and cache.
    expect(registry.providerFor(llm(), '2')).toBe(registry.providerFor(llm(), '1'));
    expect(registry.providerFor(llm(), '1').description).not.toContain('sk-server-secret');
    await registry.close();
  });

  it('a tenant secret replaces the server key for that tenant', async () => {
    const settings = llmSettingsFromEnv({ HPO_LLM_BASE_URL: own.baseUrl, HPO_LLM_API_KEY: 'sk-server-secret' });
    settings.tenantSecrets = { '7': { apiKey: 'sk-tenant-7' } };
    const registry = new LlmProviderRegistry(settings);
    await registry.providerFor(llm(), '7').complete(request, new AbortController().signal);
    expect(own.requests.at(-1)!.authorization).toBe('Bearer sk-tenant-7');
    await registry.providerFor(llm(), '8').complete(request, new AbortController().signal);
    expect(own.requests.at(-1)!.authorization).toBe('Bearer sk-server-secret');
    await registry.close();
  });

  it('refuses OpenAI without a key, and GGUF paths outside the models folder', () => {
    const registry = new LlmProviderRegistry(llmSettingsFromEnv({ HPO_LLM_MODELS_DIR: '/srv/models' }));
    expect(() => registry.providerFor(llm(), '1')).toThrow('no API key configured for OpenAI (HPO_LLM_API_KEY or OPENAI_API_KEY)');
    expect(() => registry.providerFor(llm({ provider: 'LOCAL_GGUF', model: '../../etc/passwd' }), '1')).toThrow(/outside the server's models folder/);
    expect(() => registry.providerFor(llm({ provider: 'LOCAL_GGUF', model: '/etc/passwd' }), '1')).toThrow(/outside the server's models folder/);
    expect(() => registry.providerFor(llm({ provider: 'LOCAL_GGUF', model: '' }), '1')).toThrow('llm.model must name a .gguf file for LOCAL_GGUF');
    expect(registry.providerFor(llm({ provider: 'LOCAL_GGUF', model: 'tiny.gguf' }), '1').description).toBe(`local-gguf ${path.basename('tiny.gguf')}`);
  });

  it('reads settings from the environment with clear errors', () => {
    const s = llmSettingsFromEnv({ OPENAI_API_KEY: 'k', HPO_LLM_TIMEOUT_SECONDS: '7.5', HPO_LLM_DISABLED: '1' }, '/data');
    expect(s).toMatchObject({ apiKey: 'k', timeoutSeconds: 7.5, disabled: true, baseUrl: 'https://api.openai.com/v1', modelsDir: '/data/models', ggufThreads: 1 });
    expect(() => llmSettingsFromEnv({ HPO_LLM_STUDY_MAX_TOKENS: 'lots' })).toThrow('HPO_LLM_STUDY_MAX_TOKENS must be a non-negative number (got "lots")');
  });
});

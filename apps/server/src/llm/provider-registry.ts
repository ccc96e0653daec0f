/** One provider object per endpoint, model and key, shared by every study that uses it: the concurrency
 *  limit and the prompt cache are per provider, not per study. Decides which endpoint a study may call
 *  and with which key. */
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import type { LlmConfig } from '@hpo/core';
import { GuardedProvider } from '@hpo/llm';
import { LocalGgufProvider } from '@hpo/llm';
import { OpenAiCompatibleProvider } from '@hpo/llm';
import type { LlmProvider } from '@hpo/llm';
import { normaliseBaseUrl, type LlmSettings } from './llm-settings';
import { MeteredProvider } from './metered-provider';

/** Providers for OpenAI-compatible endpoints kept at once. The endpoint and the key are the operator's
 *  (the allowlist, the tenants' secrets) but the model name is the study's, so without a bound a tenant
 *  could grow the map by one provider per model name it invents (issue 19, finding 5). The least
 *  recently used one is dropped past the bound (not closed: a call in flight on it finishes; it holds
 *  no resource but its HTTP agent). Local GGUF providers are keyed by a file in the operator's models
 *  folder only, so they are bounded by that folder and kept (closing one frees its model). */
export const MAX_REMOTE_PROVIDERS = 64;

export class LlmProviderRegistry {
  /** In recency order: the first entry is the least recently used. */
  private readonly providers = new Map<string, LlmProvider>();

  constructor(
    private readonly settings: LlmSettings,
    private readonly maxRemoteProviders = MAX_REMOTE_PROVIDERS,
  ) {}

  /** Providers held now (for tests and metrics). */
  get size(): number {
    return this.providers.size;
  }

  providerFor(config: LlmConfig, tenantId: string): LlmProvider {
    return config.provider === 'LOCAL_GGUF' ? this.local(config) : this.remote(config, tenantId);
  }

  private remote(config: LlmConfig, tenantId: string): LlmProvider {
    const tenant = this.settings.tenantSecrets[tenantId];
    const tenantBase = tenant?.baseUrl ? normaliseBaseUrl(tenant.baseUrl) : undefined;
    const defaultBase = tenantBase ?? this.settings.baseUrl;
    const asked = config.baseUrl ? normaliseBaseUrl(config.baseUrl) : defaultBase;
    let apiKey: string | undefined;
    if (asked === defaultBase) apiKey = tenant?.apiKey ?? (tenantBase ? undefined : this.settings.apiKey);
    else if (!this.settings.allowedBaseUrls.includes(asked)) {
      throw new Error(`llm.base_url ${asked} is not allowed on this server (HPO_LLM_ALLOWED_BASE_URLS)`);
    }
    if (!apiKey && asked === 'https://api.openai.com/v1') throw new Error('no API key configured for OpenAI (HPO_LLM_API_KEY or OPENAI_API_KEY)');
    const model = config.model || this.settings.model;
    // The key enters the cache key only hashed, so no map key or log line can reveal it.
    const keyId = apiKey ? createHash('sha256').update(apiKey).digest('hex').slice(0, 16) : 'none';
    return this.cached(`openai|${asked}|${model}|${keyId}`, () => new OpenAiCompatibleProvider({ baseUrl: asked, model, apiKey }), this.settings.maxConcurrent, model);
  }

  private local(config: LlmConfig): LlmProvider {
    if (!config.model) throw new Error('llm.model must name a .gguf file for LOCAL_GGUF');
    const modelPath = path.resolve(this.settings.modelsDir, config.model);
    const relative = path.relative(this.settings.modelsDir, modelPath);
    if (relative.startsWith('..') || path.isAbsolute(relative)) {
      throw new Error(`llm.model ${config.model} is outside the server's models folder (HPO_LLM_MODELS_DIR)`);
    }
    // One generation at a time: a second one on the same cores only slows both.
    return this.cached(
      `gguf|${modelPath}`,
      () => new LocalGgufProvider({ modelPath, threads: this.settings.ggufThreads, contextSize: this.settings.ggufContextTokens }),
      1,
      path.basename(modelPath),
    );
  }

  private cached(key: string, make: () => LlmProvider, maxConcurrent: number, model: string): LlmProvider {
    let provider = this.providers.get(key);
    if (provider) {
      // Most recently used last.
      this.providers.delete(key);
      this.providers.set(key, provider);
      return provider;
    }
    const guarded = new GuardedProvider(make(), { retries: this.settings.retries, backoffMs: 250, maxConcurrent, cacheEntries: 256 });
    provider = new MeteredProvider(guarded, key.split('|')[0], model);
    this.providers.set(key, provider);
    const remote = [...this.providers.keys()].filter((k) => k.startsWith('openai|'));
    for (let i = 0; i < remote.length - this.maxRemoteProviders; i++) this.providers.delete(remote[i]);
    return provider;
  }

  async close(): Promise<void> {
    const all = [...this.providers.values()];
    this.providers.clear();
    await Promise.all(all.map((p) => p.close?.().catch(() => undefined)));
  }
}

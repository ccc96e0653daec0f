/** The server's LLM settings, from HPO_LLM_* environment variables. Secrets (API keys) live here and in
 *  the provider objects only: no RPC returns them and nothing logs them. */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

export interface LlmSettings {
  /** HPO_LLM_DISABLED=1 turns the module off for every tenant. */
  disabled: boolean;
  /** OPENAI_COMPATIBLE endpoint when a study's base_url is empty. HPO_LLM_BASE_URL, default OpenAI's. */
  baseUrl: string;
  /** Model when a study's model is empty. HPO_LLM_MODEL, default gpt-4o-mini. */
  model: string;
  /** HPO_LLM_API_KEY, else OPENAI_API_KEY. Sent only to `baseUrl` (and the per-tenant base URLs). */
  apiKey?: string;
  /** Per-tenant endpoint and key (HPO_LLM_TENANT_SECRETS_FILE, JSON {"<tenant id>": {"apiKey": "...",
   *  "baseUrl": "..."}}): a tenant's own account instead of the server's. */
  tenantSecrets: Record<string, { apiKey?: string; baseUrl?: string }>;
  /** Other base URLs a study may name (HPO_LLM_ALLOWED_BASE_URLS, comma-separated); they get no key.
   *  Any other base_url is refused: a study must not make the server call arbitrary hosts. */
  allowedBaseUrls: string[];
  /** Folder of .gguf files a LOCAL_GGUF study may name (HPO_LLM_MODELS_DIR, default <data dir>/models);
   *  a study's model path is resolved inside it and may not leave it. */
  modelsDir: string;
  /** HPO_LLM_GGUF_THREADS (default 1, see LocalGgufProvider). */
  ggufThreads: number;
  /** HPO_LLM_GGUF_CONTEXT (default 4096 tokens, capped by the model's training context). */
  ggufContextTokens: number;
  /** Default per-study budget (HPO_LLM_STUDY_MAX_TOKENS, default 200000). */
  studyMaxTokens: number;
  /** Per-tenant tokens per UTC day (HPO_LLM_TENANT_TOKENS_PER_DAY, default 2000000; 0 = unlimited),
   *  counted in the database and shared by replicas. */
  tenantTokensPerDay: number;
  /** Default per-request timeout (HPO_LLM_TIMEOUT_SECONDS, default 20). */
  timeoutSeconds: number;
  /** Concurrent requests per provider (HPO_LLM_MAX_CONCURRENT, default 4; local models always 1). */
  maxConcurrent: number;
  /** Retries of transient failures (HPO_LLM_RETRIES, default 1). */
  retries: number;
}

function numberFrom(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a non-negative number (got "${raw}")`);
  return value;
}

export function normaliseBaseUrl(url: string): string {
  return url.trim().replace(/\/+$/, '');
}

export function llmSettingsFromEnv(env: NodeJS.ProcessEnv = process.env, dataDir = env.HPO_DATA_DIR ?? '.hpo-data'): LlmSettings {
  const secretsFile = env.HPO_LLM_TENANT_SECRETS_FILE;
  const tenantSecrets = secretsFile ? (JSON.parse(readFileSync(secretsFile, 'utf8')) as LlmSettings['tenantSecrets']) : {};
  return {
    disabled: env.HPO_LLM_DISABLED === '1' || env.HPO_LLM_DISABLED === 'true',
    baseUrl: normaliseBaseUrl(env.HPO_LLM_BASE_URL || 'https://api.openai.com/v1'),
    model: env.HPO_LLM_MODEL || 'gpt-4o-mini',
    apiKey: env.HPO_LLM_API_KEY || env.OPENAI_API_KEY || undefined,
    tenantSecrets,
    allowedBaseUrls: (env.HPO_LLM_ALLOWED_BASE_URLS ?? '').split(',').map(normaliseBaseUrl).filter((u) => u !== ''),
    modelsDir: path.resolve(env.HPO_LLM_MODELS_DIR || path.join(dataDir, 'models')),
    ggufThreads: Math.max(1, Math.round(numberFrom(env, 'HPO_LLM_GGUF_THREADS', 1))),
    ggufContextTokens: Math.max(512, Math.round(numberFrom(env, 'HPO_LLM_GGUF_CONTEXT', 4096))),
    studyMaxTokens: numberFrom(env, 'HPO_LLM_STUDY_MAX_TOKENS', 200_000),
    tenantTokensPerDay: numberFrom(env, 'HPO_LLM_TENANT_TOKENS_PER_DAY', 2_000_000),
    timeoutSeconds: numberFrom(env, 'HPO_LLM_TIMEOUT_SECONDS', 20),
    maxConcurrent: Math.max(1, Math.round(numberFrom(env, 'HPO_LLM_MAX_CONCURRENT', 4))),
    retries: Math.round(numberFrom(env, 'HPO_LLM_RETRIES', 1)),
  };
}

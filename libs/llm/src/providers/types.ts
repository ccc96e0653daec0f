/** What the LLM module asks of a language model, whatever serves it (an OpenAI-compatible endpoint or
 *  an embedded GGUF model): one prompt in, one reply out, with the tokens it cost. */
import type { JsonSchema } from '../json-schema';

export interface CompletionRequest {
  system: string;
  user: string;
  /** The reply must be JSON matching this (enforced when the provider can, validated always). */
  schema: JsonSchema;
  maxReplyTokens: number;
  temperature: number;
  /** For providers that can sample reproducibly. */
  seed?: number;
  /** Per-request deadline; the guarded provider turns it into an abort. */
  timeoutMs: number;
  /** Whether a reply may be cached (the advisor says no to replies it could not use, so a transient
   *  bad answer is asked again next time rather than replayed). Default: cache. */
  cacheable?: (text: string) => boolean;
}

export interface CompletionResult {
  text: string;
  promptTokens: number;
  completionTokens: number;
  /** Served from the prompt cache (cost nothing this time). */
  cached?: boolean;
}

export interface LlmProvider {
  /** For logs, e.g. "openai-compatible gpt-4o-mini at https://api.openai.com/v1" (never a key). */
  readonly description: string;
  /** Prompt + reply tokens the model can hold, when limited (a local model's context); prompts are
   *  trimmed to fit. */
  readonly contextTokens?: number;
  complete(request: CompletionRequest, signal: AbortSignal): Promise<CompletionResult>;
  close?(): Promise<void>;
}

/** Failures a provider reports; `retryable` marks transient ones (network, 429, 5xx). */
export class LlmProviderError extends Error {
  constructor(message: string, readonly retryable: boolean) {
    super(message);
    this.name = 'LlmProviderError';
  }
}

export class LlmTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`no reply within ${timeoutMs} ms`);
    this.name = 'LlmTimeoutError';
  }
}

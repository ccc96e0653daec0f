/** Any OpenAI-compatible chat endpoint (OpenAI, vLLM, Ollama, llama.cpp's server) through the `openai`
 *  package. Asks for structured output (response_format json_schema); a server that refuses it is
 *  asked again with json_object, then plainly, and the working mode is remembered. The API key is held
 *  by the client object only: it is never part of a description, an error message or a log line. */
import OpenAI from 'openai';
import type { CompletionRequest, CompletionResult, LlmProvider } from './types';
import { LlmProviderError } from './types';
import { estimateTokens } from '../token-estimate';

export interface OpenAiCompatibleOptions {
  baseUrl: string;
  model: string;
  /** Local servers (Ollama, vLLM, llama.cpp) accept any key; the openai package needs a non-empty one. */
  apiKey?: string;
}

type JsonMode = 'json_schema' | 'json_object' | 'plain';
const MODES: JsonMode[] = ['json_schema', 'json_object', 'plain'];

export class OpenAiCompatibleProvider implements LlmProvider {
  readonly description: string;
  private readonly client: OpenAI;
  private mode: JsonMode = 'json_schema';

  constructor(private readonly options: OpenAiCompatibleOptions) {
    this.description = `openai-compatible ${options.model} at ${options.baseUrl}`;
    // Retries and timeouts are the guarded provider's job, so they are counted once.
    this.client = new OpenAI({ apiKey: options.apiKey || 'unused', baseURL: options.baseUrl, maxRetries: 0 });
  }

  async complete(request: CompletionRequest, signal: AbortSignal): Promise<CompletionResult> {
    for (;;) {
      try {
        return await this.completeIn(this.mode, request, signal);
      } catch (error) {
        const next = MODES[MODES.indexOf(this.mode) + 1];
        if (next && isStructuredOutputRefusal(error)) {
          this.mode = next;
          continue;
        }
        throw toProviderError(error);
      }
    }
  }

  private async completeIn(mode: JsonMode, r: CompletionRequest, signal: AbortSignal): Promise<CompletionResult> {
    const responseFormat =
      mode === 'json_schema'
        ? { response_format: { type: 'json_schema' as const, json_schema: { name: 'reply', schema: r.schema as Record<string, unknown>, strict: false } } }
        : mode === 'json_object'
          ? { response_format: { type: 'json_object' as const } }
          : {};
    const completion = await this.client.chat.completions.create(
      {
        model: this.options.model,
        messages: [
          { role: 'system', content: r.system },
          { role: 'user', content: r.user },
        ],
        max_tokens: r.maxReplyTokens,
        temperature: r.temperature,
        ...(r.seed !== undefined ? { seed: r.seed } : {}),
        ...responseFormat,
      },
      { signal, timeout: r.timeoutMs },
    );
    const choice = completion.choices[0];
    const text = choice?.message?.content ?? '';
    if (choice?.message?.refusal) throw new LlmProviderError(`the model refused: ${choice.message.refusal.slice(0, 200)}`, false);
    return {
      text,
      promptTokens: completion.usage?.prompt_tokens ?? estimateTokens(r.system + r.user),
      completionTokens: completion.usage?.completion_tokens ?? estimateTokens(text),
    };
  }
}

/** A 400/422 that names response_format means the server does not do structured output. */
function isStructuredOutputRefusal(error: unknown): boolean {
  return (
    error instanceof OpenAI.APIError &&
    (error.status === 400 || error.status === 422) &&
    /response_format|json_schema|json_object|structured/i.test(error.message)
  );
}

function toProviderError(error: unknown): Error {
  if (error instanceof OpenAI.APIUserAbortError) return error;
  if (error instanceof OpenAI.APIConnectionError) return new LlmProviderError(`connection failed: ${error.message}`, true);
  if (error instanceof OpenAI.APIError) {
    const status = error.status ?? 0;
    // The SDK's message carries the server's error text, never the request's headers.
    return new LlmProviderError(`HTTP ${status}: ${error.message.slice(0, 300)}`, status === 429 || status >= 500);
  }
  return error instanceof Error ? error : new Error(String(error));
}

/** Records every LLM call in the server's Prometheus metrics (calls by outcome, tokens, latency). */
import type { CompletionRequest, CompletionResult, LlmProvider } from '@hpo/llm';
import { LlmTimeoutError } from '@hpo/llm';
import { serverMetrics } from '../metrics/metrics.service';

export class MeteredProvider implements LlmProvider {
  readonly description: string;
  readonly contextTokens?: number;

  constructor(private readonly inner: LlmProvider, private readonly kind: string, private readonly model: string) {
    this.description = inner.description;
    this.contextTokens = inner.contextTokens;
  }

  async complete(request: CompletionRequest, signal: AbortSignal): Promise<CompletionResult> {
    const started = performance.now();
    const seconds = (): number => (performance.now() - started) / 1000;
    try {
      const r = await this.inner.complete(request, signal);
      serverMetrics.recordLlmCall({ provider: this.kind, model: this.model, outcome: 'ok', seconds: seconds(), promptTokens: r.promptTokens, completionTokens: r.completionTokens });
      return r;
    } catch (error) {
      const outcome = error instanceof LlmTimeoutError ? 'timeout' : 'error';
      serverMetrics.recordLlmCall({ provider: this.kind, model: this.model, outcome, seconds: seconds() });
      throw error;
    }
  }

  close(): Promise<void> {
    return this.inner.close?.() ?? Promise.resolve();
  }
}

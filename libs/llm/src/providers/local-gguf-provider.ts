/** An embedded GGUF model run by node-llama-cpp in a worker thread (the model's native code and its
 *  seconds of generation stay off the server's event loop). The worker is the compiled
 *  dist/libs/llm/src/providers/local-gguf-worker.js (`npm run build` makes it): node-llama-cpp is
 *  ESM-only and jest cannot load it from the TypeScript sources. The JSON schema is enforced by
 *  node-llama-cpp's grammar, so every reply parses; whether its values make sense is the parser's job. */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { FromWorker, ToWorker } from './local-gguf-protocol';
import { projectRoot } from './project-root';
import type { CompletionRequest, CompletionResult, LlmProvider } from './types';
import { LlmProviderError } from './types';

export interface LocalGgufOptions {
  modelPath: string;
  /** Default 1. On the 2-core reference machine, with the gRPC server and GP workers also busy, llama.cpp's
   *  threads spin at their barriers when the cores are oversubscribed: measured with stories260K under
   *  a load average of 6, one thread generated 150 tokens in 0.2–1.4 s, two threads in 1–19 s. Raise it
   *  (HPO_LLM_GGUF_THREADS) on a machine with cores to spare. */
  threads?: number;
  /** Context tokens (prompt + reply), capped by the model's training context. */
  contextSize?: number;
}

export function localGgufWorkerPath(): string {
  return path.join(projectRoot(), 'dist/libs/llm/src/providers/local-gguf-worker.js');
}

interface Pending {
  resolve: (r: CompletionResult) => void;
  reject: (e: Error) => void;
}

export class LocalGgufProvider implements LlmProvider {
  readonly description: string;
  readonly contextTokens: number;
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  /** Time to load the model and to generate, of the last reply (for the benchmark). */
  lastTimings: { loadMs: number; generateMs: number } | undefined;

  constructor(private readonly options: LocalGgufOptions) {
    this.description = `local-gguf ${path.basename(options.modelPath)}`;
    this.contextTokens = options.contextSize ?? 2048;
  }

  async complete(request: CompletionRequest, signal: AbortSignal): Promise<CompletionResult> {
    if (!existsSync(this.options.modelPath)) throw new LlmProviderError(`model file not found: ${this.options.modelPath}`, false);
    const worker = this.ensureWorker();
    const id = this.nextId++;
    const message: ToWorker = {
      type: 'complete',
      id,
      modelPath: this.options.modelPath,
      threads: this.options.threads ?? 1,
      contextSize: this.contextTokens,
      system: request.system,
      user: request.user,
      schema: request.schema,
      maxReplyTokens: request.maxReplyTokens,
      temperature: request.temperature,
      seed: request.seed,
    };
    return new Promise<CompletionResult>((resolve, reject) => {
      const onAbort = (): void => {
        worker.postMessage({ type: 'abort', id } satisfies ToWorker);
        this.settle(id)?.reject(new LlmProviderError('aborted', false));
      };
      this.pending.set(id, {
        resolve: (r) => {
          signal.removeEventListener('abort', onAbort);
          resolve(r);
        },
        reject: (e) => {
          signal.removeEventListener('abort', onAbort);
          reject(e);
        },
      });
      worker.ref();
      signal.addEventListener('abort', onAbort, { once: true });
      worker.postMessage(message);
    });
  }

  private settle(id: number): Pending | undefined {
    const p = this.pending.get(id);
    this.pending.delete(id);
    // An idle worker must not keep a process alive (a CLI run, a test) once nobody waits for it.
    if (this.pending.size === 0) this.worker?.unref();
    return p;
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const file = localGgufWorkerPath();
    if (!existsSync(file)) throw new LlmProviderError(`${file} is missing: run \`npm run build\` first`, false);
    const worker = new Worker(file);
    worker.on('message', (m: FromWorker) => {
      const p = this.settle(m.id);
      if (!p) return;
      if (m.type === 'result') {
        this.lastTimings = { loadMs: m.loadMs, generateMs: m.generateMs };
        p.resolve({ text: m.text, promptTokens: m.promptTokens, completionTokens: m.completionTokens });
      } else p.reject(new LlmProviderError(`local model: ${m.message}`, false));
    });
    const fail = (error: Error): void => {
      this.worker = undefined;
      for (const id of [...this.pending.keys()]) this.settle(id)?.reject(new LlmProviderError(`local model worker: ${error.message}`, false));
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`exited with code ${code}`)));
    this.worker = worker;
    return worker;
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await worker.terminate();
  }
}

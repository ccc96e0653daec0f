/** Worker thread that runs a GGUF model with node-llama-cpp (CPU only, its prebuilt binary, never a
 *  source build) and answers one request at a time: two cores do not run two generations faster than
 *  one. node-llama-cpp is ESM-only, so it is loaded with a real dynamic import() from compiled code. */
import { parentPort } from 'node:worker_threads';
import type { CompleteMessage, FromWorker, ToWorker } from './local-gguf-protocol';

/** The slice of node-llama-cpp this file uses (its types live in an ESM package a CommonJS file cannot
 *  import statically). */
interface Llama {
  loadModel(o: { modelPath: string }): Promise<LlamaModel>;
  createGrammarForJsonSchema(schema: object): Promise<unknown>;
}
interface LlamaModel {
  trainContextSize: number;
  createContext(o: { contextSize: number; threads: number }): Promise<LlamaContext>;
  tokenize(text: string): unknown[];
}
interface LlamaContext {
  getSequence(): unknown;
  dispose(): Promise<void>;
}
interface LlamaChatSession {
  prompt(text: string, o: object): Promise<string>;
}
interface NodeLlamaCpp {
  getLlama(o: object): Promise<Llama>;
  LlamaChatSession: new (o: { contextSequence: unknown; systemPrompt: string }) => LlamaChatSession;
}

let lib: Promise<NodeLlamaCpp> | undefined;
let llama: Promise<Llama> | undefined;
const models = new Map<string, Promise<LlamaModel>>();
const aborts = new Map<number, AbortController>();
let queue: Promise<void> = Promise.resolve();

function getLlama(): Promise<Llama> {
  lib ??= import('node-llama-cpp') as unknown as Promise<NodeLlamaCpp>;
  llama ??= lib.then((m) => m.getLlama({ gpu: false, build: 'never', logLevel: 'error' }));
  return llama;
}

function getModel(modelPath: string): Promise<LlamaModel> {
  let model = models.get(modelPath);
  if (!model) {
    model = getLlama().then((l) => l.loadModel({ modelPath }));
    model.catch(() => models.delete(modelPath));
    models.set(modelPath, model);
  }
  return model;
}

async function complete(m: CompleteMessage, signal: AbortSignal): Promise<FromWorker> {
  const started = Date.now();
  const [l, model] = await Promise.all([getLlama(), getModel(m.modelPath)]);
  const { LlamaChatSession } = await (lib as Promise<NodeLlamaCpp>);
  const loaded = Date.now();
  const grammar = await l.createGrammarForJsonSchema(m.schema);
  const context = await model.createContext({ contextSize: Math.min(m.contextSize, model.trainContextSize), threads: m.threads });
  try {
    const session = new LlamaChatSession({ contextSequence: context.getSequence(), systemPrompt: m.system });
    const text = await session.prompt(m.user, {
      grammar,
      maxTokens: m.maxReplyTokens,
      temperature: m.temperature,
      ...(m.seed !== undefined ? { seed: m.seed } : {}),
      signal,
      stopOnAbortSignal: false,
    });
    return {
      type: 'result',
      id: m.id,
      text,
      promptTokens: model.tokenize(m.system + '\n' + m.user).length,
      completionTokens: model.tokenize(text).length,
      loadMs: loaded - started,
      generateMs: Date.now() - loaded,
    };
  } finally {
    await context.dispose();
  }
}

parentPort?.on('message', (message: ToWorker) => {
  if (message.type === 'abort') {
    aborts.get(message.id)?.abort();
    return;
  }
  const controller = new AbortController();
  aborts.set(message.id, controller);
  queue = queue.then(async () => {
    let reply: FromWorker;
    try {
      if (controller.signal.aborted) throw new Error('aborted before it started');
      reply = await complete(message, controller.signal);
    } catch (error) {
      reply = { type: 'error', id: message.id, message: error instanceof Error ? error.message : String(error) };
    }
    aborts.delete(message.id);
    parentPort?.postMessage(reply);
  });
});

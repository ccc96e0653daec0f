/** A scripted OpenAI-compatible chat-completions server on loopback, for the LLM module's tests and
 *  benchmark: a real HTTP server that the real `openai` client talks to, whose replies are chosen by a
 *  script (good advice, misleading advice, garbage, time-outs, errors). */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Rng } from '@hpo/space';
import type { TestFunction } from './llm-test-functions';

export interface ChatRequestBody {
  model: string;
  messages: Array<{ role: string; content: string }>;
  max_tokens?: number;
  temperature?: number;
  seed?: number;
  response_format?: { type: string; json_schema?: { name: string; schema: unknown } };
}

export interface ScriptedReply {
  /** The assistant message; omitted with `status` for an error. */
  content?: string;
  /** HTTP status (default 200); with an error status, `content` is the error message. */
  status?: number;
  /** Wait this long before answering (time-outs). */
  delayMs?: number;
  /** OpenAI's structured-output refusal (message.refusal, content null). */
  refusal?: string;
}

export type Script = (body: ChatRequestBody, callIndex: number) => ScriptedReply;

export interface RecordedRequest {
  body: ChatRequestBody;
  authorization: string | undefined;
}

export interface ScriptedServer {
  baseUrl: string;
  requests: RecordedRequest[];
  /** Highest number of requests in flight at once. */
  maxInFlight: number;
  setScript(script: Script): void;
  /** Forgets requests still in flight (e.g. a slow one a test gave up on) for maxInFlight. */
  resetStats(): void;
  close(): Promise<void>;
}

/** Usage the server reports: 1 token per 4 characters, like a real tokenizer roughly. */
const tokens = (text: string): number => Math.ceil(text.length / 4);

export async function startScriptedServer(script: Script): Promise<ScriptedServer> {
  let current = script;
  const inFlight = new Set<number>();
  const requests: RecordedRequest[] = [];
  const state = { maxInFlight: 0 };
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
    req.on('end', () => {
      if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"not found"}}');
        return;
      }
      const body = JSON.parse(raw) as ChatRequestBody;
      const index = requests.length;
      requests.push({ body, authorization: req.headers.authorization });
      inFlight.add(index);
      state.maxInFlight = Math.max(state.maxInFlight, inFlight.size);
      const reply = current(body, index);
      const answer = (): void => {
        inFlight.delete(index);
        if (res.destroyed) return;
        const status = reply.status ?? 200;
        if (status !== 200) {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: { message: reply.content ?? 'error', type: 'invalid_request_error' } }));
          return;
        }
        const content = reply.content ?? '';
        const promptText = body.messages.map((m) => m.content).join('\n');
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            id: `chatcmpl-${index}`,
            object: 'chat.completion',
            created: 0,
            model: body.model,
            choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: reply.refusal ? null : content, refusal: reply.refusal ?? null } }],
            usage: { prompt_tokens: tokens(promptText), completion_tokens: tokens(content), total_tokens: tokens(promptText) + tokens(content) },
          }),
        );
      };
      if (reply.delayMs) {
        const timer = setTimeout(answer, reply.delayMs);
        res.on('close', () => {
          if (!res.writableFinished) {
            clearTimeout(timer);
            inFlight.delete(index);
          }
        });
      } else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    get maxInFlight() {
      return state.maxInFlight;
    },
    setScript: (s) => (current = s),
    resetStats: () => {
      inFlight.clear();
      state.maxInFlight = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** What the prompt asks for: how many configurations, or which configurations to score. */
export function readAsk(body: ChatRequestBody): { kind: 'configurations'; count: number } | { kind: 'predictions'; queries: Record<string, number>[] } {
  const user = body.messages.find((m) => m.role === 'user')?.content ?? '';
  const predict = /Predict the performance[^\n]*\n((?:\d+\. \{.*\}\n?)+)/.exec(user);
  if (predict) {
    const queries = predict[1].trim().split('\n').map((line) => JSON.parse(line.replace(/^\d+\. /, '')) as Record<string, number>);
    return { kind: 'predictions', queries };
  }
  const count = Number(/Recommend (\d+)/.exec(user)?.[1] ?? '1');
  return { kind: 'configurations', count };
}

/** Points scattered around `centres` (a fraction `spread` of each range), clamped into the box. */
function around(f: TestFunction, centres: Record<string, number>[], count: number, spread: number, rng: Rng): Record<string, number>[] {
  return Array.from({ length: count }, (_, i) => {
    const c = centres[i % centres.length];
    const point: Record<string, number> = {};
    for (const p of f.parameters) {
      const width = (p.max as number) - (p.min as number);
      const v = c[p.name] + spread * width * (2 * rng.uniform() - 1);
      point[p.name] = Number(Math.min(p.max as number, Math.max(p.min as number, v)).toPrecision(5));
    }
    return point;
  });
}

/** An adviser that knows the function: good advice proposes points near the optima (within 3 % of each
 *  range) and predicts values well; misleading advice proposes the worst region and predicts the
 *  opposite of the truth. Seeded, so a benchmark run is reproducible. */
export function adviserScript(f: TestFunction, quality: 'good' | 'misleading', seed: number): Script {
  const rng = new Rng(seed);
  return (body) => {
    const ask = readAsk(body);
    if (ask.kind === 'predictions') {
      const predictions = ask.queries.map((q) => {
        const truth = f.evaluate(q);
        return Number((quality === 'good' ? truth : -truth).toPrecision(5));
      });
      return { content: JSON.stringify({ predictions }) };
    }
    const centres = quality === 'good' ? f.minimisers : f.worstPoints;
    return { content: JSON.stringify({ configurations: around(f, centres, ask.count, 0.03, rng) }) };
  };
}

/** Replies no parser can use, in turn: prose, broken JSON, wrong types, an empty message. */
export const garbageScript: Script = (_body, i) =>
  [
    { content: 'As an AI language model, I think you should try a learning rate of about 0.01.' },
    { content: '{"configurations": [{"x1": "three", "x2": [1]}' },
    { content: '{"configurations": [{"x1": "3.1", "x2": "2.2"}, {"x1": null, "x2": true}]}' },
    { content: '' },
  ][i % 4];

/** Answers after `delayMs`, later than any sensible timeout. */
export const slowScript = (delayMs: number): Script => () => ({ content: '{"configurations": []}', delayMs });

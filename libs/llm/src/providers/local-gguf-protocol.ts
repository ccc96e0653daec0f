/** Messages between the local GGUF provider and its worker thread. */
import type { JsonSchema } from '../json-schema';

export interface CompleteMessage {
  type: 'complete';
  id: number;
  modelPath: string;
  threads: number;
  contextSize: number;
  system: string;
  user: string;
  schema: JsonSchema;
  maxReplyTokens: number;
  temperature: number;
  seed?: number;
}

export interface AbortMessage {
  type: 'abort';
  id: number;
}

export type ToWorker = CompleteMessage | AbortMessage;

export type FromWorker =
  | { type: 'result'; id: number; text: string; promptTokens: number; completionTokens: number; loadMs: number; generateMs: number }
  | { type: 'error'; id: number; message: string };

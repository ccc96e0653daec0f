/** A model's reply turned into configurations of the space, or predictions, with the reasons anything
 *  was refused (for the one logged warning). */
import type { Assignment, ParameterSpec } from '@hpo/space';
import { candidateKey, coerceCandidate, type OutOfRangePolicy } from './coerce-candidate';
import { extractJson } from './extract-json';

export interface ParsedCandidates {
  candidates: Assignment[];
  /** Why configurations (or the whole reply) were refused, and what was clamped or dropped. */
  issues: string[];
}

export interface ParseCandidatesOptions {
  /** Keep at most this many configurations (a model asked for 4 that writes 10 000 gets 4 read). */
  maxCandidates: number;
  /** Configurations already evaluated or pending: proposals equal to one of them are dropped. */
  exclude?: Assignment[];
  outOfRange?: OutOfRangePolicy;
}

/** Where the configurations sit in the reply: {"configurations": [...]}, a bare array, or a bare
 *  single configuration (all three seen from real models). */
function configurationList(value: unknown): unknown[] | undefined {
  if (Array.isArray(value)) return value;
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    for (const key of ['configurations', 'configs', 'candidates']) {
      if (Array.isArray(record[key])) return record[key] as unknown[];
    }
    return [value];
  }
  return undefined;
}

export function parseCandidateReply(reply: string, parameters: ParameterSpec[], options: ParseCandidatesOptions): ParsedCandidates {
  const issues: string[] = [];
  const json = extractJson(reply);
  if (!json.ok) return { candidates: [], issues: [json.reason] };
  const list = configurationList(json.value);
  if (!list) return { candidates: [], issues: ['the reply holds no configurations'] };
  const seen = new Set((options.exclude ?? []).map(candidateKey));
  const candidates: Assignment[] = [];
  // Look at a bounded number of items however long the list: each one costs a validation.
  const examined = list.slice(0, Math.max(options.maxCandidates * 4, 16));
  if (list.length > examined.length) issues.push(`reply had ${list.length} configurations; read the first ${examined.length}`);
  for (const [i, raw] of examined.entries()) {
    if (candidates.length >= options.maxCandidates) break;
    const coerced = coerceCandidate(parameters, raw, options.outOfRange);
    if (!coerced.ok) {
      issues.push(`configuration ${i + 1} refused: ${coerced.reason}`);
      continue;
    }
    issues.push(...coerced.notes.map((n) => `configuration ${i + 1}: ${n}`));
    const key = candidateKey(coerced.assignment);
    if (seen.has(key)) {
      issues.push(`configuration ${i + 1} dropped: duplicates a known or proposed configuration`);
      continue;
    }
    seen.add(key);
    candidates.push(coerced.assignment);
  }
  return { candidates, issues };
}

export type ParsedPredictions = { ok: true; predictions: number[] } | { ok: false; reason: string };

/** {"predictions": [numbers]} with exactly `count` finite numbers (a bare array is accepted too). */
export function parsePredictionReply(reply: string, count: number): ParsedPredictions {
  const json = extractJson(reply);
  if (!json.ok) return json;
  const value = json.value as Record<string, unknown> | unknown[];
  const list = Array.isArray(value) ? value : value && typeof value === 'object' ? value.predictions : undefined;
  if (!Array.isArray(list)) return { ok: false, reason: 'the reply holds no "predictions" array' };
  if (list.length !== count) return { ok: false, reason: `expected ${count} predictions, got ${list.length}` };
  if (!list.every((x) => typeof x === 'number' && Number.isFinite(x))) return { ok: false, reason: 'a prediction is not a finite number' };
  return { ok: true, predictions: list as number[] };
}

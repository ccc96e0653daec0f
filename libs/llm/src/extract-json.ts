/** Finding the JSON in a model's reply. Models asked for JSON still wrap it in prose or markdown
 *  fences, or put a sentence before it; this takes the first complete JSON object or array that parses. */

/** Replies longer than this are refused outright: parsing megabytes of model output on the server's
 *  event loop is not worth any advice (the longest legitimate reply, 50 configurations of 30
 *  parameters, is under 40 kB). */
export const MAX_REPLY_CHARS = 200_000;

export type ExtractedJson = { ok: true; value: unknown } | { ok: false; reason: string };

export function extractJson(reply: string): ExtractedJson {
  if (reply.length > MAX_REPLY_CHARS) return { ok: false, reason: `reply of ${reply.length} characters exceeds ${MAX_REPLY_CHARS}` };
  // Reasoning models (DeepSeek-R1, Qwen3, …) think aloud in <think> blocks before answering; what they
  // muse about there is not the answer.
  const text = reply.replace(/<think>[\s\S]*?(<\/think>|$)/g, '').trim();
  if (text === '') return { ok: false, reason: 'empty reply' };
  const whole = tryParse(text);
  if (whole.ok) return whole;
  for (let start = 0; start < text.length; start++) {
    const c = text[start];
    if (c !== '{' && c !== '[') continue;
    const end = matchingClose(text, start);
    if (end < 0) continue;
    const parsed = tryParse(text.slice(start, end + 1));
    if (parsed.ok) return parsed;
  }
  return { ok: false, reason: 'no JSON object or array in the reply' };
}

function tryParse(text: string): ExtractedJson {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    // Models trained on code write JSON with comments and trailing commas; those two are unambiguous
    // to repair. Anything else (single quotes, bare words) stays refused.
    try {
      return { ok: true, value: JSON.parse(withoutCommentsAndTrailingCommas(withoutCommentsAndTrailingCommas(text))) };
    } catch {
      return { ok: false, reason: 'not JSON' };
    }
  }
}

/** Drops // and /* *\/ comments and commas before a closing bracket, outside strings. */
export function withoutCommentsAndTrailingCommas(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      out += c;
      if (c === '\\') out += text[++i] ?? '';
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
      out += c;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 1;
    } else if (c === ',') {
      let j = i + 1;
      while (j < text.length && /\s/.test(text[j])) j++;
      if (text[j] !== '}' && text[j] !== ']') out += c;
    } else out += c;
  }
  return out;
}

/** Index of the bracket closing the one at `start`, skipping brackets inside strings; -1 if none. */
function matchingClose(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

/** The documented size limits of every request (docs/deployment.md, "Size limits"), checked on the
 *  decoded message in one linear pass before any handler runs, so that no request can make the server
 *  do super-linear work, store something a listing cannot send back, or echo megabytes in an error.
 *  A request over a limit is INVALID_ARGUMENT naming the field, the limit and the size, never the
 *  content. Limits are by field name (the .proto's), the same in every message. */

/** Parameters of a study, conditional children included. */
export const MAX_PARAMETERS = 1000;
/** Levels of conditional parameters: a top-level parameter is level 1, its children level 2, … */
export const MAX_CONDITIONAL_DEPTH = 10;

/** Intermediate measurements one trial may hold (ReportIntermediate past it, AddTrials over it). */
export const MAX_MEASUREMENTS_PER_TRIAL = 10_000;

/** Characters, by field; any other string field gets DEFAULT_MAX_CHARS. */
export const MAX_CHARS: Readonly<Record<string, number>> = {
  display_name: 256,
  client_id: 256,
  name: 256,
  parent: 256,
  trial_name: 256,
  categories: 256,
  parent_categories: 256,
  string_value: 256,
  model: 256,
  base_url: 2048,
  page_token: 1024,
  problem_description: 16_384,
  infeasible_reason: 4096,
  reason: 4096,
  status_reason: 4096,
  note: 4096,
};
export const DEFAULT_MAX_CHARS = 1024;

/** Elements, by repeated field; any other repeated field gets DEFAULT_MAX_ITEMS. `parameters` of a
 *  StudyConfig is bounded by MAX_PARAMETERS over the whole tree (children included). */
export const MAX_ITEMS: Readonly<Record<string, number>> = {
  parameters: MAX_PARAMETERS,
  children: MAX_PARAMETERS,
  categories: 1000,
  discrete_values: 1000,
  parent_categories: 1000,
  parent_values: 1000,
  metrics: 32,
  trials: 1000,
  measurements: MAX_MEASUREMENTS_PER_TRIAL,
  states: 16,
};
export const DEFAULT_MAX_ITEMS = 10_000;
/** A study's config as stored (JSON): keeps GetStudy and every ListStudies page sendable to a client
 *  with gRPC's default 4 MiB receive limit. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

function snakeCase(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** The first limit the request breaks, as "field: rule (got size)", or undefined. Also refuses the NUL
 *  character in any string (PostgreSQL cannot store it in text; SQLite could, and is refused alike). */
export function requestLimitViolation(request: unknown): string | undefined {
  return visit(request, '', '');
}

function visit(value: unknown, path: string, key: string): string | undefined {
  if (typeof value === 'string') {
    const max = MAX_CHARS[key] ?? DEFAULT_MAX_CHARS;
    if (value.length > max) return `${path}: must be at most ${max} characters (got ${value.length})`;
    if (value.includes('\u0000')) return `${path}: must not contain the NUL character (U+0000), which the database cannot store`;
    return undefined;
  }
  if (Array.isArray(value)) {
    const max = MAX_ITEMS[key] ?? DEFAULT_MAX_ITEMS;
    if (value.length > max) return `${path}: must have at most ${max} elements (got ${value.length})`;
    for (let i = 0; i < value.length; i++) {
      const found = visit(value[i], `${path}[${i}]`, key);
      if (found) return found;
    }
    return undefined;
  }
  if (value === null || typeof value !== 'object' || Buffer.isBuffer(value)) return undefined;
  if (key === 'config') {
    const space = spaceViolation((value as { parameters?: unknown }).parameters, `${path}.parameters`);
    if (space) return space;
  }
  for (const [k, v] of Object.entries(value)) {
    const snake = snakeCase(k);
    const found = visit(v, path ? `${path}.${snake}` : snake, snake);
    if (found) return found;
  }
  return undefined;
}

interface WireParameter {
  children?: Array<{ parameter?: WireParameter | null }>;
}

/** Counts the parameters of a space (children included) and its depth without recursion, stopping as
 *  soon as a limit is passed (so a 10,000-parameter space costs no more than the limit). */
function spaceViolation(parameters: unknown, field: string): string | undefined {
  if (!Array.isArray(parameters)) return undefined;
  let count = 0;
  const stack: Array<{ p: WireParameter | null | undefined; depth: number }> = parameters.map((p) => ({ p, depth: 1 }));
  while (stack.length > 0) {
    const { p, depth } = stack.pop() as { p: WireParameter | null | undefined; depth: number };
    count++;
    if (count > MAX_PARAMETERS) break;
    if (depth > MAX_CONDITIONAL_DEPTH) return `${field}: conditional parameters may nest at most ${MAX_CONDITIONAL_DEPTH} levels (got at least ${depth})`;
    for (const c of p?.children ?? []) stack.push({ p: c?.parameter, depth: depth + 1 });
  }
  if (count > MAX_PARAMETERS) {
    return `${field}: must have at most ${MAX_PARAMETERS} parameters per study, conditional children included (got ${countAll(parameters)})`;
  }
  return undefined;
}

/** The full count, for the message (linear; only reached once a limit is already passed). */
function countAll(parameters: WireParameter[]): number {
  let n = 0;
  const stack = [...parameters];
  while (stack.length > 0) {
    const p = stack.pop();
    n++;
    for (const c of p?.children ?? []) stack.push(c?.parameter as WireParameter);
  }
  return n;
}

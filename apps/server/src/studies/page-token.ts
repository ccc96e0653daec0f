/** Opaque page tokens: base64url JSON naming the listing, its filter and the last key returned. A token
 *  that does not decode, or belongs to another listing, is INVALID_ARGUMENT. */
import { InvalidArgumentError } from '@hpo/core';

/** The largest id either backend stores (PostgreSQL `integer`). */
const MAX_KEY = 2_147_483_647;

interface PageState {
  kind: string;
  filter: string;
  key: number;
}

export function encodePageToken(kind: string, filter: string, key: number): string {
  return Buffer.from(JSON.stringify({ kind, filter, key } satisfies PageState)).toString('base64url');
}

export function decodePageToken(token: string, kind: string, filter: string, field = 'page_token'): number | undefined {
  if (!token) return undefined;
  let state: PageState;
  try {
    state = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as PageState;
  } catch {
    throw new InvalidArgumentError(field, 'is not a token returned by this listing');
  }
  // Keys are ids, 32-bit in the schema (a larger one would fail PostgreSQL's comparison with the column).
  if (!state || state.kind !== kind || typeof state.key !== 'number' || !Number.isInteger(state.key) || state.key < 0 || state.key > MAX_KEY) {
    throw new InvalidArgumentError(field, 'is not a token returned by this listing');
  }
  if (state.filter !== filter) throw new InvalidArgumentError(field, 'was issued for a different filter: repeat the request\'s other fields unchanged');
  return state.key;
}

/** page_size: 0 means 100; at most 1000. */
export function pageSize(requested: number | undefined, field = 'page_size'): number {
  const n = requested ?? 0;
  if (!Number.isInteger(n) || n < 0 || n > 1000) throw new InvalidArgumentError(field, `must be between 0 and 1000 (got ${n})`);
  return n === 0 ? 100 : n;
}

/** A page's size in bytes (as encoded by the gRPC controller, grpc/reply-encoding.ts): a page ends early,
 *  with a next_page_token, rather than grow past what a client with gRPC's default 4 MiB receive limit
 *  accepts. */
export const MAX_PAGE_BYTES = 3 * 1024 * 1024;

/** How many of `items` fit in one page by their JSON size, an estimate above the encoded size (at least
 *  one: a single item is bounded by the size limits). */
export function countWithinPageBytes<T>(items: readonly T[], maxBytes = MAX_PAGE_BYTES): number {
  let total = 0;
  for (let i = 0; i < items.length; i++) {
    total += Buffer.byteLength(JSON.stringify(items[i]));
    if (total > maxBytes) return Math.max(1, i);
  }
  return items.length;
}

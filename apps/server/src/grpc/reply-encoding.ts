/** Replies with many trials (SuggestTrials: up to 100 x 1,000 parameter values; ListTrials, AddTrials:
 *  up to 1,000 trials) are encoded one item at a time, the event loop yielded every few milliseconds,
 *  instead of grpc-js encoding one big object in a single stretch: other calls are served in between,
 *  and each item's wire objects die young (cheap garbage) instead of surviving to the end of the reply.
 *
 *  Protobuf lets a message be sent as the concatenation of its parts (repeated fields append), so the
 *  reply is the method's own serializer applied to one-item replies, then to the other fields. The
 *  bytes reach grpc-js as an EncodedReply, which the method's wrapped serializer passes through. */
import { countWithinPageBytes, MAX_PAGE_BYTES } from '../studies/page-token';

type Serialize = (value: unknown) => Buffer;

/** A reply already encoded with its method's serializer. */
export class EncodedReply {
  constructor(readonly bytes: Buffer) {}
}

/** Time on the event loop between yields while encoding (ms). */
const SLICE_MS = 8;

const serializers = new Map<string, Serialize>();

/** The method's response serializer, accepting EncodedReply; remembers the original for encodeReply.
 *  `path` is grpc-js's method path, '/hpo.v1.StudyService/ListTrials'. */
export function acceptEncodedReplies(path: string, serialize: Serialize): Serialize {
  serializers.set(path, serialize);
  return (value) => (value instanceof EncodedReply ? value.bytes : serialize(value));
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export interface RepeatedReply<T> {
  /** What the handler returns. */
  reply: EncodedReply | Record<string, unknown>;
  /** How many of the items it holds (fewer than given when `maxBytes` cut it short, at least one). */
  count: number;
  /** The last item it holds. */
  last: T | undefined;
}

/** `{ [field]: items mapped by toWire, ...rest(count) }` for StudyService method `method`, encoded an
 *  item at a time; items stop before the encoded size passes `maxBytes` (always at least one). `rest`
 *  gets the number of items kept (a page's next token depends on it). Without a registered serializer
 *  (the controller called outside the gRPC server) the reply is the plain object. */
export async function encodeRepeated<T>(
  method: string,
  field: string,
  items: readonly T[],
  toWire: (item: T) => unknown,
  rest: (count: number) => Record<string, unknown>,
  maxBytes = Infinity,
): Promise<RepeatedReply<T>> {
  const serialize = serializers.get(`/hpo.v1.StudyService/${method}`);
  if (!serialize) {
    const wire = items.map(toWire);
    const count = Number.isFinite(maxBytes) ? countWithinPageBytes(wire, maxBytes) : wire.length;
    return { reply: { [field]: wire.slice(0, count), ...rest(count) }, count, last: items[count - 1] };
  }
  const parts: Buffer[] = [];
  let total = 0;
  let count = 0;
  let sliceStart = performance.now();
  for (const item of items) {
    const part = serialize({ [field]: [toWire(item)] });
    if (count > 0 && total + part.length > maxBytes) break;
    parts.push(part);
    total += part.length;
    count++;
    if (performance.now() - sliceStart >= SLICE_MS) {
      await yieldToEventLoop();
      sliceStart = performance.now();
    }
  }
  parts.push(serialize(rest(count)));
  return { reply: new EncodedReply(Buffer.concat(parts)), count, last: items[count - 1] };
}

/** A page of a listing: its items cut again by their encoded size (a reply must stay under the message
 *  limit), and a next_page_token after the last item kept when the listing has more or the cut left
 *  some out. */
export async function encodePage<T>(
  method: string,
  field: string,
  page: { items: readonly T[]; more: boolean; tokenAfter(item: T): string },
  toWire: (item: T) => unknown,
): Promise<EncodedReply | Record<string, unknown>> {
  const { reply } = await encodeRepeated(method, field, page.items, toWire, (fit) => {
    const last = page.items[fit - 1];
    return { nextPageToken: (page.more || fit < page.items.length) && last !== undefined ? page.tokenAfter(last) : '' };
  }, MAX_PAGE_BYTES);
  return reply;
}

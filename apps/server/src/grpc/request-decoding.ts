/** Requests that cannot become a valid call answer INVALID_ARGUMENT at the edge, for every service on
 *  the server, before any handler, guard or database sees them:
 *  - bytes that are not the method's request message (grpc-js itself answers INTERNAL "Error
 *    deserializing request" when the deserializer throws, which blames the server for the caller's
 *    bytes), including messages nested deeper than protobuf's recursion limit;
 *  - requests over a documented size limit, and text a backend cannot store: PostgreSQL refuses the
 *    NUL character in text (SQLite keeps it), so it is refused in every string field of every request,
 *    the same way on both backends (request-limits.ts).
 *  The deserializer never throws: it returns an `UnusableRequest`, which the wrapped unary handler
 *  turns into the status. Streaming methods (reflection) keep grpc-js's own handling.
 *  On the way out, unary methods accept replies already encoded a piece at a time (reply-encoding.ts). */
import { status } from '@grpc/grpc-js';
import type { ServiceDefinition, UntypedServiceImplementation } from '@grpc/grpc-js';
import { requestLimitViolation } from './request-limits';
import { acceptEncodedReplies } from './reply-encoding';

/** protobufjs's decoder refuses messages nested deeper than this (protoc's default recursion limit). */
export const PROTOBUF_NESTING_LIMIT = 100;

/** Cap on the cause quoted from a decoder error. */
const MAX_CAUSE_CHARS = 120;

export class UnusableRequest {
  constructor(readonly details: string) {}
}

function decodeFailure(typeName: string, error: unknown): UnusableRequest {
  const cause = String((error as Error)?.message ?? error).split('\n')[0].slice(0, MAX_CAUSE_CHARS);
  if (/nesting depth|max depth/i.test(cause)) {
    return new UnusableRequest(`request: nested deeper than ${PROTOBUF_NESTING_LIMIT} messages, which no valid ${typeName} is (${cause})`);
  }
  return new UnusableRequest(`request: the bytes are not a valid ${typeName} message (${cause})`);
}

export function guardedDeserializer(typeName: string, deserialize: (bytes: Buffer) => unknown): (bytes: Buffer) => unknown {
  return (bytes) => {
    let request: unknown;
    try {
      request = deserialize(bytes);
    } catch (error) {
      return decodeFailure(typeName, error);
    }
    const violation = requestLimitViolation(request);
    return violation ? new UnusableRequest(violation) : request;
  };
}

type UnaryHandler = (call: { request: unknown }, callback: (error: unknown, value?: unknown) => void) => void;

/** The service with every unary method's deserializer and handler guarded. */
export function guardService(service: ServiceDefinition, implementation: UntypedServiceImplementation): [ServiceDefinition, UntypedServiceImplementation] {
  const guardedService: Record<string, unknown> = {};
  const guardedImplementation: UntypedServiceImplementation = { ...implementation };
  for (const [method, definition] of Object.entries(service)) {
    if (definition.requestStream || definition.responseStream) {
      guardedService[method] = definition;
      continue;
    }
    const typeName = (definition as { requestType?: { type?: { name?: string } } }).requestType?.type?.name ?? `${method} request`;
    guardedService[method] = {
      ...definition,
      requestDeserialize: guardedDeserializer(typeName, definition.requestDeserialize),
      // Big replies may come pre-encoded, a piece at a time (reply-encoding.ts).
      responseSerialize: acceptEncodedReplies(definition.path, definition.responseSerialize as (value: unknown) => Buffer),
    };
    const handler = implementation[method] as unknown as UnaryHandler | undefined;
    if (!handler) continue;
    guardedImplementation[method] = ((call: { request: unknown }, callback: (error: unknown, value?: unknown) => void) => {
      if (call.request instanceof UnusableRequest) {
        callback({ code: status.INVALID_ARGUMENT, details: call.request.details });
        return;
      }
      handler(call, callback);
    }) as unknown as UntypedServiceImplementation[string];
  }
  return [guardedService as ServiceDefinition, guardedImplementation];
}

/** Requests that cannot become a valid call answer INVALID_ARGUMENT at the edge, for every service on
 *  the server, before any handler, guard or database sees them:
 *  - bytes that are not the method's request message (grpc-js itself answers INTERNAL "Error
 *    deserializing request" when the deserializer throws, which blames the server for the caller's
 *    bytes), including messages nested deeper than protobuf's recursion limit;
 *  - text a backend cannot store: PostgreSQL refuses the NUL character in text (SQLite keeps it), so it
 *    is refused in every string field of every request, the same way on both backends.
 *  The deserializer never throws: it returns an `UnusableRequest`, which the wrapped unary handler
 *  turns into the status. Streaming methods (reflection) keep grpc-js's own handling. */
import { status } from '@grpc/grpc-js';
import type { ServiceDefinition, UntypedServiceImplementation } from '@grpc/grpc-js';

/** protobufjs's decoder refuses messages nested deeper than this (protoc's default recursion limit). */
export const PROTOBUF_NESTING_LIMIT = 100;

/** Cap on the cause quoted from a decoder error. */
const MAX_CAUSE_CHARS = 120;

export class UnusableRequest {
  constructor(readonly details: string) {}
}

function snakeCase(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** The path of the first string holding a NUL character, in the .proto's field names, or undefined. */
export function findNul(value: unknown, path = ''): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path || 'request' : undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findNul(value[i], `${path}[${i}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (value !== null && typeof value === 'object' && !Buffer.isBuffer(value)) {
    for (const [k, v] of Object.entries(value)) {
      const found = findNul(v, path ? `${path}.${snakeCase(k)}` : snakeCase(k));
      if (found) return found;
    }
  }
  return undefined;
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
    const nul = findNul(request);
    if (nul) return new UnusableRequest(`${nul}: must not contain the NUL character (U+0000), which the database cannot store`);
    return request;
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
    guardedService[method] = { ...definition, requestDeserialize: guardedDeserializer(typeName, definition.requestDeserialize) };
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

/** The one place where errors become gRPC statuses: the libs' typed HpoErrors map to their codes,
 *  anything else is INTERNAL (logged with its stack; the caller gets no internals). */
import { ArgumentsHost, Catch, RpcExceptionFilter } from '../nest';
import { RpcException } from '../nest';
import { Metadata, status } from '@grpc/grpc-js';
import { Observable, throwError } from 'rxjs';
import { HpoError, ResourceExhaustedError } from '@hpo/core';
import type { AppLogger } from '../logging/pino-logger.service';
import { isDatabaseUnavailable } from '../storage/connection-errors';

const CODES: Record<HpoError['code'], status> = {
  INVALID_ARGUMENT: status.INVALID_ARGUMENT,
  NOT_FOUND: status.NOT_FOUND,
  ALREADY_EXISTS: status.ALREADY_EXISTS,
  FAILED_PRECONDITION: status.FAILED_PRECONDITION,
  UNAUTHENTICATED: status.UNAUTHENTICATED,
  PERMISSION_DENIED: status.PERMISSION_DENIED,
  RESOURCE_EXHAUSTED: status.RESOURCE_EXHAUSTED,
  UNAVAILABLE: status.UNAVAILABLE,
};

/** The longest status message sent: messages quote inputs bounded by the size limits, and this keeps
 *  any that slips through from filling the caller's metadata (grpc-js refuses trailers past ~8 KB). */
const MAX_MESSAGE_CHARS = 1024;

/** The message itself when it fits, else its start and how long it was, the whole within
 *  MAX_MESSAGE_CHARS (the note used to be appended after a full-length prefix: 1,043 characters, which
 *  the fuzz suite's seed 1029316288 caught on an AddTrials refusal). */
export function shortMessage(message: string): string {
  if (message.length <= MAX_MESSAGE_CHARS) return message;
  const note = `… (${message.length} characters)`;
  return `${message.slice(0, MAX_MESSAGE_CHARS - note.length)}${note}`;
}

export function toRpcException(error: unknown): { exception: RpcException; internal: boolean } {
  if (error instanceof RpcException) return { exception: error, internal: false };
  if (error instanceof ResourceExhaustedError && error.retryAfterSeconds !== undefined) {
    // Programs read the hint from trailing metadata `retry-after-ms` (people read it in the message).
    const metadata = new Metadata();
    metadata.set('retry-after-ms', String(Math.max(1, Math.ceil(error.retryAfterSeconds * 1000))));
    return { exception: new RpcException({ code: status.RESOURCE_EXHAUSTED, message: shortMessage(error.message), metadata }), internal: false };
  }
  if (error instanceof HpoError) return { exception: new RpcException({ code: CODES[error.code], message: shortMessage(error.message) }), internal: false };
  if (isDatabaseUnavailable(error)) {
    // The transaction died with its connection (or, at COMMIT, its outcome is unknown). Retrying is
    // safe: CompleteTrial is idempotent and SuggestTrials hands a client_id its own ACTIVE trials back.
    return { exception: new RpcException({ code: status.UNAVAILABLE, message: 'database temporarily unavailable; retry the call' }), internal: false };
  }
  return { exception: new RpcException({ code: status.INTERNAL, message: 'internal error (see the server log)' }), internal: true };
}

@Catch()
export class GrpcExceptionFilter implements RpcExceptionFilter<unknown> {
  constructor(private readonly logger: AppLogger) {}

  catch(error: unknown, host: ArgumentsHost): Observable<never> {
    const { exception, internal } = toRpcException(error);
    const method = host.getType() === 'rpc' ? (host.getArgByIndex(2) as { getPath?: () => string } | undefined)?.getPath?.() : undefined;
    // The request id the RPC interceptor (metrics/rpc-interceptor.ts) put into the call's metadata.
    const requestId = host.getType() === 'rpc' ? (host.getArgByIndex(1) as { get?: (k: string) => unknown[] } | undefined)?.get?.('x-request-id')?.[0] : undefined;
    if (internal) this.logger.error({ err: error, method, requestId, msg: 'unhandled error in RPC' });
    else this.logger.debug({ method, requestId, error: (exception.getError() as { message?: string }).message, msg: 'rejected RPC' });
    const e = exception.getError() as { code: number; message: string; metadata?: Metadata };
    return throwError(() => ({ code: e.code, message: e.message, details: e.message, ...(e.metadata ? { metadata: e.metadata } : {}) }));
  }
}

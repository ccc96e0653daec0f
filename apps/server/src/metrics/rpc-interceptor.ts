/** A grpc-js server interceptor around every call (StudyService, health, reflection): counts and times
 *  it by method and final status code, and logs it with a request id. The id comes from the caller's
 *  `x-request-id` metadata when it is a sane token, else it is generated; it is written back into the
 *  call's metadata (so handlers and the exception filter can log it) and returned to the caller in the
 *  response headers. Only the method, code, duration, peer and id are logged: never metadata values,
 *  so keys and secrets cannot leak. Successful calls log at debug (an access log at that level);
 *  failures at info, so the default level shows every rejected call with its id. */
import { randomUUID } from 'node:crypto';
import { Metadata, ServerInterceptingCall, status } from '@grpc/grpc-js';
import type { ServerInterceptingCallInterface, ServerInterceptor, ServerMethodDefinition } from '@grpc/grpc-js';
import type { AppLogger } from '../logging/pino-logger.service';
import type { ServerMetrics } from './metrics.service';

export const REQUEST_ID_HEADER = 'x-request-id';

/** Letters, digits and a few separators, up to 128 characters: what tracing systems send, and nothing
 *  that could forge a log line. */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:\-]{1,128}$/;

export function requestIdFrom(metadata: Metadata | undefined): string {
  const v = metadata?.get(REQUEST_ID_HEADER)[0];
  const s = typeof v === 'string' ? v : undefined;
  return s !== undefined && SANE_REQUEST_ID.test(s) ? s : randomUUID();
}

export function statusName(code: number): string {
  return (status as unknown as Record<number, string>)[code] ?? String(code);
}

export function createRpcInterceptor(metrics: ServerMetrics, logger: AppLogger): ServerInterceptor {
  return (method: ServerMethodDefinition<unknown, unknown>, call: ServerInterceptingCallInterface) => {
    const started = process.hrtime.bigint();
    let requestId = '';
    let finished = false;
    metrics.rpcInFlight.inc();
    const finish = (code: number, details: string | undefined): void => {
      if (finished) return;
      finished = true;
      metrics.rpcInFlight.dec();
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const name = statusName(code);
      metrics.recordRpc(method.path, name, seconds);
      const entry = { msg: 'rpc', method: method.path, code: name, ms: Math.round(seconds * 1e4) / 10, requestId, peer: safePeer(call) };
      if (code === status.OK) logger.debug(entry);
      else logger.log({ ...entry, error: details });
    };
    return new ServerInterceptingCall(call, {
      start: (next) => {
        next({
          onReceiveMetadata: (metadata, mdNext) => {
            requestId = requestIdFrom(metadata);
            metadata.set(REQUEST_ID_HEADER, requestId);
            mdNext(metadata);
          },
          onCancel: () => finish(status.CANCELLED, 'cancelled by the client or deadline'),
        });
      },
      sendMetadata: (metadata, next) => {
        if (requestId) metadata.set(REQUEST_ID_HEADER, requestId);
        next(metadata);
      },
      sendStatus: (s, next) => {
        finish(s.code, s.details);
        next(s);
      },
    });
  };
}

function safePeer(call: ServerInterceptingCallInterface): string | undefined {
  try {
    return call.getPeer();
  } catch {
    return undefined;
  }
}

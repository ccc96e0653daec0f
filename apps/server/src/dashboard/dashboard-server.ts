/** The dashboard's HTTP server (node:http inside the server process, on its own port): the built
 *  front end, the tenant-scoped JSON API under /api, /healthz and, when enabled, /metrics. Errors are
 *  the gRPC API's domain errors mapped to HTTP statuses; writes need a JSON content type, which a
 *  cross-site form cannot send without a CORS preflight this server never grants. */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import * as zlib from 'node:zlib';
import { HpoError, InvalidArgumentError } from '@hpo/core';
import type { AppLogger } from '../logging/pino-logger.service';
import type { ServerMetrics } from '../metrics/metrics.service';
import type { Storage, TenantRecord } from '../storage/storage';
import { DashboardApi, parseId, TrialStopper } from './dashboard-api';
import { tenantOfRequest } from './http-tenant';
import { loadStaticAssets, StaticAsset } from './static-assets';

export interface DashboardOptions {
  host: string;
  port: number;
  storage: Storage;
  trials: TrialStopper;
  /** Key-less local tenant allowed (both binds loopback; resolveTenant still requires no tenants). */
  localModeAllowed: boolean;
  logger: AppLogger;
  /** Serve /metrics on this port too. */
  metrics?: ServerMetrics;
  /** Serve the front end and /api (false: a metrics-only port with /metrics and /healthz). */
  dashboard?: boolean;
}

export interface RunningHttpServer {
  port: number;
  address: string;
  close(): Promise<void>;
}

const HTTP_STATUS: Record<HpoError['code'], number> = {
  INVALID_ARGUMENT: 400,
  UNAUTHENTICATED: 401,
  PERMISSION_DENIED: 403,
  NOT_FOUND: 404,
  ALREADY_EXISTS: 409,
  FAILED_PRECONDITION: 409,
  RESOURCE_EXHAUSTED: 429,
  UNAVAILABLE: 503,
};

/** Largest request body: a note of MAX_NOTE_LENGTH characters, JSON-escaped, with room to spare. */
const MAX_BODY_BYTES = 256 * 1024;

const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

interface Route {
  method: string;
  pattern: RegExp;
  /** Label for metrics (never the raw path: ids would explode the label set). */
  name: string;
  handle(ctx: RequestContext, match: RegExpExecArray): Promise<Reply>;
}

interface RequestContext {
  req: http.IncomingMessage;
  url: URL;
  tenant(): Promise<TenantRecord>;
  body(): Promise<unknown>;
}

/** `gzip`: the same body compressed ahead of time (the static assets). */
type Reply = { status?: number; json: unknown } | { status?: number; text: string | Buffer; contentType: string; headers?: Record<string, string>; gzip?: Buffer };

/** JSON bodies larger than this are gzipped for a client that accepts it (a 2,000-trial study is 1.4 MB
 *  of JSON, a sixth of that compressed), off the event loop (zlib's thread pool), at a fast level. */
const GZIP_JSON_FROM_BYTES = 32 * 1024;
const gzipAsync = promisify(zlib.gzip);

export async function startDashboardServer(o: DashboardOptions): Promise<RunningHttpServer> {
  const serveUi = o.dashboard ?? true;
  const assets = serveUi ? loadStaticAssets() : new Map<string, StaticAsset>();
  const api = new DashboardApi(o.storage, o.trials);
  const routes = buildRoutes(api, o, assets, serveUi);
  const server = http.createServer((req, res) => void handle(req, res, routes, o));
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const address = o.host.includes(':') ? `[${o.host}]:${port}` : `${o.host}:${port}`;
  return {
    port,
    address,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function buildRoutes(api: DashboardApi, o: DashboardOptions, assets: Map<string, StaticAsset>, serveUi: boolean): Route[] {
  const routes: Route[] = [
    {
      method: 'GET',
      pattern: /^\/healthz$/,
      name: '/healthz',
      handle: async () => {
        await o.storage.now();
        return { json: { status: 'ok' } };
      },
    },
  ];
  if (o.metrics) {
    const metrics = o.metrics;
    routes.push({
      method: 'GET',
      pattern: /^\/metrics$/,
      name: '/metrics',
      handle: async () => {
        const { contentType, body } = await metrics.scrape();
        return { text: body, contentType };
      },
    });
  }
  if (!serveUi) return routes;
  const studyId = (m: RegExpExecArray) => parseId(m[1], 'study id');
  const trialId = (m: RegExpExecArray) => parseId(m[2], 'trial id');
  routes.push(
    {
      method: 'GET',
      pattern: /^\/api\/session$/,
      name: '/api/session',
      handle: async (ctx) => {
        const t = await ctx.tenant();
        return { json: { tenant: t.name, local: t.isLocal } };
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/studies$/,
      name: '/api/studies',
      handle: async (ctx) => ({ json: await api.listStudies(await ctx.tenant(), ctx.url.searchParams.get('q') ?? '') }),
    },
    {
      method: 'GET',
      pattern: /^\/api\/studies\/([^/]+)$/,
      name: '/api/studies/:id',
      handle: async (ctx, m) => ({ json: await api.study(await ctx.tenant(), studyId(m)) }),
    },
    {
      method: 'POST',
      pattern: /^\/api\/studies\/([^/]+)\/trials\/([^/]+)\/stop$/,
      name: '/api/studies/:id/trials/:id/stop',
      handle: async (ctx, m) => {
        await ctx.body();
        return { json: await api.stopTrial(await ctx.tenant(), studyId(m), trialId(m)) };
      },
    },
    {
      method: 'PUT',
      pattern: /^\/api\/studies\/([^/]+)\/trials\/([^/]+)\/note$/,
      name: '/api/studies/:id/trials/:id/note',
      handle: async (ctx, m) => {
        const body = (await ctx.body()) as { note?: unknown } | null;
        return { json: await api.setNote(await ctx.tenant(), studyId(m), trialId(m), body?.note) };
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/studies\/([^/]+)\/export\.(csv|json)$/,
      name: '/api/studies/:id/export',
      handle: async (ctx, m) => {
        const tenant = await ctx.tenant();
        const csv = m[2] === 'csv';
        const out = csv ? await api.exportCsv(tenant, studyId(m)) : await api.exportJson(tenant, studyId(m));
        return {
          text: out.body,
          contentType: csv ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
          headers: { 'content-disposition': `attachment; filename="${out.filename}"` },
        };
      },
    },
    {
      method: 'GET',
      pattern: /^\/(index\.html)?$/,
      name: '/',
      handle: async () => staticReply(assets, '/index.html'),
    },
    {
      method: 'GET',
      pattern: /^(\/[A-Za-z0-9._-]+\.(?:js|css|svg|png|ico|map))$/,
      name: '/asset',
      handle: async (_ctx, m) => staticReply(assets, m[1]),
    },
  );
  return routes;
}

function staticReply(assets: Map<string, StaticAsset>, name: string): Reply {
  const a = assets.get(name);
  if (!a) throw new HttpError(404, `no such file: ${name}`);
  return { text: a.body, contentType: a.contentType, gzip: a.gzip };
}

async function handle(req: http.IncomingMessage, res: http.ServerResponse, routes: Route[], o: DashboardOptions): Promise<void> {
  const started = process.hrtime.bigint();
  const requestId = sanitizeRequestId(req.headers['x-request-id']);
  let routeName = 'unmatched';
  let status = 500;
  try {
    const url = new URL(req.url ?? '/', 'http://dashboard.invalid');
    const method = req.method ?? 'GET';
    const candidates = routes.filter((r) => r.pattern.test(url.pathname));
    const route = candidates.find((r) => r.method === method || (method === 'HEAD' && r.method === 'GET'));
    if (!route) throw new HttpError(candidates.length > 0 ? 405 : 404, candidates.length > 0 ? `${method} is not allowed here` : `no such page: ${url.pathname}`);
    routeName = route.name;
    let tenant: Promise<TenantRecord> | undefined;
    const ctx: RequestContext = {
      req,
      url,
      tenant: () => (tenant ??= tenantOfRequest(o.storage, o.localModeAllowed, req)),
      body: () => readJsonBody(req),
    };
    const reply = await route.handle(ctx, route.pattern.exec(url.pathname) as RegExpExecArray);
    status = reply.status ?? 200;
    await send(res, status, reply, requestId, method === 'HEAD', acceptsGzip(req));
  } catch (error) {
    const { code, message } = httpErrorOf(error);
    status = code;
    if (code >= 500) o.logger.error({ msg: 'dashboard request failed', route: routeName, requestId, err: error });
    await send(res, code, { json: { error: message } }, requestId, false, false);
  } finally {
    o.metrics?.recordHttp(routeName, status);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    // The path and method only: query strings and headers may carry things that are nobody's business.
    o.logger.debug({ msg: 'http', method: req.method, route: routeName, status, ms: Math.round(ms * 10) / 10, requestId });
  }
}

function httpErrorOf(error: unknown): { code: number; message: string } {
  if (error instanceof HttpError) return { code: error.status, message: error.message };
  if (error instanceof HpoError) return { code: HTTP_STATUS[error.code], message: error.message };
  return { code: 500, message: 'internal error (see the server log)' };
}

function acceptsGzip(req: http.IncomingMessage): boolean {
  return /\bgzip\b/i.test(String(req.headers['accept-encoding'] ?? ''));
}

async function send(res: http.ServerResponse, status: number, reply: Reply, requestId: string, headOnly: boolean, gzip: boolean): Promise<void> {
  const headers: Record<string, string> = { ...SECURITY_HEADERS, 'x-request-id': requestId, 'cache-control': 'no-cache', vary: 'accept-encoding' };
  let body: string | Buffer;
  if ('json' in reply) {
    body = JSON.stringify(reply.json);
    headers['content-type'] = 'application/json; charset=utf-8';
    if (gzip && !headOnly && body.length >= GZIP_JSON_FROM_BYTES) {
      body = await gzipAsync(body, { level: 1 });
      headers['content-encoding'] = 'gzip';
    }
  } else {
    body = gzip && reply.gzip ? reply.gzip : reply.text;
    if (gzip && reply.gzip) headers['content-encoding'] = 'gzip';
    headers['content-type'] = reply.contentType;
    Object.assign(headers, reply.headers ?? {});
  }
  if (status === 401) headers['www-authenticate'] = 'Bearer realm="hpo"';
  headers['content-length'] = String(Buffer.byteLength(body));
  res.writeHead(status, headers);
  res.end(headOnly ? undefined : body);
}

async function readJsonBody(req: http.IncomingMessage): Promise<unknown> {
  const type = String(req.headers['content-type'] ?? '');
  if (!/^application\/json\b/i.test(type)) {
    throw new HttpError(415, 'send the request body as JSON with "Content-Type: application/json"');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, `request body larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    throw new InvalidArgumentError('body', 'must be valid JSON');
  }
}

function sanitizeRequestId(raw: string | string[] | undefined): string {
  const v = Array.isArray(raw) ? raw[0] : raw;
  return v !== undefined && /^[A-Za-z0-9._:\-]{1,128}$/.test(v) ? v : randomUUID();
}


/** The server's entry point: `startServer(options)` starts hpo.v1.StudyService (plus grpc.health.v1
 *  and server reflection) on the configured address and returns a handle whose close() finishes
 *  in-flight calls and then closes the database. The `hpo serve` command (apps/cli) calls it. */
import 'reflect-metadata';
import * as fs from 'node:fs';
import * as net from 'node:net';
import { ServerCredentials } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { NestFactory } from './nest';
import type { DynamicModule } from './nest';
import type { INestMicroservice } from './nest';
import { ReflectionService } from '@grpc/reflection';
import { HealthImplementation, protoPath as healthProtoPath } from 'grpc-health-check';
import type { CandidateAdvisor } from '@hpo/core';
import { AppModule } from './app.module';
import { LlmModule } from './llm/llm.module';
import { BoundPortServerGrpc } from './grpc/bound-port-server';
import { GrpcExceptionFilter } from './grpc/grpc-exception.filter';
import { loaderOptions, PROTO_FILES } from './grpc/proto-files';
import { LeaseReaper } from './leases/lease-reaper';
import { AppLogger, createPino, LogLevel } from './logging/pino-logger.service';
import { openStorage } from './storage/open-storage';
import type { Storage } from './storage/storage';
import { defaultWorkerCount, PolicyPool } from './suggestion/policy-pool';
import { QuotaConfig, quotaConfigFromEnv } from './quotas/quota-config';
import { DEFAULT_MAX_PENDING_SUGGESTIONS, SuggestionAdmission } from './quotas/suggestion-admission';
import { startHttpEndpoints } from './dashboard/http-endpoints';
import type { HttpEndpoints } from './dashboard/http-endpoints';
import { instrumentPolicyPool } from './metrics/instrument-policy-pool';
import { instrumentStorage } from './metrics/instrument-storage';
import { serverMetrics } from './metrics/metrics.service';
import { createRpcInterceptor } from './metrics/rpc-interceptor';
import { cachedTrialCounts } from './metrics/trial-counts';
import { TrialLifecycle } from './studies/trial-lifecycle.service';
import type { PolicyRunner } from './suggestion/policy-runner';
import type { Clock } from './clock';

export interface ServerOptions {
  /** Bind address; default 127.0.0.1 (loopback: the key-less local mode is allowed). */
  host?: string;
  /** Default 50051; 0 picks a free port (see RunningServer.port). */
  port?: number;
  /** SQLite lives in <dataDir>/hpo.sqlite; default ./.hpo-data; ':memory:' keeps it in memory (tests). */
  dataDir?: string;
  /** postgres://… selects PostgreSQL instead of SQLite. */
  databaseUrl?: string;
  /** PostgreSQL schema (default public); tests use a fresh one. */
  postgresSchema?: string;
  tlsCertFile?: string;
  tlsKeyFile?: string;
  /** With a client CA, clients must present a certificate signed by it. */
  tlsClientCaFile?: string;
  logLevel?: LogLevel;
  /** pino destination: a file descriptor (default 1, stdout) or a stream. */
  logDestination?: number | NodeJS.WritableStream;
  /** Worker threads for policies; default cores − 1 (at least 1). */
  suggestionWorkers?: number;
  /** Where policies run instead of the worker pool (in-process tests: InlinePolicyRunner, no dist/ and
   *  no threads). The server closes it with itself. */
  policyRunner?: PolicyRunner;
  /** The server's clock (clock.ts); default the system clock. Tests pass a ManualClock (testing/) to
   *  move leases (on SQLite), rate limits and caches without sleeping. */
  clock?: Clock;
  /** How often expired leases are swept (ms); default 5000. */
  leaseCheckIntervalMs?: number;
  /** How long close() waits for in-flight calls before cancelling them (ms); default 10000. */
  shutdownGraceMs?: number;
  /** The LLM module's advisor, when the caller builds it (else the LLM module may provide one). */
  candidateAdvisor?: CandidateAdvisor;
  /** Extra Nest modules for the server (e.g. one that provides CANDIDATE_ADVISOR globally). */
  imports?: DynamicModule['imports'];
  /** Per-tenant quotas and rate limits (apps/server/src/quotas/quota-config.ts); HPO_QUOTAS /
   *  HPO_QUOTAS_FILE; DEFAULT_QUOTA when omitted. */
  quotas?: QuotaConfig;
  /** SuggestTrials calls this replica queues before answering RESOURCE_EXHAUSTED (0: unbounded);
   *  default DEFAULT_MAX_PENDING_SUGGESTIONS. HPO_MAX_PENDING_SUGGESTIONS. */
  maxPendingSuggestions?: number;
  /** Largest request or response in bytes (default 16 MiB). HPO_MAX_MESSAGE_BYTES. */
  maxMessageBytes?: number;
  /** How often the server pings each connection (ms, default 60000; a peer that does not answer within
   *  20 s is disconnected). HPO_KEEPALIVE_TIME_MS. */
  keepaliveTimeMs?: number;
  /** Web dashboard (with /metrics and /healthz) on this HTTP port; off when unset; 0 picks a free port. */
  dashboardPort?: number;
  /** Dashboard bind address; default the gRPC host. */
  dashboardHost?: string;
  /** Serve /metrics on the dashboard port (default true). */
  metrics?: boolean;
  /** A separate HTTP listener with only /metrics and /healthz; off when unset. */
  metricsPort?: number;
  /** Its bind address; default the dashboard host, else the gRPC host. */
  metricsHost?: string;
}

export interface RunningServer {
  /** host:port actually bound. */
  address: string;
  port: number;
  storage: Storage;
  /** The dashboard's port and URL, when it is on. */
  dashboardPort?: number;
  dashboardUrl?: string;
  /** The metrics-only listener's port, when it is on. */
  metricsPort?: number;
  /** Graceful: stops accepting calls, finishes in-flight ones, then closes the worker pool and database. */
  close(): Promise<void>;
}

/** Largest request or response (a study with thousands of trials and curves fits; a runaway does not). */
const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

/** Defaults for ServerOptions from HPO_* environment variables. */
export function serverOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): ServerOptions {
  const o: ServerOptions = {};
  if (env.HPO_HOST) o.host = env.HPO_HOST;
  if (env.HPO_PORT !== undefined && env.HPO_PORT !== '') o.port = Number(env.HPO_PORT);
  if (env.HPO_DATA_DIR) o.dataDir = env.HPO_DATA_DIR;
  if (env.HPO_DATABASE_URL) o.databaseUrl = env.HPO_DATABASE_URL;
  if (env.HPO_POSTGRES_SCHEMA) o.postgresSchema = env.HPO_POSTGRES_SCHEMA;
  if (env.HPO_TLS_CERT) o.tlsCertFile = env.HPO_TLS_CERT;
  if (env.HPO_TLS_KEY) o.tlsKeyFile = env.HPO_TLS_KEY;
  if (env.HPO_TLS_CLIENT_CA) o.tlsClientCaFile = env.HPO_TLS_CLIENT_CA;
  if (env.HPO_LOG_LEVEL) o.logLevel = env.HPO_LOG_LEVEL as LogLevel;
  if (env.HPO_SUGGESTION_WORKERS) o.suggestionWorkers = Number(env.HPO_SUGGESTION_WORKERS);
  if (env.HPO_LEASE_CHECK_INTERVAL_MS) o.leaseCheckIntervalMs = Number(env.HPO_LEASE_CHECK_INTERVAL_MS);
  const quotas = quotaConfigFromEnv(env);
  if (quotas) o.quotas = quotas;
  if (env.HPO_MAX_PENDING_SUGGESTIONS) o.maxPendingSuggestions = Number(env.HPO_MAX_PENDING_SUGGESTIONS);
  if (env.HPO_MAX_MESSAGE_BYTES) o.maxMessageBytes = Number(env.HPO_MAX_MESSAGE_BYTES);
  if (env.HPO_KEEPALIVE_TIME_MS) o.keepaliveTimeMs = Number(env.HPO_KEEPALIVE_TIME_MS);
  if (env.HPO_DASHBOARD_PORT !== undefined && env.HPO_DASHBOARD_PORT !== '') o.dashboardPort = Number(env.HPO_DASHBOARD_PORT);
  if (env.HPO_DASHBOARD_HOST) o.dashboardHost = env.HPO_DASHBOARD_HOST;
  if (env.HPO_METRICS !== undefined && env.HPO_METRICS !== '') o.metrics = !/^(0|false|off|no)$/i.test(env.HPO_METRICS);
  if (env.HPO_METRICS_PORT !== undefined && env.HPO_METRICS_PORT !== '') o.metricsPort = Number(env.HPO_METRICS_PORT);
  if (env.HPO_METRICS_HOST) o.metricsHost = env.HPO_METRICS_HOST;
  return o;
}

export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h === '::1') return true;
  return net.isIPv4(h) && h.startsWith('127.');
}

function credentials(o: ServerOptions): ServerCredentials {
  if (!o.tlsCertFile && !o.tlsKeyFile) return ServerCredentials.createInsecure();
  if (!o.tlsCertFile || !o.tlsKeyFile) throw new Error('TLS needs both a certificate (--tls-cert) and a private key (--tls-key)');
  const ca = o.tlsClientCaFile ? fs.readFileSync(o.tlsClientCaFile) : null;
  return ServerCredentials.createSsl(
    ca,
    [{ cert_chain: fs.readFileSync(o.tlsCertFile), private_key: fs.readFileSync(o.tlsKeyFile) }],
    ca !== null,
  );
}

function formatAddress(host: string, port: number): string {
  return net.isIPv6(host) ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Registers grpc.health.v1.Health and server reflection (grpcurl, grpc_health_probe, Kubernetes). */
function addHealthAndReflection(pkg: object, server: any, health: HealthImplementation): void {
  health.addToServer(server);
  const healthDefinition = loadSync(healthProtoPath, { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true });
  new ReflectionService({ ...healthDefinition, ...pkg }).addToServer(server);
}

export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const o: ServerOptions = { ...serverOptionsFromEnv(), ...options };
  const host = o.host ?? '127.0.0.1';
  const port = o.port ?? 50051;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`port must be an integer in 0..65535 (got ${o.port})`);
  const logger = new AppLogger(createPino(o.logLevel ?? 'info', (o.logDestination as any) ?? 1));
  const creds = credentials(o);
  const storage = await openStorage({
    dataDir: o.dataDir,
    databaseUrl: o.databaseUrl,
    postgresSchema: o.postgresSchema,
    onConnectionError: (error) => logger.warn({ msg: 'database connection lost; the pool opens a new one', error: error.message }),
    onStatement: (sql) => serverMetrics.recordStatement(sql),
    clock: o.clock,
  });
  let pool: PolicyRunner | undefined;
  let app: INestMicroservice | undefined;
  let http: HttpEndpoints | undefined;
  const observedStorage = instrumentStorage(storage, serverMetrics);
  try {
    pool = o.policyRunner ?? instrumentPolicyPool(new PolicyPool(o.suggestionWorkers ?? defaultWorkerCount()), serverMetrics);
    const health = new HealthImplementation({ '': 'SERVING', 'hpo.v1.StudyService': 'SERVING' });
    const transport = new BoundPortServerGrpc({
      url: formatAddress(host, port),
      package: 'hpo.v1',
      protoPath: PROTO_FILES,
      loader: loaderOptions() as any,
      credentials: creds,
      gracefulShutdown: true,
      maxReceiveMessageLength: o.maxMessageBytes ?? MAX_MESSAGE_BYTES,
      maxSendMessageLength: o.maxMessageBytes ?? MAX_MESSAGE_BYTES,
      keepalive: { keepaliveTimeMs: o.keepaliveTimeMs ?? 60_000, keepaliveTimeoutMs: 20_000, http2MinPingIntervalWithoutDataMs: 10_000 },
      // Connections are closed (gracefully) after a while so that clients re-resolve and spread over
      // replicas added or restarted behind a load balancer (docs/deployment.md).
      channelOptions: {
        'grpc.max_connection_age_ms': 15 * 60_000,
        'grpc.max_connection_age_grace_ms': 60_000,
        // grpc-js reads server interceptors from the Server options, which BoundPortServerGrpc passes through.
        interceptors: [createRpcInterceptor(serverMetrics, logger)],
      } as any,
      onLoadPackageDefinition: (pkg, server) => addHealthAndReflection(pkg, server, health),
    });
    app = await NestFactory.createMicroservice(
      AppModule.forRoot({
        storage: observedStorage,
        pool,
        logger,
        settings: { loopback: isLoopbackHost(host) },
        candidateAdvisor: o.candidateAdvisor,
        // The LLM module (HPO_LLM_* settings) provides the advisor unless the caller brought one.
        imports: o.imports ?? (o.candidateAdvisor ? [] : [LlmModule.forRoot({ logger, storage: observedStorage, dataDir: o.dataDir })]),
        quotas: o.quotas,
        admission: new SuggestionAdmission(o.maxPendingSuggestions ?? DEFAULT_MAX_PENDING_SUGGESTIONS),
      }),
      { strategy: transport, logger, abortOnError: false },
    );
    app.useGlobalFilters(new GrpcExceptionFilter(logger));
    await app.listen();
    const dashboardHost = o.dashboardHost ?? host;
    serverMetrics.setTrialCountsCollector(cachedTrialCounts(storage, isLoopbackHost(host)));
    http = await startHttpEndpoints({
      dashboardPort: o.dashboardPort,
      dashboardHost,
      metricsPort: o.metricsPort,
      metricsHost: o.metricsHost ?? dashboardHost,
      metricsOnDashboard: o.metrics ?? true,
      storage: observedStorage,
      trials: app.get(TrialLifecycle),
      localModeAllowed: isLoopbackHost(host) && isLoopbackHost(dashboardHost),
      logger,
      metrics: serverMetrics,
    });
    const reaper = new LeaseReaper(observedStorage, logger, o.leaseCheckIntervalMs ?? 5000, o.clock);
    reaper.start();
    const address = formatAddress(host, transport.boundPort);
    logger.log({ msg: 'hpo server listening', address, database: storage.dialect, tls: !!o.tlsCertFile });
    let closing: Promise<void> | undefined;
    const started = { app, pool, http };
    return {
      address,
      port: transport.boundPort,
      storage,
      dashboardPort: http.dashboard?.port,
      dashboardUrl: http.dashboard ? `http://${http.dashboard.address}/` : undefined,
      metricsPort: http.metrics?.port,
      close: () =>
        (closing ??= (async () => {
          await started.http.close();
          health.setStatus('', 'NOT_SERVING');
          health.setStatus('hpo.v1.StudyService', 'NOT_SERVING');
          await transport.shutdownGracefully(o.shutdownGraceMs ?? 10_000);
          await reaper.stop();
          await started.app.close();
          await started.pool.close();
          await storage.close();
          logger.log({ msg: 'hpo server stopped', address });
        })()),
    };
  } catch (error) {
    await http?.close().catch(() => undefined);
    await app?.close().catch(() => undefined);
    await pool?.close().catch(() => undefined);
    await storage.close().catch(() => undefined);
    throw error;
  }
}

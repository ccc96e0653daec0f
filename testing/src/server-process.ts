/** The one server launcher of the tests, bench/ and the dashboard harness: the real server from dist/
 *  as a child process (the way a deployment runs it; crash and fault tests need a process to kill), one
 *  on SQLite or several replicas on one PostgreSQL schema. Fast in-process tests use startServer with a
 *  ManualClock instead (apps/server/test/leases-and-rate-limits.spec.ts). */
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { serverEntry } from './repo-paths';

export interface ServerProcess {
  /** host:port of the gRPC server. */
  address: string;
  port: number;
  /** HTTP ports of the dashboard and of /metrics, when the server serves them (HPO_DASHBOARD_PORT,
   *  HPO_METRICS_PORT). */
  dashboardPort?: number;
  metricsPort?: number;
  child: ChildProcess;
  /** Everything the server wrote to stderr (its pino log; the last 4 MB). */
  logs(): string;
  /** SIGTERM and wait (graceful). */
  stop(): Promise<void>;
  /** SIGKILL (or another signal) and wait. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  readonly exited: boolean;
}

export interface ServerProcessOptions {
  /** How long to wait for its {"listening": ...} line (default 60 s: a loaded 2-core CI box). */
  timeoutMs?: number;
  /** Another entry than the build's standalone.js (a scripted server, or another build side by side). */
  entry?: string;
}

/** Starts one server; resolves once it prints {"listening": ...}. It binds 127.0.0.1 on a free port and
 *  logs at warn unless env says otherwise. HPO_REPLICA_NODE_ARGS: extra node flags (e.g. "--cpu-prof"). */
export async function startServerProcess(env: Record<string, string>, options: ServerProcessOptions = {}): Promise<ServerProcess> {
  const entry = options.entry ?? serverEntry();
  const timeoutMs = options.timeoutMs ?? 60_000;
  if (!fs.existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build\` first`);
  const nodeArgs = (process.env.HPO_REPLICA_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, entry], {
    env: { ...process.env, HPO_HOST: '127.0.0.1', HPO_PORT: '0', HPO_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    // Keep the tail only: a long load run must not grow the harness's memory.
    stderr = (stderr + d.toString()).slice(-4_000_000);
  });
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      resolve();
    }),
  );
  const ready = await new Promise<{ listening: string; port: number; dashboardPort?: number; metricsPort?: number }>((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => reject(new Error(`server did not start in ${timeoutMs} ms:\n${stderr}`)), timeoutMs);
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
      const line = stdout.split('\n').find((l) => l.startsWith('{"listening"'));
      if (line) {
        clearTimeout(timer);
        resolve(JSON.parse(line));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${stderr}`));
    });
  });
  const signal = async (sig: NodeJS.Signals): Promise<void> => {
    if (!exited) child.kill(sig);
    await exit;
  };
  return {
    address: ready.listening,
    port: ready.port,
    dashboardPort: ready.dashboardPort,
    metricsPort: ready.metricsPort,
    child,
    logs: () => stderr,
    stop: () => signal('SIGTERM'),
    kill: (sig: NodeJS.Signals = 'SIGKILL') => signal(sig),
    get exited() {
      return exited;
    },
  };
}

/** `n` servers on the same database (env must name a PostgreSQL URL and schema for n > 1). They start
 *  one after another so that the first runs the migrations alone (the rest find them done). */
export async function startCluster(n: number, env: Record<string, string>, options: ServerProcessOptions = {}): Promise<ServerProcess[]> {
  const replicas: ServerProcess[] = [];
  try {
    for (let i = 0; i < n; i++) replicas.push(await startServerProcess(env, options));
  } catch (error) {
    await Promise.all(replicas.map((r) => r.kill()));
    throw error;
  }
  return replicas;
}

/** One grpc-js target for all replicas, balanced per call by the client (round_robin over a static
 *  address list): what a client does without an L7 load balancer in front (docs/deployment.md). */
export function roundRobinTarget(replicas: Array<{ port: number }>): string {
  if (replicas.length === 1) return `127.0.0.1:${replicas[0].port}`;
  return `ipv4:${replicas.map((r) => `127.0.0.1:${r.port}`).join(',')}`;
}

export const ROUND_ROBIN_CHANNEL_OPTIONS = {
  'grpc.service_config': JSON.stringify({ loadBalancingConfig: [{ round_robin: {} }] }),
};

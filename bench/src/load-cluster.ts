/** Server replicas as child processes, started from the compiled dist/ (the way a deployment runs
 *  them): one on SQLite, or several on one PostgreSQL schema. Used by the load harness and by the
 *  reliability tests (apps/server/test/reliability). */
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The foreground server entry (configured by HPO_* environment variables). */
export function serverEntry(): string {
  // From dist/bench/src the entry is ../../apps/...; from the TS sources (tests) it is ../../dist/apps/...
  const fromDist = path.resolve(__dirname, '../../apps/server/src/standalone.js');
  if (fs.existsSync(fromDist)) return fromDist;
  return path.resolve(__dirname, '../../dist/apps/server/src/standalone.js');
}

export interface Replica {
  address: string;
  port: number;
  /** HTTP ports of the dashboard and of /metrics, when the replica serves them (HPO_DASHBOARD_PORT). */
  dashboardPort?: number;
  metricsPort?: number;
  child: ChildProcess;
  /** Everything the replica wrote to stderr (its pino log). */
  logs(): string;
  /** SIGTERM and wait (graceful). */
  stop(): Promise<void>;
  /** SIGKILL (or another signal) and wait. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  readonly exited: boolean;
}

/** Starts one replica; resolves once it prints {"listening": ...}. `port` 0 picks a free one. `entry`
 *  runs another build's standalone.js (the load bench compares two builds side by side). */
export async function startReplica(env: Record<string, string>, timeoutMs = 30_000, entry = serverEntry()): Promise<Replica> {
  if (!fs.existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build\` first`);
  // HPO_REPLICA_NODE_ARGS: extra node flags for the replicas (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof").
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
  const { address, port, dashboardPort, metricsPort } = await new Promise<{ address: string; port: number; dashboardPort?: number; metricsPort?: number }>((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => reject(new Error(`replica did not start in ${timeoutMs} ms:\n${stderr}`)), timeoutMs);
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
      const line = stdout.split('\n').find((l) => l.startsWith('{"listening"'));
      if (line) {
        clearTimeout(timer);
        const j = JSON.parse(line);
        resolve({ address: j.listening, port: j.port, dashboardPort: j.dashboardPort, metricsPort: j.metricsPort });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`replica exited with ${code} before listening:\n${stderr}`));
    });
  });
  const signal = async (sig: NodeJS.Signals): Promise<void> => {
    if (!exited) child.kill(sig);
    await exit;
  };
  return {
    address,
    port,
    dashboardPort,
    metricsPort,
    child,
    logs: () => stderr,
    stop: () => signal('SIGTERM'),
    kill: (sig: NodeJS.Signals = 'SIGKILL') => signal(sig),
    get exited() {
      return exited;
    },
  };
}

/** `n` replicas on the same database (env must name a PostgreSQL URL and schema for n > 1). They start
 *  one after another so that the first runs the migrations alone (the rest find them done). */
export async function startCluster(n: number, env: Record<string, string>, entry?: string): Promise<Replica[]> {
  const replicas: Replica[] = [];
  try {
    for (let i = 0; i < n; i++) replicas.push(await startReplica(env, undefined, entry));
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

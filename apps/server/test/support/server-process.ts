/** Starts the real server from dist/ as a child process (Nest 12 is ESM-only and Jest's module system
 *  cannot load it in-process; a child process is also what crash tests need). */
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';

const ENTRY = path.resolve(__dirname, '../../../../dist/apps/server/src/standalone.js');

export interface ServerProcess {
  address: string;
  port: number;
  /** The /metrics port when the server was started with HPO_METRICS_PORT. */
  metricsPort?: number;
  child: ChildProcess;
  /** Everything the server logged (stderr), for diagnosing a failure. */
  logs(): string;
  stop(): Promise<void>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export interface Backend {
  name: 'sqlite' | 'postgres';
  /** Environment for a server on this backend (a fresh data dir or schema per call of fresh()). */
  env: Record<string, string>;
  /** Options for admin.openStorage on the same database. */
  storageOptions: { dataDir?: string; databaseUrl?: string; postgresSchema?: string };
}

export function freshSqliteBackend(): Backend {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hpo-test-'));
  return { name: 'sqlite', env: { HPO_DATA_DIR: dataDir }, storageOptions: { dataDir } };
}

export function freshPostgresBackend(url: string): Backend {
  const schema = `hpo_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  return {
    name: 'postgres',
    env: { HPO_DATABASE_URL: url, HPO_POSTGRES_SCHEMA: schema },
    storageOptions: { databaseUrl: url, postgresSchema: schema },
  };
}

/** The backends e2e suites run on: SQLite always, PostgreSQL when HPO_TEST_PG_URL is set. */
export function backends(): Array<{ name: 'sqlite' | 'postgres'; fresh: () => Backend }> {
  const list: Array<{ name: 'sqlite' | 'postgres'; fresh: () => Backend }> = [{ name: 'sqlite', fresh: freshSqliteBackend }];
  const url = process.env.HPO_TEST_PG_URL;
  if (url) list.push({ name: 'postgres', fresh: () => freshPostgresBackend(url) });
  else if (!warned) {
    warned = true;
    console.warn('HPO_TEST_PG_URL is not set: the PostgreSQL variants of the server tests are skipped');
  }
  return list;
}
let warned = false;

/** The same backends as `describe.each` rows for in-process storage suites: [name, fresh options]. */
export function storageBackends(): Array<[Backend['name'], () => Backend['storageOptions']]> {
  return backends().map((b) => [b.name, () => b.fresh().storageOptions]);
}

export async function startServerProcess(env: Record<string, string>, timeoutMs = 60_000, entry = ENTRY): Promise<ServerProcess> {
  if (!fs.existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run \`npm run build\` first`);
  const child = spawn(process.execPath, [entry], {
    env: { ...process.env, HPO_HOST: '127.0.0.1', HPO_PORT: '0', HPO_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const { address, port, metricsPort } = await new Promise<{ address: string; port: number; metricsPort?: number }>((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => reject(new Error(`server did not start in ${timeoutMs} ms:\n${stderr}`)), timeoutMs);
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
      const line = stdout.split('\n').find((l) => l.startsWith('{"listening"'));
      if (line) {
        clearTimeout(timer);
        const j = JSON.parse(line);
        resolve({ address: j.listening, port: j.port, metricsPort: j.metricsPort });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${stderr}`));
    });
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    address,
    port,
    metricsPort,
    child,
    logs: () => stderr,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
    kill: async (signal: NodeJS.Signals = 'SIGKILL') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

/** A real server for the SDK and CLI tests: `hpo serve` from dist/ as a child process on a loopback port
 *  picked by the OS, SQLite in a fresh temp dir. (Nest 12 is ESM-only, so Jest's CommonJS runtime
 *  cannot host it in-process; a child process is also the path users take.) */
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const CLI_ENTRY = path.resolve(__dirname, '../../../../dist/apps/cli/src/main.js');

export interface ServeProcess {
  address: string;
  port: number;
  dataDir: string;
  child: ChildProcess;
  logs(): string;
  /** SIGTERM and wait for a graceful exit; removes the data dir unless `keepData`. */
  stop(keepData?: boolean): Promise<number | null>;
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function requireBuiltCli(): void {
  if (!fs.existsSync(CLI_ENTRY)) throw new Error(`${CLI_ENTRY} is missing: run \`npm run build\` first (npm test does)`);
}

export async function startServe(
  options: { dataDir?: string; port?: number; args?: string[]; env?: Record<string, string> } = {},
  // Start-up is about a second alone; under a full parallel test run on 2 shared cores it took > 30 s.
  timeoutMs = 90_000,
): Promise<ServeProcess> {
  requireBuiltCli();
  const dataDir = options.dataDir ?? tempDir('hpo-sdk-test-');
  const child = spawn(
    process.execPath,
    [CLI_ENTRY, 'serve', '--host', '127.0.0.1', '--port', String(options.port ?? 0), '--data-dir', dataDir, '--log-level', 'warn', ...(options.args ?? [])],
    {
      env: { ...process.env, HPO_SUGGESTION_WORKERS: '1', HPO_LEASE_CHECK_INTERVAL_MS: '200', HPO_DATABASE_URL: '', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const address = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => reject(new Error(`hpo serve did not start in ${timeoutMs} ms:\n${stderr}`)), timeoutMs);
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
      const match = /^listening on (\S+)$/m.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`hpo serve exited with ${code} before listening:\n${stderr}`));
    });
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    address,
    port: Number(address.slice(address.lastIndexOf(':') + 1)),
    dataDir,
    child,
    logs: () => stderr,
    stop: async (keepData = false) => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const code = await exited;
      if (!keepData) fs.rmSync(dataDir, { recursive: true, force: true });
      return code;
    },
  };
}

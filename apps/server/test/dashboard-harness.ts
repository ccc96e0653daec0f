/** Shared by the dashboard and metrics specs: the real server from dist/ as a child process with its
 *  HTTP side on (ports chosen by the OS), a headless Debian chromium driven by playwright-core, and
 *  small HTTP helpers. */
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium } from 'playwright-core';

const ENTRY = path.resolve(__dirname, '../../../dist/apps/server/src/standalone.js');
export const CHROMIUM = process.env.HPO_TEST_CHROMIUM ?? '/usr/bin/chromium';
export const ARTIFACTS = path.resolve(__dirname, '../../../test-artifacts/dashboard');

export interface DashboardServer {
  address: string;
  dashboardUrl: string;
  dashboardPort: number;
  metricsPort?: number;
  dataDir: string;
  logs(): string;
  stop(): Promise<void>;
}

export function freshDataDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'hpo-dashboard-test-'));
}

export async function startDashboardServer(env: Record<string, string>, timeoutMs = 20_000): Promise<DashboardServer> {
  if (!fs.existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run \`npm run build\` first`);
  const dataDir = env.HPO_DATA_DIR ?? freshDataDir();
  const child: ChildProcess = spawn(process.execPath, [ENTRY], {
    env: { ...process.env, HPO_HOST: '127.0.0.1', HPO_PORT: '0', HPO_DASHBOARD_PORT: '0', HPO_LOG_LEVEL: 'warn', HPO_SUGGESTION_WORKERS: '1', HPO_DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const ready = await new Promise<{ listening: string; dashboardPort: number; metricsPort?: number }>((resolve, reject) => {
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
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    address: ready.listening,
    dashboardPort: ready.dashboardPort,
    dashboardUrl: `http://127.0.0.1:${ready.dashboardPort}/`,
    metricsPort: ready.metricsPort,
    dataDir,
    logs: () => stderr,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

export function chromiumAvailable(): boolean {
  if (fs.existsSync(CHROMIUM)) return true;
  console.warn(`${CHROMIUM} is not installed (apt-get install chromium): the dashboard browser tests are skipped`);
  return false;
}

/** A headless chromium with a fresh profile (flags keep it off the network and quiet in CI). */
export async function launchBrowser() {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'hpo-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    acceptDownloads: true,
    viewport: { width: 1400, height: 1000 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return {
    context,
    close: async () => {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

export function screenshotPath(name: string): string {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  return path.join(ARTIFACTS, name);
}

export async function http(
  url: string,
  init: { method?: string; key?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; json: any; text: string; headers: Headers }> {
  const headers: Record<string, string> = { ...(init.headers ?? {}) };
  if (init.key) headers.authorization = `Bearer ${init.key}`;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(url, { method: init.method ?? 'GET', headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text, headers: res.headers };
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

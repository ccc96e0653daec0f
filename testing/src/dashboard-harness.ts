/** Shared by the dashboard and metrics specs: the real server from dist/ (the one launcher,
 *  server-process.ts) with its HTTP side on (ports chosen by the OS), a headless Debian chromium driven
 *  by playwright-core, and small HTTP helpers. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from './repo-paths';
import { startServerProcess } from './server-process';

export const CHROMIUM = process.env.HPO_TEST_CHROMIUM ?? '/usr/bin/chromium';
export const ARTIFACTS = path.join(repoRoot(), 'test-artifacts/dashboard');

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

/** A server with its dashboard on a free port, on a fresh SQLite data dir unless env names one. */
export async function startDashboardServer(env: Record<string, string>, timeoutMs = 20_000): Promise<DashboardServer> {
  const dataDir = env.HPO_DATA_DIR ?? freshDataDir();
  const server = await startServerProcess({ HPO_DASHBOARD_PORT: '0', HPO_SUGGESTION_WORKERS: '1', HPO_DATA_DIR: dataDir, ...env }, { timeoutMs });
  return {
    address: server.address,
    dashboardPort: server.dashboardPort!,
    dashboardUrl: `http://127.0.0.1:${server.dashboardPort}/`,
    metricsPort: server.metricsPort,
    dataDir,
    logs: server.logs,
    stop: server.stop,
  };
}

export function chromiumAvailable(): boolean {
  if (fs.existsSync(CHROMIUM)) return true;
  console.warn(`${CHROMIUM} is not installed (apt-get install chromium): the dashboard browser tests are skipped`);
  return false;
}

/** A headless chromium with a fresh profile (flags keep it off the network and quiet in CI). */
export async function launchBrowser() {
  // Loaded here, not at the top: bench/ and most tests import @hpo/testing without a browser.
  const { chromium } = require('playwright-core') as typeof import('playwright-core');
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

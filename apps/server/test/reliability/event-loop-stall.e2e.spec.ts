/** Issue 19, finding 2, the event loop: another tenant's GetStudy is not stalled while one tenant asks
 *  SuggestTrials count=100 on a 1,000-parameter space (100,000 values a call). The server runs in this
 *  process (real gRPC, SQLite in a temporary dir, the policy worker pool); the abuser is a separate
 *  process, so its client's decoding of 100-trial replies does not run on the loop being measured. The
 *  bystander calls GetStudy back to back on its own small study the whole time, and a 5 ms timer in
 *  this process records the longest time the event loop was held.
 *
 *  What the server still does on the event loop for such a call (after the policy worker validates and
 *  keys the suggestions): read the study's unfinished trials, write 100 trial rows, map and encode the
 *  reply, and the garbage collection of all that. The bound is set for 2 cores shared with other
 *  suites, several times what a quiet machine shows; the numbers are printed. */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createStudyClient, repoRoot } from '@hpo/testing';
import { createTenant, openStorage } from '../../src/admin';
import { startServer, type RunningServer } from '../../src/main';

/** The bystander's slowest GetStudy while the abuser runs. Measured with the server in its own process:
 *  2.4 s at load 8 before the worker took the suggestions' checks and replies were encoded in slices,
 *  0.7-1.5 s after at load 8-12; in this suite 1.4-1.9 s at load 15-23 (the rest is storage and GC). */
const MAX_GET_STUDY_MS = Number(process.env.HPO_STALL_BOUND_MS ?? 3000);
const ABUSER_CALLS = 3;

const ABUSER = `
const { createStudyClient } = require(${JSON.stringify(path.join(repoRoot(), 'dist/testing/src/index.js'))});
(async () => {
  const [address, key] = process.argv.slice(1);
  const c = createStudyClient(address, key);
  const config = { parameters: Array.from({ length: 1000 }, (_, i) => ({ name: 'p' + i, type: 'DOUBLE', minValue: 0, maxValue: 1 })), metrics: [{ name: 'loss', goal: 'MINIMIZE' }], algorithm: 'GP_BANDIT' };
  const study = await c.CreateStudy({ displayName: 'huge', config });
  let trials = 0;
  for (let k = 0; k < ${ABUSER_CALLS}; k++) trials += (await c.SuggestTrials({ parent: study.name, count: 100, clientId: 'abuser-' + k }, { deadlineMs: 120000 })).trials.length;
  console.log(JSON.stringify({ trials }));
  c.close();
})().catch((e) => { console.error(e); process.exit(1); });
`;

describe('the event loop while another tenant asks count=100 on 1,000 parameters', () => {
  let server: RunningServer;
  let dataDir: string;
  let keys: { abuser: string; bystander: string };

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hpo-stall-'));
    const storage = await openStorage({ dataDir });
    try {
      keys = { abuser: (await createTenant(storage, 'abuser')).apiKey, bystander: (await createTenant(storage, 'bystander')).apiKey };
    } finally {
      await storage.close();
    }
    server = await startServer({ port: 0, dataDir, logLevel: 'error', suggestionWorkers: 1, shutdownGraceMs: 100 });
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it(`answers the bystander's GetStudy within ${MAX_GET_STUDY_MS} ms throughout`, async () => {
    const bystander = createStudyClient(server.address, keys.bystander);
    try {
      const study = (await bystander.CreateStudy({ displayName: 'small', config: { parameters: [{ name: 'x', type: 'DOUBLE', minValue: 0, maxValue: 1 }], metrics: [{ name: 'loss', goal: 'MINIMIZE' }] } })).name;
      let longestHold = 0;
      let last = performance.now();
      const probe = setInterval(() => {
        const now = performance.now();
        longestHold = Math.max(longestHold, now - last - 5);
        last = now;
      }, 5);
      const abuser = spawn(process.execPath, ['-e', ABUSER, server.address, keys.abuser], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      abuser.stdout.on('data', (d) => (out += d));
      abuser.stderr.on('data', (d) => (err += d));
      let exited = false;
      const exit = new Promise<number | null>((resolve) => abuser.on('exit', (code) => ((exited = true), resolve(code))));
      const latencies: number[] = [];
      while (!exited) {
        const t0 = performance.now();
        await bystander.GetStudy({ name: study });
        latencies.push(performance.now() - t0);
      }
      clearInterval(probe);
      expect({ code: await exit, err }).toEqual({ code: 0, err: '' });
      expect(JSON.parse(out).trials).toBe(100 * ABUSER_CALLS);
      latencies.sort((a, b) => a - b);
      const at = (q: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1)]);
      const slowest = Math.round(latencies[latencies.length - 1]);
      console.log(
        `bystander GetStudy while the abuser got ${ABUSER_CALLS} x 100 trials of 1,000 parameters: n ${latencies.length}, p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, ` +
          `max ${slowest} ms; longest event-loop hold ${Math.round(longestHold)} ms; load average ${os.loadavg()[0].toFixed(1)}`,
      );
      expect(latencies.length).toBeGreaterThan(ABUSER_CALLS);
      expect(slowest).toBeLessThanOrEqual(MAX_GET_STUDY_MS);
    } finally {
      bystander.close();
    }
  }, 180_000);
});

/** A worker process killed mid-training (SIGKILL) and started again with the same clientId gets its
 *  ACTIVE trial back and resumes it from the last checkpoint: nothing retrained, no new trial. */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { HpoClient } from '../src';
import { quadraticConfig } from './support/configs';
import { ServeProcess, startServe, tempDir } from './support/hpo-serve';

const WORKER = path.join(__dirname, 'support/worker.js');

describe('a killed worker restarted with the same client id', () => {
  let server: ServeProcess;
  let client: HpoClient;
  let checkpointRoot: string;
  let first: ChildProcess | undefined;
  beforeAll(async () => {
    server = await startServe();
    client = new HpoClient({ address: server.address });
    checkpointRoot = tempDir('hpo-restart-');
  });
  afterAll(async () => {
    if (first && first.exitCode === null && first.signalCode === null) first.kill('SIGKILL');
    client?.close();
    await server?.stop();
    fs.rmSync(checkpointRoot, { recursive: true, force: true });
  });

  it('resumes the trial from its checkpoint', async () => {
    const study = await client.createStudy({ displayName: 'killed', config: quadraticConfig() });
    const args = [WORKER, server.address, study.name, 'crashy', checkpointRoot];
    const worker = spawn(process.execPath, [...args, '--announce'], { stdio: ['ignore', 'pipe', 'inherit'] });
    first = worker;
    const exited = new Promise<NodeJS.Signals | null>((resolve) => worker.once('exit', (_code, signal) => resolve(signal)));
    await new Promise<void>((resolve, reject) => {
      let out = '';
      worker.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if (/^saved 3$/m.test(out)) {
          worker.kill('SIGKILL');
          resolve();
        }
      });
      worker.once('exit', () => reject(new Error(`the worker exited before step 3:\n${out}`)));
    });
    expect(await exited).toBe('SIGKILL');
    const [held] = await study.trials();
    expect(held.state).toBe('ACTIVE');
    expect(held.clientId).toBe('crashy-w0');
    expect(held.measurements.map((m) => m.step)).toEqual([1, 2, 3]);

    const second = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 60_000 });
    expect(second.stderr).toBe('');
    expect(second.status).toBe(0);
    const out = JSON.parse(second.stdout.trim().split('\n').pop()!);
    expect(out.runs).toEqual([{ trial: held.id, resumeFromStep: 4, restored: { weights: 6 }, steps: [4, 5] }]);
    expect(out.trial).toBe(held.id);
    expect(out.loss).toBeCloseTo(1 / 15, 12);
    const trials = await study.trials();
    expect(trials).toHaveLength(1);
    expect(trials[0].state).toBe('SUCCEEDED');
    expect(trials[0].measurements.map((m) => m.step)).toEqual([1, 2, 3, 4, 5]);
  });
});

/** The contract is language-neutral: examples/python/client.py generates its stubs from proto/ alone
 *  (grpc_tools.protoc at run time) and runs a study against a real server. Needs Debian's
 *  python3-grpcio and python3-grpc-tools under /usr/bin/python3. */
import { spawnSync, execFile } from 'node:child_process';
import * as path from 'node:path';
import { HpoClient } from '../src';
import { ServeProcess, startServe } from './support/hpo-serve';

const PYTHON = '/usr/bin/python3';
const SCRIPT = path.resolve(__dirname, '../../../examples/python/client.py');

const probe = spawnSync(PYTHON, ['-c', 'import grpc, grpc_tools.protoc'], { encoding: 'utf8' });
const pythonReady = probe.status === 0;
if (!pythonReady) {
  console.warn(
    `Skipping the Python client test: ${PYTHON} cannot import grpc and grpc_tools ` +
      `(apt-get install python3-grpcio python3-grpc-tools). ${probe.error?.message ?? probe.stderr ?? ''}`,
  );
}

function runPython(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(PYTHON, [SCRIPT, ...args], { timeout: 60_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

(pythonReady ? describe : describe.skip)('Python client generated from proto/ alone', () => {
  let server: ServeProcess;
  beforeAll(async () => {
    server = await startServe();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('creates a study, suggests, reports, completes and lists the optimal trial', async () => {
    const run = await runPython(['--address', server.address, '--trials', '5', '--study', 'from-python']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout.trim()) as {
      study: string;
      trials: Array<{ trial: string; state: string; params: { x: number; y: number }; loss: number }>;
      best: { trial: string; loss: number };
    };
    expect(out.trials).toHaveLength(5);
    expect(out.trials.every((t) => t.state === 'SUCCEEDED')).toBe(true);
    expect(Math.min(...out.trials.map((t) => t.loss))).toBe(out.best.loss);

    // What Python wrote is what the TypeScript SDK reads.
    const client = new HpoClient({ address: server.address });
    try {
      const study = await client.getStudy(out.study);
      expect(study.displayName).toBe('from-python');
      const trials = await study.trials();
      expect(trials.map((t) => t.measurements.map((m) => m.step).join())).toEqual(Array(5).fill('1,2,3'));
      const [best] = await study.optimalTrials();
      expect(best.name).toBe(out.best.trial);
      expect(best.finalMeasurement?.metrics.loss).toBe(out.best.loss);
    } finally {
      client.close();
    }
  });
});

/** `hpo demo` from dist/, shortened (4 trials x 3 epochs): it starts its own server, trains the real
 *  network on the vendored digits with the default algorithm (GP_BANDIT, FREEZE_THAW), prints the best
 *  trial and removes its temporary data dir. */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import { CLI_ENTRY, requireBuiltCli } from '../../client-sdk/test/support/hpo-serve';

describe('hpo demo', () => {
  it('runs a short study end to end and prints the best trial', async () => {
    requireBuiltCli();
    const run = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        [CLI_ENTRY, 'demo', '--trials', '4', '--epochs', '3', '--parallel', '2'],
        { timeout: 110_000, env: { ...process.env, HPO_API_KEY: '' } },
        (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });
    expect(run.stderr).not.toMatch(/hpo: /);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/study studies\/\d+ "digits-mlp": GP_BANDIT, early stopping FREEZE_THAW, 4 trials x up to 3 epochs, 2 workers/);
    const best = /best trial: #(\d+) val_accuracy=([\d.]+)/.exec(run.stdout);
    expect(best).not.toBeNull();
    const accuracy = Number(best![2]);
    expect(accuracy).toBeGreaterThan(0.1); // better than chance on 10 classes after 3 epochs of the best of 4
    expect(accuracy).toBeLessThanOrEqual(1);
    expect(run.stderr).toMatch(/\[\d+\/4\] trial #1 (completed|stopped|paused)/);
    const dataDir = /SQLite in (\S+)\)/.exec(run.stdout)![1];
    expect(fs.existsSync(dataDir)).toBe(false);
  });
});

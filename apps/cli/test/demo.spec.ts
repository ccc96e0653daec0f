/** `hpo demo` from dist/, shortened (5 trials x 5 epochs, early stopping deciding after 2 other trials
 *  instead of the default 5, which so few trials never reach, so that trials 3 and 4 can be paused
 *  while a new configuration may still start, and thawed once none may): it starts its own server, trains the real
 *  network on the vendored digits with the default algorithm (GP_BANDIT, FREEZE_THAW), prints the best
 *  trial with the pauses and thaws, keeps its data dir and says how to reopen it; `hpo dashboard
 *  --data-dir` then serves the results without a gRPC server. */
import { ChildProcess, execFile, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CLI_ENTRY, requireBuiltCli, tempDir } from '../../client-sdk/test/support/hpo-serve';

describe('hpo demo', () => {
  let dashboard: ChildProcess | undefined;
  afterAll(() => {
    if (dashboard && dashboard.exitCode === null) dashboard.kill('SIGTERM');
  });

  it('runs a short study end to end, prints the best trial, and keeps its results for hpo dashboard', async () => {
    requireBuiltCli();
    const dataDir = path.join(tempDir('hpo-demo-test-'), '.hpo-demo');
    const run = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        [CLI_ENTRY, 'demo', '--trials', '5', '--epochs', '5', '--parallel', '2', '--warm-up-trials', '2', '--data-dir', dataDir],
        { timeout: 110_000, env: { ...process.env, HPO_API_KEY: '' } },
        (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });
    expect(run.stderr).not.toMatch(/hpo: /);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/study studies\/\d+ "digits-mlp [\d-]+ [\d:]+": GP_BANDIT, early stopping FREEZE_THAW, 5 trials x up to 5 epochs, 2 workers/);
    const best = /best trial: #(\d+) val_accuracy=([\d.]+)/.exec(run.stdout);
    expect(best).not.toBeNull();
    const accuracy = Number(best![2]);
    expect(accuracy).toBeGreaterThan(0.1); // better than chance on 10 classes after 5 epochs of the best of 5
    expect(accuracy).toBeLessThanOrEqual(1);
    expect(run.stderr).toMatch(/\[\d+\/5\] trial #1 (completed|stopped|paused)/);
    // The progress ends with the same counts as the summary (from the server's final states).
    const last = /\[(\d+)\/5\] finished: ([^;]+); best/.exec(run.stderr);
    expect(last).not.toBeNull();
    expect(run.stdout).toContain(`5 trials (${last![2]});`);
    const finished = [...last![2].matchAll(/(\d+) (succeeded|stopped early|infeasible|failed)/g)].reduce((a, m) => a + Number(m[1]), 0);
    expect(Number(last![1])).toBe(finished);
    // Pauses and thaws add up with the final states: every pause not followed by a thaw left its trial
    // PAUSED or (at the study's end) EARLY_STOPPED; no trial is thawed more often than paused.
    const flips = /; (\d+) pauses, (\d+) thaws\n/.exec(run.stdout);
    expect(flips).not.toBeNull();
    const [pauses, thaws] = [Number(flips![1]), Number(flips![2])];
    expect(thaws).toBeLessThanOrEqual(pauses);
    const count = (label: string): number => Number(new RegExp(`(\\d+) ${label}`).exec(last![2])?.[1] ?? 0);
    expect(count('stopped early') + count('paused')).toBeGreaterThanOrEqual(pauses - thaws);
    process.stderr.write(`demo test: ${pauses} pauses, ${thaws} thaws, final ${last![2]}\n`);
    // No stray spinner or control character after the last line.
    expect(run.stdout).toMatch(/\nresults kept in \S+; look at them with: hpo dashboard --data-dir \S+ {3}\(or npm run hpo -- dashboard --data-dir \S+\)\n$/);
    expect(fs.existsSync(path.join(dataDir, 'hpo.sqlite'))).toBe(true);

    dashboard = spawn(process.execPath, [CLI_ENTRY, 'dashboard', '--data-dir', dataDir, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      dashboard!.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /^dashboard on (\S+)$/m.exec(out);
        if (m) resolve(m[1]);
      });
      dashboard!.once('exit', (code) => reject(new Error(`hpo dashboard exited with ${code}`)));
    });
    const studies = (await (await fetch(new URL('api/studies', url))).json()) as { studies: Array<{ displayName: string; trialCounts: Record<string, number> }> };
    expect(studies.studies.map((s) => s.displayName)).toEqual([expect.stringMatching(/^digits-mlp /)]);
    expect((await fetch(new URL('api/studies/999', url))).status).toBe(404);
    dashboard.kill('SIGTERM');
  }, 150_000);
});

describe('npm run serve / demo start without rebuilding', () => {
  it('build-if-stale does nothing when dist is newer than every source', async () => {
    requireBuiltCli();
    const root = path.resolve(__dirname, '../../..');
    const stamp = path.join(root, 'dist', '.build-stamp');
    const future = new Date(Date.now() + 60_000);
    fs.writeFileSync(stamp, '');
    fs.utimesSync(stamp, future, future);
    const started = Date.now();
    const run = await new Promise<{ code: number; stderr: string }>((resolve) => {
      execFile(process.execPath, [path.join(root, 'apps/cli/build-if-stale.mjs')], { timeout: 30_000 }, (err, _out, stderr) =>
        resolve({ code: err ? 1 : 0, stderr }),
      );
    });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(Date.now() - started).toBeLessThan(5000);
    fs.rmSync(stamp); // the next npm run serve builds once, as after a checkout
  });
});

describe('npm run on a terminal', () => {
  const scriptBin = '/usr/bin/script';
  (fs.existsSync(scriptBin) ? it : it.skip)('leaves no npm spinner frame after the last line (.npmrc progress=false)', async () => {
    const root = path.resolve(__dirname, '../../..');
    // script(1) gives npm a pseudo-terminal, where it would draw its spinner (U+2800-U+28FF) on exit.
    const out = await new Promise<string>((resolve) => {
      execFile(scriptBin, ['-qec', 'npm run hpo -- --version', '/dev/null'], { cwd: root, timeout: 60_000 }, (_err, stdout) => resolve(stdout));
    });
    expect(out).toMatch(/\d+\.\d+\.\d+/);
    expect(out).not.toMatch(/[\u2800-\u28ff]/);
  });
});

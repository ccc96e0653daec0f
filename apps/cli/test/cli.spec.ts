/** The `hpo` command line from dist/, as child processes, against a real server (`hpo serve` on a
 *  loopback port, SQLite in a temp dir). */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { HpoClient, HpoClientError } from '../../client-sdk/src';
import { quadraticConfig, quadraticLoss } from '../../client-sdk/test/support/configs';
import { CLI_ENTRY, requireBuiltCli, ServeProcess, startServe, tempDir } from '../../client-sdk/test/support/hpo-serve';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function hpo(args: string[], env: Record<string, string> = {}, timeout = 60_000): Promise<Run> {
  requireBuiltCli();
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI_ENTRY, ...args],
      { env: { ...process.env, HPO_ADDRESS: '', HPO_API_KEY: '', HPO_DATABASE_URL: '', ...env }, timeout, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** A minimal RFC 4180 reader for checking our CSV (quoted fields, doubled quotes). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(field), (field = '');
    else if (c === '\n') row.push(field), rows.push(row), (row = []), (field = '');
    else field += c;
  }
  return rows;
}

describe('hpo CLI, local mode (no tenants)', () => {
  let server: ServeProcess;
  let client: HpoClient;
  let studyName: string;

  beforeAll(async () => {
    server = await startServe();
    client = new HpoClient({ address: server.address });
    const study = await client.createStudy({ displayName: 'cli, "quoted"', config: quadraticConfig() });
    studyName = study.name;
    await study.optimize(
      async (trial) => {
        await trial.report(1, quadraticLoss(trial.params) + 1);
        if (trial.id === 3) throw new Error('diverged, "badly"');
        return quadraticLoss(trial.params);
      },
      { trials: 4, clientId: 'cli-test', checkpointRoot: tempDir('hpo-cli-ckpt-') },
    );
  });
  afterAll(async () => {
    client?.close();
    await server?.stop();
  });

  it('lists and shows studies', async () => {
    const list = await hpo(['studies', 'list', '--address', server.address]);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain(studyName);
    expect(list.stdout).toContain('cli, "quoted"');
    const json = await hpo(['studies', 'list', '--json'], { HPO_ADDRESS: server.address });
    expect(JSON.parse(json.stdout).map((s: { name: string }) => s.name)).toContain(studyName);
    const show = await hpo(['studies', 'show', 'cli, "quoted"', '--address', server.address]);
    expect(show.code).toBe(0);
    // Aligned "key  value" lines; the acquisition only for algorithms that use one; the parameters readable.
    expect(show.stdout).toContain(`name            ${studyName}\ndisplay name    cli, "quoted"\n`);
    expect(show.stdout).toMatch(/\ncreated         \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\n/);
    expect(show.stdout).toContain('\nalgorithm       QUASI_RANDOM_SEARCH\nearly stopping  NONE\n');
    expect(show.stdout).not.toContain('LOG_EI');
    expect(show.stdout).toContain(
      '\nparameters      x  double  -2 .. 2\n' +
        '                n  integer  1 .. 8\n' +
        '                kind  categorical  a, b\n' +
        '                  w  double  0 .. 1  (when kind = b)\n' +
        '                batch  discrete  16, 32, 64\n',
    );
    expect(show.stdout).toMatch(/\nbest            trial \d+  loss=/);
    const gp = await client.createStudy({ displayName: 'gp-show', config: quadraticConfig({ algorithm: 'GP_BANDIT', acquisition: 'UCB' }) });
    const gpShow = await hpo(['studies', 'show', gp.name, '--address', server.address]);
    expect(gpShow.stdout).toContain('\nalgorithm       GP_BANDIT\nacquisition     UCB\n');
    await client.deleteStudy(gp.name);

    // Roles and priors read as words; every objective and constraint gets its column in `trials list`.
    const mo = await client.createStudy({ displayName: 'mo-show', config: quadraticConfig({
      parameters: [{ name: 'x', type: 'DOUBLE', min: -2, max: 2, prior: { center: 1 } }],
      metrics: [
        { name: 'loss', goal: 'MINIMIZE' }, { name: 'size', goal: 'MINIMIZE', referencePoint: 10 },
        { name: 'ms', goal: 'MINIMIZE', role: 'CONSTRAINT', threshold: 20 }, { name: 'note', goal: 'MAXIMIZE', role: 'TRACKED' },
      ],
    }) });
    const moShow = await hpo(['studies', 'show', mo.name, '--address', server.address]);
    expect(moShow.stdout).toContain(
      '\nmetrics         loss  minimize  (objective)\n' +
        '                size  minimize  (objective, reference 10)\n' +
        '                ms  minimize  (constraint ≤ 20)\n' +
        '                note  maximize  (tracked)\n',
    );
    expect(moShow.stdout).toContain('\nparameters      x  double  -2 .. 2  prior 1 ± 15 % of the range\n');
    await client.addTrials({ parent: mo.name, trials: [{ parameters: { x: 0 }, finalMeasurement: { metrics: { loss: 1, size: 2, ms: 5, note: 0 } } }] });
    const moTable = await hpo(['trials', 'list', mo.name, '--address', server.address]);
    expect(moTable.stdout).toMatch(/│ id\s+│ state\s+│ loss\s+│ size\s+│ ms\s+│ steps/);
    expect(moTable.stdout).toMatch(/│ 1 ★ /);
    await client.deleteStudy(mo.name);
  });

  it('lists trials as a table and as JSON', async () => {
    const table = await hpo(['trials', 'list', studyName, '--address', server.address]);
    expect(table.code).toBe(0);
    const rows = table.stdout.split('\n').filter((l) => /^│ \d+ /.test(l));
    expect(rows).toHaveLength(4);
    expect(table.stdout).toContain('FAILED'); // a training function that throws ends its trial FAILED (FailTrial)
    expect(table.stdout).toContain('Error: diverged, "badly"');
    // The best trial (ListOptimalTrials) is starred, and the legend says what the star means.
    const best = (await client.listOptimalTrials(studyName))[0];
    expect(rows.filter((l) => l.includes('★'))).toEqual([expect.stringMatching(new RegExp(`^│ ${best.id} ★ `))]);
    expect(table.stdout).toContain('★ optimal (ListOptimalTrials)');
    const json = await hpo(['trials', 'list', studyName.slice('studies/'.length), '--json', '--state', 'succeeded', '--address', server.address]);
    const trials = JSON.parse(json.stdout) as Array<{ id: number; state: string }>;
    expect(trials.map((t) => t.state)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
  });

  it('exports CSV and JSON that parse back to the stored trials', async () => {
    const expected = await client.allTrials(studyName);
    const [best] = await client.listOptimalTrials(studyName);
    const csv = await hpo(['export', studyName, '--format', 'csv', '--address', server.address]);
    expect(csv.code).toBe(0);
    const [header, ...rows] = parseCsv(csv.stdout);
    expect(header.slice(0, 8)).toEqual(['trial_id', 'state', 'x', 'n', 'kind', 'w', 'batch', 'loss']);
    expect(rows).toHaveLength(4);
    for (const row of rows) {
      const t = expected.find((e) => e.id === Number(row[0]))!;
      expect(row[1]).toBe(t.state);
      expect(Number(row[2])).toBe(t.parameters.x);
      expect(Number(row[3])).toBe(t.parameters.n);
      expect(row[4]).toBe(t.parameters.kind);
      expect(row[5]).toBe(t.parameters.w === undefined ? '' : String(t.parameters.w));
      expect(row[7]).toBe(t.finalMeasurement ? String(t.finalMeasurement.metrics.loss) : '');
      expect(row[header.indexOf('infeasible_reason')]).toBe(t.infeasibleReason);
      expect(row[header.indexOf('optimal')]).toBe(String(t.id === best.id));
      // ISO 8601 times (UTC, milliseconds) that parse back to the stored instants.
      expect(row[header.indexOf('create_time')]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(Math.abs(Date.parse(row[header.indexOf('create_time')]) - t.createTime * 1000)).toBeLessThan(1);
      expect(Date.parse(row[header.indexOf('complete_time')])).toBeGreaterThanOrEqual(Date.parse(row[header.indexOf('start_time')]));
    }

    const out = path.join(tempDir('hpo-export-'), 'study.json');
    const json = await hpo(['export', studyName, '--format', 'json', '-o', out, '--address', server.address]);
    expect(json.code).toBe(0);
    const parsed = JSON.parse(fs.readFileSync(out, 'utf8'));
    expect(parsed.study.name).toBe(studyName);
    expect(parsed.trials).toEqual([...expected].sort((a, b) => a.id - b.id));
    expect(parsed.optimalTrialIds).toEqual([best.id]);
  });

  it('rejects bad usage with a clear message and a non-zero exit', async () => {
    const badFormat = await hpo(['export', studyName, '--format', 'xml', '--address', server.address]);
    expect(badFormat.code).not.toBe(0);
    expect(badFormat.stderr).toContain(`error: option '--format <format>' argument 'xml' is invalid. "xml" is not one of csv, json (any letter case).`);
    expect((await hpo(['export', studyName, '--format', 'CSV', '--address', server.address])).stdout).toMatch(/^trial_id,state,/);
    const badState = await hpo(['trials', 'list', studyName, '--state', 'paused', 'done', '--address', server.address]);
    expect(badState.code).not.toBe(0);
    expect(badState.stderr).toContain('"done" is not one of REQUESTED, ACTIVE, PAUSED');
    const missing = await hpo(['studies', 'show', 'no-such-study', '--address', server.address]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('hpo: NOT_FOUND: no study named or numbered "no-such-study"\n');
  });

  it('deletes a study', async () => {
    const victim = await client.createStudy({ displayName: 'to-delete', config: quadraticConfig() });
    const del = await hpo(['studies', 'delete', 'to-delete', '--address', server.address]);
    expect(del.code).toBe(0);
    expect(del.stdout).toBe(`deleted ${victim.name} ("to-delete")\n`);
    expect(((await client.getStudy(victim.name).catch((e: unknown) => e)) as HpoClientError).code).toBe('NOT_FOUND');
  });
});

describe('hpo tenants and keys', () => {
  let dataDir: string;
  let server: ServeProcess | undefined;
  beforeAll(() => {
    dataDir = tempDir('hpo-cli-tenants-');
  });
  afterAll(async () => {
    await server?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('creates a tenant whose key then works, lists it, and revokes it', async () => {
    const created = await hpo(['tenants', 'create', 'team-a', '--data-dir', dataDir]);
    expect(created.code).toBe(0);
    const key = created.stdout.trim();
    expect(key).toMatch(/^\S{20,}$/);
    expect(created.stderr).toMatch(/shown only this once/);
    const again = await hpo(['tenants', 'create', 'team-a', '--data-dir', dataDir]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/ALREADY_EXISTS/);
    expect((await hpo(['tenants', 'create', 'bad name!', '--data-dir', dataDir])).stderr).toMatch(/INVALID_ARGUMENT: name/);

    const list = await hpo(['tenants', 'list', '--json'], { HPO_DATA_DIR: dataDir });
    expect(JSON.parse(list.stdout).map((t: { name: string; revokedAt: unknown }) => [t.name, t.revokedAt])).toEqual([['team-a', null]]);
    expect(list.stdout).not.toContain(key);

    server = await startServe({ dataDir });
    const withKey = await hpo(['studies', 'list', '--address', server.address, '--api-key', key]);
    expect(withKey.code).toBe(0);
    expect(withKey.stdout).toBe('no studies\n');
    const sdk = new HpoClient({ address: server.address, apiKey: key });
    await sdk.createStudy({ displayName: 'team-a-study', config: quadraticConfig() });
    sdk.close();
    const viaEnv = await hpo(['studies', 'list', '--json'], { HPO_ADDRESS: server.address, HPO_API_KEY: key });
    expect(JSON.parse(viaEnv.stdout).map((s: { displayName: string }) => s.displayName)).toEqual(['team-a-study']);

    const noKey = await hpo(['studies', 'list', '--address', server.address]);
    expect(noKey.code).toBe(1);
    expect(noKey.stderr).toMatch(/^hpo: UNAUTHENTICATED: /);
    const wrongKey = await hpo(['studies', 'list', '--address', server.address, '--api-key', key + 'x']);
    expect(wrongKey.stderr).toMatch(/^hpo: UNAUTHENTICATED: /);

    const revoked = await hpo(['tenants', 'revoke', 'team-a', '--data-dir', dataDir]);
    expect(revoked.code).toBe(0);
    const afterRevoke = await hpo(['studies', 'list', '--address', server.address, '--api-key', key]);
    expect(afterRevoke.code).toBe(1);
    expect(afterRevoke.stderr).toMatch(/^hpo: UNAUTHENTICATED: /);
    const table = await hpo(['tenants', 'list', '--data-dir', dataDir]);
    expect(table.stdout).toMatch(/team-a\s+│ revoked/);
  });
});

describe('hpo serve', () => {
  it('prints its address once ready and exits 0 on SIGTERM', async () => {
    const server = await startServe();
    expect(server.address).toMatch(/^127\.0\.0\.1:\d+$/);
    const client = new HpoClient({ address: server.address });
    expect((await client.listStudies()).studies).toEqual([]);
    client.close();
    expect(await server.stop()).toBe(0);
    expect(server.logs()).toContain('SIGTERM, finishing in-flight calls');
  });

  it('refuses a bad port with a usage error', async () => {
    const run = await hpo(['serve', '--port', '70000']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('hpo: --port must be an integer in 0..65535, got 70000\n');
  });
});

/** A team keeps its history across the switch from keyless local mode to keys and back: `hpo tenants
 *  create --adopt-local` / `adopt-local`, `revoke` saying how to return, and `local-mode`, each run as
 *  the CLI process against a live `hpo serve`, checked over gRPC with the SDK. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { HpoClient, HpoClientError } from '../../client-sdk/src';
import { quadraticConfig, quadraticLoss } from '../../client-sdk/test/support/configs';
import { ServeProcess, startServe, tempDir } from '../../client-sdk/test/support/hpo-serve';
import { hpo } from './support/run-hpo';

async function studyNames(address: string, apiKey?: string): Promise<string[]> {
  const client = new HpoClient({ address, apiKey, retry: { maxAttempts: 1 } });
  try {
    const names: string[] = [];
    for await (const s of client.allStudies()) names.push(s.displayName);
    return names.sort();
  } finally {
    client.close();
  }
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const err = await promise.then(() => undefined, (e: unknown) => e);
  return err instanceof HpoClientError ? err.code : `no error (${String(err)})`;
}

describe('tenancy that keeps a team history', () => {
  let dataDir: string;
  let server: ServeProcess;
  let localTrials: number;

  beforeAll(async () => {
    dataDir = tempDir('hpo-tenancy-');
    server = await startServe({ dataDir });
    const client = new HpoClient({ address: server.address });
    const study = await client.createStudy({ displayName: 'history', config: quadraticConfig() });
    await study.optimize(async (t) => quadraticLoss(t.params), { trials: 3, clientId: 'local', checkpointRoot: tempDir('hpo-tenancy-ckpt-') });
    await client.createStudy({ displayName: 'notes', config: quadraticConfig() });
    localTrials = (await client.allTrials(study.name)).length;
    client.close();
  });
  afterAll(async () => {
    await server?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('adopt-local gives the local studies (with their trials) to a tenant created without them', async () => {
    const created = await hpo(['tenants', 'create', 'team-a', '--data-dir', dataDir]);
    expect(created.code).toBe(0);
    const keyA = created.stdout.trim();
    // The advice names the one command that brings the history along.
    expect(created.stderr).toContain(`hpo tenants adopt-local team-a --data-dir ${dataDir}`);
    expect(await codeOf(studyNames(server.address))).toBe('UNAUTHENTICATED');
    expect(await studyNames(server.address, keyA)).toEqual([]);

    // team-a already has a study named "notes": the adopted one is renamed, not dropped.
    const a = new HpoClient({ address: server.address, apiKey: keyA });
    await a.createStudy({ displayName: 'notes', config: quadraticConfig() });
    const adopted = await hpo(['tenants', 'adopt-local', 'team-a', '--data-dir', dataDir]);
    expect(adopted.code).toBe(0);
    expect(adopted.stderr).toMatch(/^2 studies now belong to tenant "team-a"\n {2}studies\/\d+ renamed "notes" -> "notes \(local\)"/);
    expect(await studyNames(server.address, keyA)).toEqual(['history', 'notes', 'notes (local)']);
    const history = (await a.listStudies()).studies.find((s) => s.displayName === 'history')!;
    expect(await a.allTrials(history.name)).toHaveLength(localTrials);
    a.close();

    const missing = await hpo(['tenants', 'adopt-local', 'team-z', '--data-dir', dataDir]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('hpo: NOT_FOUND: no tenant named "team-z" (create it with: hpo tenants create team-z --adopt-local)\n');
  });

  it('revoking the last key says how to return; local-mode brings keyless access back with every study', async () => {
    const refused = await hpo(['tenants', 'local-mode', '--data-dir', dataDir]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe('hpo: FAILED_PRECONDITION: tenant "team-a" still holds an active key; revoke it first (hpo tenants revoke team-a)\n');

    const revoked = await hpo(['tenants', 'revoke', 'team-a', '--data-dir', dataDir]);
    expect(revoked.code).toBe(0);
    expect(revoked.stderr).toContain('no active key remains: every call to a server on this database is now UNAUTHENTICATED.');
    expect(revoked.stderr).toContain(`hpo tenants local-mode --data-dir ${dataDir}\n`);
    expect(await codeOf(studyNames(server.address))).toBe('UNAUTHENTICATED');

    const local = await hpo(['tenants', 'local-mode', '--data-dir', dataDir]);
    expect(local.code).toBe(0);
    expect(local.stdout).toBe('local mode: removed revoked tenant team-a; a loopback server on this database needs no key\n');
    expect(local.stderr).toMatch(/^3 studies now belong to the local tenant\n/);
    // The running server answers keyless again at once (keys are checked on every call).
    expect(await studyNames(server.address)).toEqual(['history', 'notes', 'notes (local)']);
    expect((await hpo(['tenants', 'list', '--data-dir', dataDir])).stdout).toBe('no tenants (a loopback server runs as one local tenant without keys)\n');
  });

  it('create --adopt-local hands everything to a new tenant in one command, even a name used before', async () => {
    const created = await hpo(['tenants', 'create', 'team-a', '--adopt-local', '--data-dir', dataDir]);
    expect(created.code).toBe(0);
    expect(created.stderr).toContain('3 studies now belong to tenant "team-a"');
    const key = created.stdout.trim();
    expect(await studyNames(server.address, key)).toEqual(['history', 'notes', 'notes (local)']);
    const viaCli = await hpo(['studies', 'list', '--address', server.address, '--api-key', key]);
    expect(viaCli.stdout).toContain('history');
  });
});

describe('read-only tenant commands never create or migrate a database', () => {
  it('tenants list on a missing data dir says so and creates nothing', async () => {
    const dir = path.join(tempDir('hpo-tenancy-ro-'), 'absent');
    const run = await hpo(['tenants', 'list', '--data-dir', dir]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`hpo: no database at ${path.join(dir, 'hpo.sqlite')}: nothing was stored under --data-dir ${dir} yet (\`hpo serve --data-dir ${dir}\` creates it)\n`);
    expect(fs.existsSync(dir)).toBe(false);
  });

  it('tenants list on an unreachable PostgreSQL names the database and the failure, with the password hidden', async () => {
    const run = await hpo(['tenants', 'list', '--database-url', 'postgres://me:secret@127.0.0.1:1/none']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^hpo: cannot read the database at postgres:\/\/me:\*\*\*@127\.0\.0\.1:1\/none: connect ECONNREFUSED 127\.0\.0\.1:1\n$/);
    expect(run.stderr).not.toContain('secret');
  });
});

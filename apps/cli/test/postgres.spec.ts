/** `hpo tenants` and `hpo serve` on PostgreSQL (a fresh schema), when HPO_TEST_PG_URL is set. */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Client as PgClient } from 'pg';
import { HpoClient, HpoClientError } from '../../client-sdk/src';
import { quadraticConfig, quadraticLoss } from '../../client-sdk/test/support/configs';
import { CLI_ENTRY, ServeProcess, startServe, tempDir } from '../../client-sdk/test/support/hpo-serve';

const PG_URL = process.env.HPO_TEST_PG_URL;
if (!PG_URL) console.warn('HPO_TEST_PG_URL is not set: the PostgreSQL variant of the CLI tests is skipped');

function hpo(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI_ENTRY, ...args], { env: { ...process.env, HPO_API_KEY: '', HPO_ADDRESS: '' }, timeout: 60_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

(PG_URL ? describe : describe.skip)('hpo on PostgreSQL', () => {
  const schema = `hpo_cli_${process.pid}_${randomBytes(3).toString('hex')}`;
  let server: ServeProcess | undefined;
  afterAll(async () => {
    await server?.stop();
    const pg = new PgClient({ connectionString: PG_URL });
    await pg.connect();
    await pg.query(`drop schema if exists "${schema}" cascade`);
    await pg.end();
  });

  it('creates a tenant in PostgreSQL, serves with its key required, and lists trials', async () => {
    const db = ['--database-url', PG_URL!, '--postgres-schema', schema];
    const created = await hpo(['tenants', 'create', 'pg-team', ...db]);
    expect(created.code).toBe(0);
    const key = created.stdout.trim();
    server = await startServe({ args: db, env: { HPO_DATABASE_URL: '' } });
    const anonymous = new HpoClient({ address: server.address, retry: false });
    expect(((await anonymous.listStudies().catch((e: unknown) => e)) as HpoClientError).code).toBe('UNAUTHENTICATED');
    anonymous.close();

    const client = new HpoClient({ address: server.address, apiKey: key });
    const study = await client.createStudy({ displayName: 'on-pg', config: quadraticConfig() });
    await study.optimize((trial) => quadraticLoss(trial.params), { trials: 3, parallel: 2, clientId: 'pg', checkpointRoot: tempDir('hpo-pg-ckpt-') });
    client.close();
    const table = await hpo(['trials', 'list', 'on-pg', '--address', server.address, '--api-key', key, '--json']);
    expect(table.code).toBe(0);
    expect(JSON.parse(table.stdout).map((t: { state: string }) => t.state)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
    const list = await hpo(['tenants', 'list', '--json', ...db]);
    expect(JSON.parse(list.stdout).map((t: { name: string }) => t.name)).toEqual(['pg-team']);
  });

  it('tenants list reads only: a schema never served is reported, not created or migrated', async () => {
    const fresh = `${schema}_absent`;
    const list = await hpo(['tenants', 'list', '--database-url', PG_URL!, '--postgres-schema', fresh]);
    expect(list.code).toBe(1);
    expect(list.stderr).toMatch(new RegExp(`is not set up for this version \\(migrations not applied: 0001_initial_schema, .*\\); \`hpo serve\` on it applies them`));
    const pg = new PgClient({ connectionString: PG_URL });
    await pg.connect();
    const found = await pg.query('select 1 from information_schema.schemata where schema_name = $1', [fresh]);
    await pg.end();
    expect(found.rowCount).toBe(0);
  });
});

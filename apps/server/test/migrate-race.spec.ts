/** Start-up migration on a PostgreSQL database that others share: Kysely's migrator reads the tables of
 *  every schema, so a schema dropped meanwhile (another service, another test run) used to fail the
 *  start-up with "schema … does not exist" for a schema that was not ours (seen in CI). */
import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { openStorage } from '../src/storage/open-storage';

const url = process.env.HPO_TEST_PG_URL;
if (!url) console.warn('HPO_TEST_PG_URL is not set: the PostgreSQL migration race test is skipped');

(url ? describe : describe.skip)('migration while other schemas come and go', () => {
  it('opens storage 25 times in fresh schemas while another client creates and drops schemas', async () => {
    const churn = new Pool({ connectionString: url, max: 1 });
    let stop = false;
    const churning = (async () => {
      for (let i = 0; !stop; i++) {
        const name = `hpo_churn_${process.pid}_${i}`;
        await churn.query(`create schema "${name}"; create table "${name}".t (a int); create table "${name}".u (b int)`);
        await churn.query(`drop schema "${name}" cascade`);
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    const schemas: string[] = [];
    const failures: string[] = [];
    try {
      for (let k = 0; k < 25; k++) {
        const schema = `hpo_mig_${process.pid}_${randomBytes(3).toString('hex')}`;
        schemas.push(schema);
        try {
          await (await openStorage({ databaseUrl: url, postgresSchema: schema })).close();
        } catch (e) {
          failures.push(String(e));
        }
      }
    } finally {
      stop = true;
      await churning;
      for (const s of schemas) await churn.query(`drop schema if exists "${s}" cascade`);
      await churn.end();
    }
    expect(failures).toEqual([]);
  });
});

/** Stored StudyConfigs are versioned and upgraded on read (issue 19, finding 5): a row written in the
 *  format of before versions (inserted raw, as an old server left it: no config_version, fields added
 *  since missing) reads as the full current config, through every read path, on SQLite and PostgreSQL. */
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { Pool } from 'pg';
import { STUDY_CONFIG_VERSION, studyConfig } from '@hpo/core';
import { hashApiKey } from '../src/auth/api-key';
import { openStorage, StorageOptions } from '../src/storage/open-storage';
import type { Storage } from '../src/storage/storage';
import { storageBackends } from '@hpo/testing';

/** What an early server stored: no acquisition, lease_seconds, grid_resolution, max_steps_total, nor
 *  the LLM block's later fields. */
const OLD_FORMAT = {
  parameters: [{ name: 'x', type: 'DOUBLE', min: 0, max: 1, scale: 'LINEAR' }],
  metrics: [{ name: 'loss', goal: 'MINIMIZE' }],
  algorithm: 'GP_BANDIT',
  earlyStopping: { mode: 'MEDIAN', maxStep: 20, minSteps: 0, minTrials: 0 },
  llm: { enabled: false, model: 'old-model' },
  problemDescription: 'an old study',
  maxTrials: 40,
  maxParallel: 0,
  seed: 11,
};

async function insertRaw(options: StorageOptions, tenantId: number, displayName: string, configJson: string): Promise<number> {
  if (options.databaseUrl) {
    const pool = new Pool({ connectionString: options.databaseUrl, options: `-c search_path="${options.postgresSchema}"` });
    try {
      const r = await pool.query('insert into studies (tenant_id, display_name, config_json, created_at) values ($1, $2, $3, 1) returning id', [tenantId, displayName, configJson]);
      return Number(r.rows[0].id);
    } finally {
      await pool.end();
    }
  }
  const db = new Database(path.join(options.dataDir!, 'hpo.sqlite'));
  try {
    const r = db.prepare('insert into studies (tenant_id, display_name, config_json, created_at) values (?, ?, ?, 1)').run(tenantId, displayName, configJson);
    return Number(r.lastInsertRowid);
  } finally {
    db.close();
  }
}

describe.each(storageBackends())('stored StudyConfig versions on %s', (_name, options) => {
  let opts: StorageOptions;
  let storage: Storage;
  let tenant: number;

  beforeAll(async () => {
    opts = options();
    storage = await openStorage(opts);
    tenant = (await storage.createTenant('versions', hashApiKey('key-v'))).id;
  });
  afterAll(async () => {
    await storage?.close();
  });

  it('reads an old-format row (no version, fields missing) as the upgraded config everywhere', async () => {
    const id = await insertRaw(opts, tenant, 'old', JSON.stringify(OLD_FORMAT));
    const expected = studyConfig({
      ...(OLD_FORMAT as any),
      earlyStopping: { ...OLD_FORMAT.earlyStopping, maxStepsTotal: 0 },
      llm: {
        enabled: false,
        provider: 'OPENAI_COMPATIBLE',
        model: 'old-model',
        baseUrl: '',
        warmStart: false,
        candidateSampling: false,
        surrogate: false,
        maxTokensTotal: 0,
        timeoutSeconds: 0,
        warmStartTrials: 0,
      },
    });
    expect(expected.acquisition).toBe('LOG_EI');
    expect(expected.leaseSeconds).toBe(300);
    expect((await storage.getStudy(tenant, id))!.config).toStrictEqual(expected);
    expect(await storage.studyConfig(tenant, id)).toStrictEqual(expected);
    expect((await storage.listStudies(tenant, 10)).studies.find((s) => s.id === id)!.config).toStrictEqual(expected);
    expect(await storage.studyTransaction(tenant, id, async (tx) => tx.study.config)).toStrictEqual(expected);
    // RETURN_EXISTING on the old row returns it upgraded too.
    const again = await storage.createStudy(tenant, 'old', studyConfig({ parameters: [], metrics: [] }));
    expect(again.created).toBe(false);
    expect(again.study.config).toStrictEqual(expected);
  });

  it('writes new studies with the current version and reads them back unchanged', async () => {
    const config = studyConfig({ parameters: OLD_FORMAT.parameters as any, metrics: OLD_FORMAT.metrics as any, seed: 3 });
    const { study } = await storage.createStudy(tenant, 'new', config);
    expect((await storage.getStudy(tenant, study.id))!.config).toStrictEqual(config);
    const version = opts.databaseUrl
      ? await (async () => {
          const pool = new Pool({ connectionString: opts.databaseUrl, options: `-c search_path="${opts.postgresSchema}"` });
          try {
            return Number((await pool.query('select config_version from studies where id = $1', [study.id])).rows[0].config_version);
          } finally {
            await pool.end();
          }
        })()
      : Number((new Database(path.join(opts.dataDir!, 'hpo.sqlite')).prepare('select config_version from studies where id = ?').get(study.id) as any).config_version);
    expect(version).toBe(STUDY_CONFIG_VERSION);
  });

  it('refuses a row written by a newer server instead of guessing (FAILED_PRECONDITION, not INTERNAL)', async () => {
    const id = await insertRaw(opts, tenant, 'future', JSON.stringify(OLD_FORMAT));
    const bump = `update studies set config_version = ${STUDY_CONFIG_VERSION + 1} where id = ${id}`;
    if (opts.databaseUrl) {
      const pool = new Pool({ connectionString: opts.databaseUrl, options: `-c search_path="${opts.postgresSchema}"` });
      await pool.query(bump);
      await pool.end();
    } else {
      const db = new Database(path.join(opts.dataDir!, 'hpo.sqlite'));
      db.exec(bump);
      db.close();
    }
    await expect(storage.getStudy(tenant, id)).rejects.toThrow(/newer server/);
  });
});

/** The recorders behind /metrics, on real parts: the storage wrapper over a real SQLite storage
 *  (database errors counted by operation, domain errors and the caller's own errors not), and the LLM
 *  recorder the LLM module calls. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { NotFoundError } from '@hpo/core';
import { instrumentStorage } from '../src/metrics/instrument-storage';
import { ServerMetrics } from '../src/metrics/metrics.service';
import { openStorage } from '../src/storage/open-storage';
import type { Storage } from '../src/storage/storage';
import { studyConfig } from '@hpo/core';

async function sampleValue(metrics: ServerMetrics, name: string, labels: Record<string, string>): Promise<number> {
  const metric = (await metrics.registry.getMetricsAsJSON()).find((m) => m.name === name);
  const v = (metric?.values ?? []).find((x) => Object.entries(labels).every(([k, want]) => String((x.labels as Record<string, unknown>)[k]) === want) && Object.keys(x.labels).length === Object.keys(labels).length);
  return v?.value ?? 0;
}

const config = studyConfig({
  parameters: [{ name: 'x', type: 'DOUBLE', min: 0, max: 1 }],
  metrics: [{ name: 'loss', goal: 'MINIMIZE' }],
  algorithm: 'RANDOM_SEARCH',
  seed: 1,
});

describe('storage error counting', () => {
  let raw: Storage;
  let storage: Storage;
  let metrics: ServerMetrics;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hpo-metrics-storage-'));
    raw = await openStorage({ dataDir });
    metrics = new ServerMetrics({ defaultMetrics: false });
    storage = instrumentStorage(raw, metrics);
  });
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('passes results through and counts nothing when all is well or the error is the caller’s', async () => {
    const tenant = await storage.getOrCreateLocalTenant();
    const { study } = await storage.createStudy(tenant.id, 'instrumented', config);
    expect(storage.dialect).toBe('sqlite');
    expect((await storage.getStudy(tenant.id, study.id))?.displayName).toBe('instrumented');
    await expect(storage.studyTransaction(tenant.id, study.id, async () => { throw new NotFoundError('trial gone'); })).rejects.toThrow('trial gone');
    await expect(storage.studyTransaction(tenant.id, study.id, async () => { throw new Error('policy bug'); })).rejects.toThrow('policy bug');
    expect((await metrics.registry.getSingleMetric('hpo_storage_errors_total')!.get()).values).toEqual([]);
  });

  it('counts a database error inside a transaction once, under the failing transaction operation', async () => {
    const tenant = await storage.getOrCreateLocalTenant();
    const { study } = await storage.createStudy(tenant.id, 'broken-table', config);
    // A second connection breaks the schema under the server's feet: a real database error.
    const other = new Database(path.join(dataDir, 'hpo.sqlite'));
    other.exec('ALTER TABLE measurements RENAME TO measurements_gone');
    other.close();
    const m = { step: 1, metrics: { loss: 1 }, elapsedSeconds: 1 };
    const steps: string[] = [];
    const outcome = await storage
      .studyTransaction(tenant.id, study.id, async (tx) => {
        steps.push('work');
        const t = await tx.insertTrial({ state: 'ACTIVE', parameters: { x: 0.5 } });
        steps.push(`inserted ${t.id}`);
        await tx.addMeasurement(t.id, m);
        steps.push('measured');
        return 'committed';
      })
      .then((v) => `resolved ${String(v)}`, (e: Error) => `rejected ${e.message}`);
    expect({ outcome, steps, study: study.id, tenant: tenant.id }).toEqual({ outcome: expect.stringMatching(/^rejected .*no such table/i), steps: ['work', expect.stringMatching(/^inserted/)], study: study.id, tenant: tenant.id });
    expect(await sampleValue(metrics, 'hpo_storage_errors_total', { operation: 'tx.addMeasurement' })).toBe(1);
    expect(await sampleValue(metrics, 'hpo_storage_errors_total', { operation: 'studyTransaction' })).toBe(0);
  });

  it('counts a failure of the database itself by operation', async () => {
    await raw.close();
    await expect(storage.listTenants()).rejects.toThrow();
    expect(await sampleValue(metrics, 'hpo_storage_errors_total', { operation: 'listTenants' })).toBe(1);
  });
});

describe('LLM recorder', () => {
  it('counts calls by outcome, errors apart, tokens by kind, and times them', async () => {
    const metrics = new ServerMetrics({ defaultMetrics: false });
    metrics.recordLlmCall({ provider: 'openai', model: 'gpt-x', outcome: 'ok', seconds: 1.2, promptTokens: 300, completionTokens: 40 });
    metrics.recordLlmCall({ provider: 'openai', model: 'gpt-x', outcome: 'ok', seconds: 0.8, promptTokens: 200, completionTokens: 10 });
    metrics.recordLlmCall({ provider: 'openai', model: 'gpt-x', outcome: 'timeout', seconds: 30 });
    const labels = { provider: 'openai', model: 'gpt-x' };
    expect(await sampleValue(metrics, 'hpo_llm_calls_total', { ...labels, outcome: 'ok' })).toBe(2);
    expect(await sampleValue(metrics, 'hpo_llm_calls_total', { ...labels, outcome: 'timeout' })).toBe(1);
    expect(await sampleValue(metrics, 'hpo_llm_errors_total', { ...labels, outcome: 'timeout' })).toBe(1);
    expect(await sampleValue(metrics, 'hpo_llm_errors_total', { ...labels, outcome: 'ok' })).toBe(0);
    expect(await sampleValue(metrics, 'hpo_llm_tokens_total', { ...labels, kind: 'prompt' })).toBe(500);
    expect(await sampleValue(metrics, 'hpo_llm_tokens_total', { ...labels, kind: 'completion' })).toBe(50);
    const text = (await metrics.scrape()).body;
    expect(text).toContain('hpo_llm_call_duration_seconds_count{provider="openai"} 3');
    expect(text).toContain('hpo_llm_call_duration_seconds_sum{provider="openai"} 32');
  });
});

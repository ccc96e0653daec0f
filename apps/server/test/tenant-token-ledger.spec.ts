/** The per-tenant daily LLM budget is counted in the database: replicas on one database draw on one
 *  budget, concurrent spending adds up exactly, the day rolls over by the database clock, and a ledger
 *  that fails never fails the advice call (SQLite and PostgreSQL alike). */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LlmAdvisor } from '@hpo/llm';
import type { CompletionRequest, LlmProvider } from '@hpo/llm';
import { braninConfig, study } from '../../../libs/llm/test/fixtures';
import { hashApiKey } from '../src/auth/api-key';
import { StoredTenantTokenLedger, type TenantTokenStore } from '../src/llm/tenant-token-ledger';
import { openStorage } from '../src/storage/open-storage';
import type { Storage } from '../src/storage/storage';
import { storageBackends } from '@hpo/testing';

/** The same store with the clock set by the test (the day comes from `now`). */
const atTime = (store: Storage, iso: () => string): TenantTokenStore => ({
  now: async () => Date.parse(iso()) / 1000,
  addTenantLlmTokens: (...a) => store.addTenantLlmTokens(...a),
  tenantLlmTokens: (...a) => store.tenantLlmTokens(...a),
});

describe.each(storageBackends())('tenant LLM token ledger on %s', (_name, options) => {
  let replicaA: Storage;
  let replicaB: Storage;
  let tenant: string;
  let other: string;

  beforeAll(async () => {
    const opts = options();
    replicaA = await openStorage(opts);
    replicaB = await openStorage(opts);
    tenant = String((await replicaA.createTenant('alpha', hashApiKey('a'))).id);
    other = String((await replicaA.createTenant('beta', hashApiKey('b'))).id);
  });
  afterAll(async () => {
    await replicaA?.close();
    await replicaB?.close();
  });

  it('two replicas share one budget, and concurrent spending adds up exactly', async () => {
    const a = new StoredTenantTokenLedger(10_000, replicaA);
    const b = new StoredTenantTokenLedger(10_000, replicaB);
    await a.record(tenant, 600);
    expect(await b.remaining(tenant)).toBe(9_400);
    await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).record(tenant, 25)));
    expect(await a.remaining(tenant)).toBe(8_400);
    expect(await b.remaining(tenant)).toBe(8_400);
    expect(await b.remaining(other)).toBe(10_000);
    await b.record(tenant, 50_000);
    expect(await a.remaining(tenant)).toBe(0);
  });

  it('starts again each UTC day by the database clock; 0 means unlimited but still counted', async () => {
    let now = '2031-03-01T23:59:00Z';
    const ledger = new StoredTenantTokenLedger(1_000, atTime(replicaA, () => now));
    await ledger.record(other, 700);
    expect(await ledger.remaining(other)).toBe(300);
    now = '2031-03-02T00:00:01Z';
    expect(await ledger.remaining(other)).toBe(1_000);
    const unlimited = new StoredTenantTokenLedger(0, atTime(replicaA, () => now));
    await unlimited.record(other, 5);
    expect(await unlimited.remaining(other)).toBe(Infinity);
    expect(await replicaB.tenantLlmTokens(Number(other), '2031-03-02')).toBe(5);
    await expect(ledger.remaining('bench')).rejects.toThrow("tenant id 'bench' is not a stored tenant's id");
  });
});

describe('the advisor with the stored ledger', () => {
  /** Answers every prompt with two valid Branin configurations, costing 120 + 30 tokens. */
  const provider: LlmProvider = {
    description: 'fake',
    async complete(_r: CompletionRequest) {
      return { text: JSON.stringify({ configurations: [{ x1: 1, x2: 2 }, { x1: 3, x2: 4 }] }), promptTokens: 120, completionTokens: 30 };
    },
  };
  let storage: Storage;
  let tenant: string;
  beforeAll(async () => {
    storage = await openStorage({ dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'hpo-ledger-advisor-')) });
    tenant = String((await storage.createTenant('alpha', hashApiKey('a'))).id);
  });
  afterAll(async () => storage?.close());

  const propose = (advisor: LlmAdvisor) =>
    advisor.propose({ study: study(braninConfig()), count: 2, purpose: 'warm_start', tenantId: tenant, studyId: '1', tokensUsedSoFar: 0 });

  it('records what a call spent, refuses once the day is spent, and survives a failing database', async () => {
    const warnings: string[] = [];
    const logger = { warn: (_f: unknown, m: string) => warnings.push(m) };
    const advisor = new LlmAdvisor({ providerFor: () => provider, logger, tenantLedger: new StoredTenantTokenLedger(5_000, storage) });
    const first = await propose(advisor);
    expect(first.candidates).toHaveLength(2);
    expect(first.tokensUsed).toBe(150);
    const today = new Date((await storage.now()) * 1000).toISOString().slice(0, 10);
    expect(await storage.tenantLlmTokens(Number(tenant), today)).toBe(150);

    await storage.addTenantLlmTokens(Number(tenant), today, 4_800);
    expect(await propose(advisor)).toEqual({ candidates: [], tokensUsed: 0 });
    expect(warnings.at(-1)).toMatch(/over the tenant token budget/);

    const broken: TenantTokenStore = {
      now: () => storage.now(),
      tenantLlmTokens: async () => {
        throw new Error('database unreachable');
      },
      addTenantLlmTokens: async () => {
        throw new Error('database unreachable');
      },
    };
    const unreadable = new LlmAdvisor({ providerFor: () => provider, logger, tenantLedger: new StoredTenantTokenLedger(5_000, broken) });
    expect(await propose(unreadable)).toEqual({ candidates: [], tokensUsed: 0 });
    expect(warnings.at(-1)).toMatch(/LLM advice skipped.*database unreachable/);
    // Counting unlimited tenants still writes; a write that fails costs a warning, not the advice.
    const unwritable = new LlmAdvisor({ providerFor: () => provider, logger, tenantLedger: new StoredTenantTokenLedger(0, broken) });
    expect((await propose(unwritable)).candidates).toHaveLength(2);
    expect(warnings.at(-1)).toMatch(/not added to the tenant's daily count: database unreachable/);
  });
});

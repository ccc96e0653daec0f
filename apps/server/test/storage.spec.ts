/** The storage layer, one suite on SQLite and PostgreSQL alike: tenant scoping in every query,
 *  serialised per-study transactions (sequential trial ids under concurrency, across two "replicas"
 *  on PostgreSQL), rollback on error, lease expiry by the database clock exactly once, idempotent
 *  study creation, tenant administration. */
import { createTenant, listTenants, revokeTenant, setTenantLlmEnabled } from '../src/admin';
import { hashApiKey } from '../src/auth/api-key';
import { openStorage, StorageOptions } from '../src/storage/open-storage';
import type { Storage } from '../src/storage/storage';
import { storageBackends } from '@hpo/testing';
import { studyConfig } from '@hpo/core';

const CONFIG = studyConfig({
  parameters: [{ name: 'x', type: 'DOUBLE', min: 0, max: 1, scale: 'LINEAR' }],
  metrics: [{ name: 'loss', goal: 'MINIMIZE' }],
  algorithm: 'RANDOM_SEARCH',
  seed: 7,
});

describe.each(storageBackends())('storage on %s', (name, options) => {
  let opts: StorageOptions;
  let storage: Storage;
  let alpha: number;
  let beta: number;

  beforeAll(async () => {
    opts = options();
    storage = await openStorage(opts);
    alpha = (await storage.createTenant('alpha', hashApiKey('key-a'))).id;
    beta = (await storage.createTenant('beta', hashApiKey('key-b'))).id;
  });
  afterAll(async () => {
    await storage?.close();
  });

  it('runs migrations idempotently (a second open of the same database is fine)', async () => {
    const again = await openStorage(opts);
    expect((await again.listTenants()).map((t) => t.name)).toEqual(['alpha', 'beta']);
    await again.close();
  });

  it('scopes studies and trials by tenant in every query', async () => {
    const { study } = await storage.createStudy(alpha, 'mine', CONFIG);
    await storage.studyTransaction(alpha, study.id, (tx) => tx.insertTrial({ state: 'ACTIVE', parameters: { x: 0.5 }, clientId: 'c' }));
    expect(await storage.getStudy(beta, study.id)).toBeUndefined();
    expect(await storage.getTrial(beta, study.id, 1)).toBeUndefined();
    expect(await storage.listTrials(beta, study.id)).toEqual([]);
    expect((await storage.listStudies(beta, 10)).studies).toEqual([]);
    expect(await storage.studyTransaction(beta, study.id, async () => 'ran')).toBeUndefined();
    expect(await storage.deleteStudy(beta, study.id)).toBe(false);
    expect(await storage.getTrial(alpha, study.id, 1)).toMatchObject({ id: 1, state: 'ACTIVE', parameters: { x: 0.5 } });
  });

  it('creates a study once under concurrent identical creates', async () => {
    const results = await Promise.all(Array.from({ length: 10 }, () => storage.createStudy(alpha, 'racy', CONFIG)));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.study.id)).size).toBe(1);
  });

  it('serialises a study\'s transactions: concurrent inserts get ids 1..n, no gaps or duplicates', async () => {
    const { study } = await storage.createStudy(alpha, 'serial', CONFIG);
    const ids = await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        storage.studyTransaction(alpha, study.id, async (tx) => (await tx.insertTrial({ state: 'ACTIVE', parameters: { x: i / 25 } })).id),
      ),
    );
    expect([...ids].sort((a, b) => (a as number) - (b as number))).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
  });

  if (name === 'postgres') {
    it('serialises across two replicas (separate pools) with the advisory lock', async () => {
      const replica = await openStorage(opts);
      try {
        const { study } = await storage.createStudy(alpha, 'replicas', CONFIG);
        const insert = (s: Storage, i: number) =>
          s.studyTransaction(alpha, study.id, async (tx) => (await tx.insertTrial({ state: 'ACTIVE', parameters: { x: i / 40 } })).id);
        const ids = await Promise.all(Array.from({ length: 40 }, (_, i) => insert(i % 2 ? replica : storage, i)));
        expect(new Set(ids).size).toBe(40);
        expect(Math.max(...(ids as number[]))).toBe(40);
      } finally {
        await replica.close();
      }
    });
  }

  it('rolls back everything when the transaction throws', async () => {
    const { study } = await storage.createStudy(alpha, 'rollback', CONFIG);
    await expect(
      storage.studyTransaction(alpha, study.id, async (tx) => {
        await tx.insertTrial({ state: 'ACTIVE', parameters: { x: 0.1 } });
        await tx.addTokensUsed(100);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await storage.listTrials(alpha, study.id)).toEqual([]);
    expect((await storage.getStudy(alpha, study.id))?.llmTokensUsed).toBe(0);
  });

  it('stores measurements in step order and trial patches', async () => {
    const { study } = await storage.createStudy(alpha, 'curves', CONFIG);
    await storage.studyTransaction(alpha, study.id, async (tx) => {
      const t = await tx.insertTrial({ state: 'ACTIVE', parameters: { x: 0.3 }, clientId: 'c' });
      for (const step of [3, 1, 2]) await tx.addMeasurement(t.id, { step, metrics: { loss: 1 / step }, elapsedSeconds: step });
      await tx.updateTrial(t.id, { state: 'SUCCEEDED', finalMeasurement: { step: 3, metrics: { loss: 0.25 }, elapsedSeconds: 3 }, lastStep: 3 });
      await tx.addTokensUsed(42);
    });
    const t = await storage.getTrial(alpha, study.id, 1);
    expect(t?.measurements.map((m) => m.step)).toEqual([1, 2, 3]);
    expect(t?.finalMeasurement?.metrics.loss).toBe(0.25);
    expect(t?.lastStep).toBe(3);
    expect((await storage.getStudy(alpha, study.id))?.llmTokensUsed).toBe(42);
    expect((await storage.countTrials(alpha, study.id)).SUCCEEDED).toBe(1);
  });

  it('stores where each trial came from (migration 0006), and reads a trial without one as unspecified', async () => {
    const { study } = await storage.createStudy(alpha, 'origins', CONFIG);
    await storage.studyTransaction(alpha, study.id, async (tx) => {
      await tx.insertTrial({ state: 'ACTIVE', parameters: { x: 0.1 }, origin: 'llm-warm-start' });
      await tx.insertTrial({ state: 'ACTIVE', parameters: { x: 0.2 }, origin: 'gp' });
      await tx.insertTrial({ state: 'ACTIVE', parameters: { x: 0.3 } });
    });
    const trials = await storage.listTrials(alpha, study.id, {});
    expect(trials.map((t) => t.origin)).toEqual(['llm-warm-start', 'gp', 'unspecified']);
  });

  it('an early-stopped trial stays EARLY_STOPPED: a lock-free completion racing the STOP, or a transaction that read it as live, does not rewrite it', async () => {
    const { study } = await storage.createStudy(alpha, 'stop-race', CONFIG);
    const final = { step: 9, metrics: { loss: 0.01 }, elapsedSeconds: 9 };
    const stopped = { step: 2, metrics: { loss: 0.5 }, elapsedSeconds: 2 };
    await storage.studyTransaction(alpha, study.id, async (tx) => {
      for (const x of [0.1, 0.2]) {
        const t = await tx.insertTrial({ state: 'ACTIVE', parameters: { x }, clientId: 'w', leaseExpiresAt: tx.now + 300 });
        await tx.addMeasurement(t.id, stopped);
      }
    });
    // The STOP is written while the worker's CompleteTrial arrives: the completion runs once the STOP's
    // transaction is under way (PostgreSQL: blocked on the row, then re-checks the state; SQLite: after
    // the commit) and must find the trial no longer live.
    let completion: Promise<unknown> | undefined;
    await storage.studyTransaction(alpha, study.id, async (tx) => {
      const t = await tx.getTrial(1, true);
      expect(t?.state).toBe('ACTIVE');
      await tx.updateTrial(1, { state: 'EARLY_STOPPED', finalMeasurement: stopped, completeTime: tx.now, leaseExpiresAt: null, statusReason: 'stopped' });
      completion = storage.finishLeasedTrial(alpha, study.id, 1, { state: 'SUCCEEDED', finalMeasurement: final }, 'w');
      await new Promise((resolve) => setTimeout(resolve, 50));
    });
    expect(await completion).toBeUndefined();
    expect((await storage.getTrial(alpha, study.id, 1))?.state).toBe('EARLY_STOPPED');
    expect((await storage.getTrial(alpha, study.id, 1))?.finalMeasurement?.step).toBe(2);
    // The other order: the completion wins, and a STOP decided from a read of the live trial is not
    // written over it.
    expect((await storage.finishLeasedTrial(alpha, study.id, 2, { state: 'SUCCEEDED', finalMeasurement: final }, 'w'))?.state).toBe('SUCCEEDED');
    await storage.studyTransaction(alpha, study.id, async (tx) => {
      const t = await tx.getTrial(2, true);
      if (t?.state === 'ACTIVE') await tx.updateTrial(2, { state: 'EARLY_STOPPED', finalMeasurement: stopped, completeTime: tx.now, leaseExpiresAt: null });
    });
    expect((await storage.getTrial(alpha, study.id, 2))?.state).toBe('SUCCEEDED');
    // A transaction working from a stale read (it saw trial 1 live) cannot move it out of EARLY_STOPPED:
    // the guarded write refuses, the transaction is run again, and gives up.
    await expect(
      storage.studyTransaction(alpha, study.id, (tx) => tx.updateTrial(1, { state: 'SUCCEEDED', finalMeasurement: final, leaseExpiresAt: null })),
    ).rejects.toThrow(/changed under the transaction/);
    expect((await storage.getTrial(alpha, study.id, 1))?.state).toBe('EARLY_STOPPED');
  });

  it('expires leases by the database clock, exactly once', async () => {
    const { study } = await storage.createStudy(alpha, 'leases', CONFIG);
    const now = await storage.now();
    expect(Math.abs(now - Date.now() / 1000)).toBeLessThan(60);
    await storage.studyTransaction(alpha, study.id, async (tx) => {
      await tx.insertTrial({ state: 'ACTIVE', parameters: { x: 0.1 }, clientId: 'old', leaseExpiresAt: tx.now - 1 });
      await tx.insertTrial({ state: 'STOPPING', parameters: { x: 0.2 }, clientId: 'old', leaseExpiresAt: tx.now - 1 });
      await tx.insertTrial({ state: 'ACTIVE', parameters: { x: 0.3 }, clientId: 'new', leaseExpiresAt: tx.now + 300 });
      await tx.insertTrial({ state: 'PAUSED', parameters: { x: 0.4 }, leaseExpiresAt: tx.now - 1 });
    });
    const [first, second] = await Promise.all([
      storage.studyTransaction(alpha, study.id, (tx) => tx.expireLeases()),
      storage.studyTransaction(alpha, study.id, (tx) => tx.expireLeases()),
    ]);
    expect([...(first as number[]), ...(second as number[])].sort()).toEqual([1, 2]);
    expect(await storage.expireAllLeases()).toBe(0);
    const states = (await storage.listTrials(alpha, study.id)).map((t) => t.state);
    expect(states).toEqual(['FAILED', 'FAILED', 'ACTIVE', 'PAUSED']);
  });

  it('deletes a study with its trials and measurements', async () => {
    const { study } = await storage.createStudy(alpha, 'gone', CONFIG);
    await storage.studyTransaction(alpha, study.id, async (tx) => {
      const t = await tx.insertTrial({ state: 'ACTIVE', parameters: { x: 0.1 } });
      await tx.addMeasurement(t.id, { step: 1, metrics: { loss: 1 }, elapsedSeconds: 1 });
    });
    expect(await storage.deleteStudy(alpha, study.id)).toBe(true);
    expect(await storage.getStudy(alpha, study.id)).toBeUndefined();
    expect(await storage.listTrials(alpha, study.id)).toEqual([]);
  });

  it('pages studies newest first', async () => {
    const names: string[] = [];
    let before: number | undefined;
    for (;;) {
      const page = await storage.listStudies(alpha, 2, before);
      names.push(...page.studies.map((s) => s.displayName));
      if (!page.hasMore) break;
      before = page.studies[page.studies.length - 1].id;
    }
    expect(names[0]).toBe('leases');
    expect(names).not.toContain('gone');
    expect(new Set(names).size).toBe(names.length);
  });

  it('administers tenants: key shown once and stored hashed, revocation, the LLM switch', async () => {
    const { apiKey } = await createTenant(storage, 'gamma');
    expect(apiKey).toMatch(/^hpo_/);
    const found = await storage.findTenantByKeyHash(hashApiKey(apiKey));
    expect(found).toMatchObject({ name: 'gamma', revoked: false, llmEnabled: true });
    await expect(createTenant(storage, 'gamma')).rejects.toThrow(/already exists/);
    await expect(createTenant(storage, 'bad name!')).rejects.toThrow(/name/);
    await setTenantLlmEnabled(storage, 'gamma', false);
    expect((await storage.findTenantByKeyHash(hashApiKey(apiKey)))?.llmEnabled).toBe(false);
    await revokeTenant(storage, 'gamma');
    expect((await storage.findTenantByKeyHash(hashApiKey(apiKey)))?.revoked).toBe(true);
    await expect(revokeTenant(storage, 'gamma')).rejects.toThrow(/no active tenant/);
    expect((await listTenants(storage)).map((t) => t.name)).toEqual(['alpha', 'beta', 'gamma']);
    expect(await storage.countKeyedTenants()).toBe(3);
    const local = await storage.getOrCreateLocalTenant();
    expect(local.isLocal).toBe(true);
    expect((await storage.getOrCreateLocalTenant()).id).toBe(local.id);
    expect(await storage.countKeyedTenants()).toBe(3);
  });
});

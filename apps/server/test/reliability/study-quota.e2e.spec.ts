/** The study quota holds exactly (issue 19, finding 1's sibling): counted in the transaction that
 *  inserts the study, under the tenant's quota lock, so many concurrent CreateStudy calls spread over
 *  two replicas (on PostgreSQL; SQLite's replicas share its one write lock) never create more than the
 *  quota, and RETURN_EXISTING keeps answering at the quota. Before, the guard counted outside the
 *  insert: concurrent calls all saw room. */
import { createTenant, openStorage } from '../../src/admin';
import { StudyQuotaReached } from '../../src/storage/storage';
import { backends, createStudyClient, quasiRandomConfig, ServerProcess, startServerProcess, storageBackends } from '@hpo/testing';
import { studyConfig } from '@hpo/core';

const MAX = 7;
const CALLS = 60;

describe.each(storageBackends())('study quota in storage on %s', (name, options) => {
  it(`${CALLS} concurrent creates (from two storage instances on PostgreSQL) create exactly ${MAX}`, async () => {
    const opts = options();
    const a = await openStorage(opts);
    // Two SQLite handles in one process would wait on each other's write lock synchronously (busy
    // timeout): SQLite's replicas are processes, covered over gRPC below.
    const b = name === 'postgres' ? await openStorage(opts) : a;
    try {
      const tenant = (await createTenant(a, 'q')).name;
      const id = (await a.listTenants()).find((t) => t.name === tenant)!.id;
      const config = studyConfig({ parameters: [{ name: 'x', type: 'DOUBLE', min: 0, max: 1, scale: 'LINEAR' }], metrics: [{ name: 'y', goal: 'MAXIMIZE' }] });
      const results = await Promise.allSettled(Array.from({ length: CALLS }, (_, i) => (i % 2 ? a : b).createStudy(id, `s${i}`, config, MAX)));
      const created = results.filter((r) => r.status === 'fulfilled' && r.value.created);
      const refused = results.filter((r) => r.status === 'rejected');
      expect(created).toHaveLength(MAX);
      expect(refused).toHaveLength(CALLS - MAX);
      for (const r of refused) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(StudyQuotaReached);
      expect(await a.countStudies(id)).toBe(MAX);
      // At the quota an existing name is still returned.
      const first = (created[0] as PromiseFulfilledResult<{ study: { displayName: string } }>).value.study.displayName;
      expect((await b.createStudy(id, first, config, MAX)).created).toBe(false);
    } finally {
      await a.close();
      if (b !== a) await b.close();
    }
  });
});

describe.each(backends())('study quota over gRPC on $name', ({ fresh }) => {
  let replicas: ServerProcess[] = [];
  let key: string;

  beforeAll(async () => {
    const backend = fresh();
    const storage = await openStorage(backend.storageOptions);
    try {
      key = (await createTenant(storage, 'team')).apiKey;
    } finally {
      await storage.close();
    }
    const env = { ...backend.env, HPO_QUOTAS: JSON.stringify({ defaults: { maxStudies: MAX, requestsPerSecond: 0 } }) };
    for (let i = 0; i < 2; i++) replicas.push(await startServerProcess(env));
  });
  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.stop()));
    replicas = [];
  });

  it(`${CALLS} concurrent CreateStudy calls over two replicas: exactly ${MAX} OK, the rest RESOURCE_EXHAUSTED, RETURN_EXISTING still answers`, async () => {
    const clients = replicas.flatMap((r) => Array.from({ length: 6 }, () => createStudyClient(r.address, key)));
    try {
      const results = await Promise.allSettled(
        Array.from({ length: CALLS }, (_, i) => clients[i % clients.length].CreateStudy({ displayName: `s${i}`, config: quasiRandomConfig() })),
      );
      const ok = results.filter((r) => r.status === 'fulfilled');
      const codes = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason.code);
      expect(ok).toHaveLength(MAX);
      expect(codes).toEqual(Array(CALLS - MAX).fill(8)); // RESOURCE_EXHAUSTED
      expect((await clients[0].ListStudies({})).studies).toHaveLength(MAX);
      const name = (ok[0] as PromiseFulfilledResult<{ displayName: string; name: string }>).value;
      expect((await clients[1].CreateStudy({ displayName: name.displayName, config: quasiRandomConfig(), ifExists: 'RETURN_EXISTING' })).name).toBe(name.name);
    } finally {
      for (const c of clients) c.close();
    }
  });
});

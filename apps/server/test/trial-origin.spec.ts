/** Every trial says where it came from (hpo.v1.Trial.Origin, stored in trials.origin by migration 0006):
 *  the initial design then the GP for GP_BANDIT, the algorithm's own points for the plain searches,
 *  ADDED for AddTrials, ORIGIN_UNSPECIFIED for rows stored before origins were. In-process, on an
 *  in-memory SQLite database. */
import { quasiRandomConfig } from '@hpo/testing';
import { inProcessSuite } from './support/server-suite';

const accuracyOf = (t: { parameters: Array<{ name: string; doubleValue?: number; intValue?: number }> }): number => {
  const lr = t.parameters.find((p) => p.name === 'learning_rate')?.doubleValue ?? 0.01;
  return 1 - Math.abs(Math.log10(lr) + 2) / 3;
};

describe('trial origins (in-process)', () => {
  const { server, client } = inProcessSuite();

  it('GP_BANDIT: the initial design first, then the GP; stored and listed', async () => {
    const study = await client.CreateStudy({ displayName: 'origins-gp', config: quasiRandomConfig({ algorithm: 'GP_BANDIT', maxTrials: 12, seed: 3 }) });
    const origins: string[] = [];
    for (let i = 0; i < 12; i++) {
      const [t] = (await client.SuggestTrials({ parent: study.name, count: 1, clientId: 'w' })).trials;
      origins.push(t.origin);
      await client.CompleteTrial({ name: t.name, finalMeasurement: { step: 1, metrics: [{ name: 'accuracy', value: accuracyOf(t) }] } });
    }
    expect(origins[0]).toBe('DESIGN');
    expect(origins[origins.length - 1]).toBe('GP');
    // The design comes first and the GP after it, never the other way round.
    expect(origins.join(' ')).toMatch(/^(DESIGN )+(GP ?)+$/);
    const listed = (await client.ListTrials({ parent: study.name, pageSize: 100 })).trials.map((t: { origin: string }) => t.origin);
    expect(listed).toEqual(origins);
  });

  it('plain searches name their algorithm, AddTrials says ADDED, and an old row reads ORIGIN_UNSPECIFIED', async () => {
    const study = await client.CreateStudy({ displayName: 'origins-qr', config: quasiRandomConfig() });
    const [t] = (await client.SuggestTrials({ parent: study.name, count: 1, clientId: 'w' })).trials;
    expect(t.origin).toBe('QUASI_RANDOM');
    const added = await client.AddTrials({
      parent: study.name,
      trials: [{ parameters: [{ name: 'learning_rate', doubleValue: 0.01 }, { name: 'layers', intValue: 2 }, { name: 'optimizer', stringValue: 'adam' }], finalMeasurement: { step: 1, metrics: [{ name: 'accuracy', value: 0.8 }] } }],
    });
    expect(added.trials.map((x: { origin: string }) => x.origin)).toEqual(['ADDED']);
    // A row from before migration 0006 has no origin.
    const tenant = await server.storage.getOrCreateLocalTenant();
    const id = Number(study.name.split('/')[1]);
    const old = await server.storage.studyTransaction(tenant.id, id, (tx) => tx.insertTrial({ state: 'ACTIVE', parameters: { learning_rate: 0.02, layers: 1, optimizer: 'adam' }, clientId: 'old' }));
    expect(old!.origin).toBe('unspecified');
    expect((await client.GetTrial({ name: `${study.name}/trials/${old!.id}` })).origin).toBe('ORIGIN_UNSPECIFIED');
  });
});

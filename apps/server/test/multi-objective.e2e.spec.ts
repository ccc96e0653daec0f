/** Several objectives, a tracked metric, an outcome constraint and priors, through the real server (child
 *  process, SQLite) and the SDK: the roles round-trip, GP_BANDIT's suggestions come from the
 *  multi-metric model once the design is done, ListOptimalTrials returns the feasible Pareto set, and a
 *  misused role is a clear INVALID_ARGUMENT that creates nothing. */
import type { StudyConfig } from '../../client-sdk/src/types';
import { freshSqliteBackend } from '@hpo/testing';
import { sdkServerSuite } from './support/server-suite';

const config: StudyConfig = {
  parameters: [{ name: 'x', type: 'DOUBLE', min: 0, max: 1, prior: { center: 0.5, width: 0.3 } }, { name: 'y', type: 'DOUBLE', min: 0, max: 1, prior: { center: 0.2 } }],
  metrics: [
    { name: 'error', goal: 'MINIMIZE' },
    { name: 'size', goal: 'minimize' as never, role: 'objective' as never, referencePoint: 2 },
    { name: 'latency_ms', goal: 'MINIMIZE', role: 'CONSTRAINT', threshold: 15 },
    { name: 'loss', goal: 'MINIMIZE', role: 'TRACKED' },
  ],
  algorithm: 'GP_BANDIT',
  seed: 11,
};

/** error and size conflict along x; latency grows with y, and the constraint cuts y > 0.6 away. */
function evaluate(x: number, y: number): Record<string, number> {
  return { error: (x - 0.2) ** 2 + 0.3 * y, size: (x - 0.9) ** 2 + 0.1 * y, latency_ms: 5 + 17 * y, loss: x * y };
}

describe('multi-objective study with a constraint, end to end', () => {
  const { client } = sdkServerSuite(() => freshSqliteBackend().env);

  it('round-trips the roles, searches with the multi-metric GP and returns the feasible Pareto set', async () => {
    const study = await client.createStudy({ displayName: 'mo-constrained', config });
    expect(study.config.parameters.map((p) => p.prior)).toEqual([{ center: 0.5, width: 0.3 }, { center: 0.2 }]);
    expect(study.config.metrics).toEqual([
      { name: 'error', goal: 'MINIMIZE', role: 'OBJECTIVE' },
      { name: 'size', goal: 'MINIMIZE', role: 'OBJECTIVE', referencePoint: 2 },
      { name: 'latency_ms', goal: 'MINIMIZE', role: 'CONSTRAINT', threshold: 15 },
      { name: 'loss', goal: 'MINIMIZE', role: 'TRACKED' },
    ]);
    const reasons: string[] = [];
    for (let round = 0; round < 7; round++) {
      const { trials } = await study.suggest('worker', 2);
      for (const t of trials) {
        reasons.push(t.statusReason ?? '');
        const m = evaluate(t.parameters.x as number, t.parameters.y as number);
        await client.completeTrial({ name: t.name, finalMeasurement: { metrics: m } });
      }
    }
    expect(reasons.filter((r) => r.startsWith('GP scalarized UCB gain')).length).toBeGreaterThanOrEqual(4);
    expect(reasons.some((r) => /P\(feasible\) [0-9.e-]+$/.test(r))).toBe(true);

    const all = await study.trials();
    const optimal = await study.optimalTrials();
    expect(optimal.length).toBeGreaterThan(0);
    const metrics = (t: (typeof all)[number]) => t.finalMeasurement!.metrics;
    for (const t of optimal) {
      expect(metrics(t).latency_ms).toBeLessThanOrEqual(15);
      // No feasible trial is better in both objectives (loss, TRACKED, plays no part).
      const dominated = all.some((o) => metrics(o).latency_ms <= 15
        && metrics(o).error <= metrics(t).error && metrics(o).size <= metrics(t).size
        && (metrics(o).error < metrics(t).error || metrics(o).size < metrics(t).size));
      expect(dominated).toBe(false);
    }
  }, 120_000);

  it('refuses a misused role or prior with the field and the rule, and creates nothing', async () => {
    const before = (await client.listStudies()).studies.length;
    const bad = { ...config, metrics: [{ name: 'error', goal: 'MINIMIZE' as const }, { name: 'latency_ms', goal: 'MINIMIZE' as const, role: 'CONSTRAINT' as const }] };
    await expect(client.createStudy({ displayName: 'bad-role', config: bad })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT', details: expect.stringMatching(/config\.metrics\[1\]\.threshold.*required/),
    });
    const first = { ...config, metrics: [{ name: 'loss', goal: 'MINIMIZE' as const, role: 'TRACKED' as const }, { name: 'error', goal: 'MINIMIZE' as const }] };
    await expect(client.createStudy({ displayName: 'bad-first', config: first })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT', details: expect.stringMatching(/config\.metrics\[0\]\.role.*must be OBJECTIVE/),
    });
    const badPrior = { ...config, parameters: [{ name: 'x', type: 'DOUBLE' as const, min: 0, max: 1, prior: { center: 3 } }] };
    await expect(client.createStudy({ displayName: 'bad-prior', config: badPrior })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT', details: expect.stringMatching(/config\.parameters\[0\]\.prior\.center.*within \[0, 1\].*got 3/),
    });
    expect((await client.listStudies()).studies.length).toBe(before);
  });
});

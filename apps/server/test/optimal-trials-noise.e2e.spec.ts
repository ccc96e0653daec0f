/** ListOptimalTrials in a noisy study, through the real server (child process, SQLite) and the SDK: the
 *  trials come in by AddTrials (evaluated elsewhere), as from a user's earlier runs. In a GP_BANDIT study
 *  whose observations are noisy the answer is the trial with the best posterior mean, and its
 *  status_reason says so; a deterministic study gets the best observed trial, as before. */
import type { StudyConfig, TrialInput } from '../../client-sdk/src/types';
import { freshSqliteBackend } from '@hpo/testing';
import { sdkServerSuite } from './support/server-suite';

/** f = (x − 0.3)² + (y − 0.6)² on an 8 × 8 grid, with N(0, noise²) noise from a fixed Box–Muller stream. */
const f = (x: number, y: number): number => (x - 0.3) ** 2 + (y - 0.6) ** 2;

function gridTrials(noise: number): TrialInput[] {
  let state = 12345;
  const uniform = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return (state + 0.5) / 4294967296;
  };
  const normal = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  const trials: TrialInput[] = [];
  for (let i = 0; i < 8; i++) {
    for (let j = 0; j < 8; j++) {
      const x = (i + 0.5) / 8;
      const y = (j + 0.5) / 8;
      trials.push({ parameters: { x, y }, finalMeasurement: { metrics: { value: f(x, y) + noise * normal() } } });
    }
  }
  return trials;
}

const config: StudyConfig = {
  parameters: [{ name: 'x', type: 'DOUBLE', min: 0, max: 1 }, { name: 'y', type: 'DOUBLE', min: 0, max: 1 }],
  metrics: [{ name: 'value', goal: 'MINIMIZE' }],
  algorithm: 'GP_BANDIT',
  seed: 3,
};

describe('ListOptimalTrials in a noisy GP_BANDIT study', () => {
  const { client } = sdkServerSuite(() => freshSqliteBackend().env);

  it('returns the trial with the best posterior mean and says so in its status_reason', async () => {
    const study = await client.createStudy({ displayName: 'noisy-optimal', config });
    const added = await study.addTrials(gridTrials(0.03));
    const luckiest = [...added].sort((a, b) => a.finalMeasurement!.metrics.value - b.finalMeasurement!.metrics.value)[0];
    const optimal = await study.optimalTrials();
    expect(optimal).toHaveLength(1);
    expect(optimal[0].statusReason).toMatch(/^best posterior mean \(noisy study: the GP puts the observation noise at σ ≈ [0-9.]+\)/);
    const at = (t: { parameters: Record<string, unknown> }) => f(t.parameters.x as number, t.parameters.y as number);
    expect(at(optimal[0])).toBeLessThanOrEqual(at(luckiest));
    // The stored trial is unchanged: the reason belongs to this answer only.
    expect((await study.trials()).find((t) => t.id === optimal[0].id)!.statusReason).toBe('added (AddTrials)');
  }, 60_000);

  it('returns the best observed trial of a deterministic study, as stored', async () => {
    const study = await client.createStudy({ displayName: 'deterministic-optimal', config });
    const added = await study.addTrials(gridTrials(0));
    const best = [...added].sort((a, b) => a.finalMeasurement!.metrics.value - b.finalMeasurement!.metrics.value)[0];
    const optimal = await study.optimalTrials();
    expect(optimal.map((t) => t.id)).toEqual([best.id]);
    expect(optimal[0].statusReason).toBe('added (AddTrials)');
  }, 60_000);
});

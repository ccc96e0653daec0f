/** Convergence on standard functions: GP_BANDIT reaches a small simple regret in a fixed budget where
 *  random search does not, judged on the median over seeds (not one lucky run). The full comparison with
 *  quartiles lives in bench/src/gp-quality.ts. */
import { branin, hartmann6, quantile, runBenchmark } from '@hpo/testing';

const SEEDS = [1, 2, 3, 4, 5];

async function finalRegrets(f: typeof branin, algorithm: 'GP_BANDIT' | 'RANDOM_SEARCH', budget: number): Promise<number[]> {
  const out: number[] = [];
  for (const seed of SEEDS) {
    const r = await runBenchmark(f, algorithm, 'LOG_EI', budget, seed);
    out.push(r.regret[budget - 1]);
  }
  return out;
}

describe('GP_BANDIT convergence (median over 5 seeds)', () => {
  it('Branin, 30 evaluations: GP regret < 0.05; random search stays above 0.2', async () => {
    const gp = quantile(await finalRegrets(branin, 'GP_BANDIT', 30), 0.5);
    const random = quantile(await finalRegrets(branin, 'RANDOM_SEARCH', 30), 0.5);
    expect(gp).toBeLessThan(0.05);
    expect(random).toBeGreaterThan(0.2);
  });

  it('Hartmann-6, 60 evaluations: GP regret < 0.05 (past the local optimum at regret 0.12); random stays above 0.5', async () => {
    const gp = quantile(await finalRegrets(hartmann6, 'GP_BANDIT', 60), 0.5);
    const random = quantile(await finalRegrets(hartmann6, 'RANDOM_SEARCH', 60), 0.5);
    expect(gp).toBeLessThan(0.05);
    expect(random).toBeGreaterThan(0.5);
  });
});

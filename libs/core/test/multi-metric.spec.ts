import { hypervolume } from '@hpo/acquisition';
import { InvalidArgumentError } from '@hpo/space';
import { bestTrials } from '../src/best-trials';
import { createSuggestionPolicy } from '../src/create-policy';
import { isFeasible } from '../src/metric-roles';
import { MULTI_METRIC_STATE_PART } from '../src/policies/gp-bandit-multi-metric';
import type { MetricSpec, PolicyState, StudyConfig, TrialView } from '../src/types';
import { validateStudyConfig } from '../src/validate-study-config';
import { baseConfig, succeeded } from './fixtures';

const unitParameters = (d: number) => Array.from({ length: d }, (_, i) => ({ name: `x${i}`, type: 'DOUBLE' as const, min: 0, max: 1, scale: 'LINEAR' as const }));

/** ZDT1 (Zitzler, Deb & Thiele 2000), both minimised; its front is f2 = 1 − √f1 at g = 1. */
function zdt1(x: number[]): Record<string, number> {
  const g = 1 + (9 * x.slice(1).reduce((a, b) => a + b, 0)) / (x.length - 1);
  return { f1: x[0], f2: g * (1 - Math.sqrt(x[0] / g)) };
}

async function run(config: StudyConfig, f: (x: number[]) => Record<string, number>, budget: number, seed: number, batch = 1): Promise<TrialView[]> {
  const policy = createSuggestionPolicy(config);
  const trials: TrialView[] = [];
  let state: PolicyState = {};
  while (trials.length < budget) {
    const result = await policy.suggest({ study: { config, trials }, count: batch, seed: seed * 1000 + trials.length, state });
    state = result.state;
    for (const s of result.suggestions) {
      const x = config.parameters.map((p) => s.parameters[p.name] as number);
      trials.push(succeeded(trials.length + 1, f(x), s.parameters));
    }
  }
  return trials;
}

function zdt1Hypervolume(config: StudyConfig, trials: TrialView[]): number {
  const front = bestTrials({ config, trials }).map((t) => [-(t.finalMeasurement!.metrics.f1), -(t.finalMeasurement!.metrics.f2)]);
  return hypervolume(front, [-1.1, -11]);
}

describe('metric roles in the config', () => {
  const withMetrics = (metrics: MetricSpec[]) => baseConfig({ metrics });
  const reason = (metrics: MetricSpec[]): string => {
    try {
      validateStudyConfig(withMetrics(metrics));
      return 'valid';
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidArgumentError);
      return (e as Error).message;
    }
  };

  it('accepts objectives, tracked metrics and constraints with a threshold', () => {
    expect(reason([
      { name: 'acc', goal: 'MAXIMIZE' },
      { name: 'latency_ms', goal: 'MINIMIZE', role: 'CONSTRAINT', threshold: 20 },
      { name: 'size', goal: 'MINIMIZE', role: 'OBJECTIVE', referencePoint: 1e6 },
      { name: 'loss', goal: 'MINIMIZE', role: 'TRACKED' },
    ])).toBe('valid');
  });

  it('names the field and the rule for every misuse', () => {
    expect(reason([{ name: 'a', goal: 'MAXIMIZE', role: 'TRACKED' }, { name: 'b', goal: 'MAXIMIZE' }])).toMatch(/metrics\[0\]\.role.*must be OBJECTIVE.*got TRACKED/);
    expect(reason([{ name: 'a', goal: 'MAXIMIZE' }, { name: 'b', goal: 'MINIMIZE', role: 'CONSTRAINT' }])).toMatch(/metrics\[1\]\.threshold.*required/);
    expect(reason([{ name: 'a', goal: 'MAXIMIZE' }, { name: 'b', goal: 'MINIMIZE', role: 'CONSTRAINT', threshold: Number.NaN }])).toMatch(/metrics\[1\]\.threshold.*finite/);
    expect(reason([{ name: 'a', goal: 'MAXIMIZE', threshold: 1 }])).toMatch(/metrics\[0\]\.threshold.*only to a CONSTRAINT/);
    expect(reason([{ name: 'a', goal: 'MAXIMIZE' }, { name: 'b', goal: 'MAXIMIZE', role: 'TRACKED', referencePoint: 0 }])).toMatch(/metrics\[1\]\.reference_point.*only to an OBJECTIVE/);
    expect(reason([{ name: 'a', goal: 'MAXIMIZE' }, { name: 'b', goal: 'MAXIMIZE', role: 'BOGUS' as never }])).toMatch(/metrics\[1\]\.role.*OBJECTIVE, TRACKED, CONSTRAINT.*BOGUS/);
  });
});

describe('ListOptimalTrials with roles', () => {
  it('ignores TRACKED metrics: one objective gives one best trial', () => {
    const config = baseConfig({ metrics: [{ name: 'acc', goal: 'MAXIMIZE' }, { name: 'loss', goal: 'MINIMIZE', role: 'TRACKED' }] });
    const trials = [succeeded(1, { acc: 0.9, loss: 0.5 }), succeeded(2, { acc: 0.8, loss: 0.1 })];
    expect(bestTrials({ config, trials }).map((t) => t.id)).toEqual([1]);
  });

  it('never returns a trial that misses a constraint, or lacks its value', () => {
    const config = baseConfig({ metrics: [{ name: 'acc', goal: 'MAXIMIZE' }, { name: 'ms', goal: 'MINIMIZE', role: 'CONSTRAINT', threshold: 20 }] });
    const trials = [succeeded(1, { acc: 0.95, ms: 30 }), succeeded(2, { acc: 0.9, ms: 20 }), succeeded(3, { acc: 0.99 })];
    expect(bestTrials({ config, trials }).map((t) => t.id)).toEqual([2]);
    expect(isFeasible(config, trials[1].finalMeasurement)).toBe(true);
    expect(isFeasible(config, trials[2].finalMeasurement)).toBe(false);
  });

  it('returns the feasible Pareto set over the objectives only', () => {
    const config = baseConfig({ metrics: [
      { name: 'acc', goal: 'MAXIMIZE' }, { name: 'size', goal: 'MINIMIZE' },
      { name: 'ms', goal: 'MINIMIZE', role: 'CONSTRAINT', threshold: 20 }, { name: 'loss', goal: 'MINIMIZE', role: 'TRACKED' },
    ] });
    const trials = [
      succeeded(1, { acc: 0.9, size: 10, ms: 5, loss: 9 }),
      succeeded(2, { acc: 0.8, size: 5, ms: 5, loss: 0 }),
      succeeded(3, { acc: 0.99, size: 1, ms: 50, loss: 0 }), // dominates both, but infeasible
      succeeded(4, { acc: 0.7, size: 6, ms: 5, loss: 0 }), // dominated by 2
    ];
    expect(bestTrials({ config, trials }).map((t) => t.id)).toEqual([1, 2]);
  });
});

describe('GP_BANDIT with several objectives and constraints', () => {
  const zdtConfig = (algorithm: StudyConfig['algorithm']) => baseConfig({
    algorithm, parameters: unitParameters(4),
    metrics: [{ name: 'f1', goal: 'MINIMIZE' }, { name: 'f2', goal: 'MINIMIZE' }],
  });

  it('finds a larger ZDT1 hypervolume than quasi-random search in 30 evaluations (3 seeds, paired)', async () => {
    for (const seed of [1, 2, 3]) {
      const gp = zdt1Hypervolume(zdtConfig('GP_BANDIT'), await run(zdtConfig('GP_BANDIT'), zdt1, 30, seed));
      const qr = zdt1Hypervolume(zdtConfig('QUASI_RANDOM_SEARCH'), await run(zdtConfig('QUASI_RANDOM_SEARCH'), zdt1, 30, seed));
      expect(gp).toBeGreaterThan(qr);
    }
  }, 120_000);

  it('hands a batch distinct points with the scalarization in the reason, and keeps every metric\'s fit in the state', async () => {
    const config = zdtConfig('GP_BANDIT');
    const trials = await run(config, zdt1, 12, 5);
    const policy = createSuggestionPolicy(config);
    const first = await policy.suggest({ study: { config, trials }, count: 3, seed: 9, state: {} });
    expect(first.suggestions).toHaveLength(3);
    expect(new Set(first.suggestions.map((s) => JSON.stringify(s.parameters))).size).toBe(3);
    for (const s of first.suggestions) expect(s.reason).toMatch(/^GP scalarized UCB gain .* \(weights \d\.\d\d, \d\.\d\d\)$/);
    const part = first.state[MULTI_METRIC_STATE_PART] as unknown as { hyperparameters: Record<string, unknown> };
    expect(Object.keys(part.hyperparameters).sort()).toEqual(['f1', 'f2']);
    expect(first.fits).toEqual([{ model: MULTI_METRIC_STATE_PART, start: 'cold' }]);
    const again = await policy.suggest({ study: { config, trials }, count: 1, seed: 10, state: first.state });
    expect(again.fits).toEqual([{ model: MULTI_METRIC_STATE_PART, start: 'warm' }]);
  }, 60_000);

  it('under a constraint, finds the constrained optimum and mostly suggests feasible points', async () => {
    // Minimise the distance to (0.8, 0.8) subject to x + y ≤ 1: the optimum is (0.5, 0.5), value 0.18.
    const config = baseConfig({
      algorithm: 'GP_BANDIT', parameters: unitParameters(2),
      metrics: [{ name: 'dist', goal: 'MINIMIZE' }, { name: 'sum', goal: 'MINIMIZE', role: 'CONSTRAINT', threshold: 1 }],
    });
    const f = ([x, y]: number[]) => ({ dist: (x - 0.8) ** 2 + (y - 0.8) ** 2, sum: x + y });
    const trials = await run(config, f, 30, 4);
    const best = bestTrials({ config, trials });
    expect(best).toHaveLength(1);
    expect(best[0].finalMeasurement!.metrics.dist).toBeLessThan(0.2);
    const late = trials.slice(15);
    expect(late.filter((t) => t.finalMeasurement!.metrics.sum <= 1).length).toBeGreaterThanOrEqual(10);
  }, 60_000);

  it('follows a user prior (πBO) after the initial design: x1, which no objective cares about, stays near the prior\'s centre', async () => {
    // f1 = x0, f2 = 1 − x0: every x0 is on the front and x1 changes nothing, so only the prior tells the
    // acquisition where x1 should be. The same study without the prior spreads x1 over the box.
    const f = (x: number[]) => ({ f1: x[0], f2: 1 - x[0] + 0.01 * Math.sin(7 * x[1]) });
    const withPrior = (prior: boolean): StudyConfig => baseConfig({
      algorithm: 'GP_BANDIT', metrics: [{ name: 'f1', goal: 'MINIMIZE' }, { name: 'f2', goal: 'MINIMIZE' }],
      parameters: [unitParameters(2)[0], { ...unitParameters(2)[1], ...(prior ? { prior: { center: 0.8, width: 0.05 } } : {}) }],
    });
    const distance = async (prior: boolean): Promise<number> => {
      const trials = await run(withPrior(prior), f, 24, 5);
      const gpPhase = trials.slice(12).map((t) => Math.abs((t.parameters.x1 as number) - 0.8));
      return gpPhase.reduce((a, b) => a + b, 0) / gpPhase.length;
    };
    const [guided, unguided] = [await distance(true), await distance(false)];
    expect(guided).toBeLessThan(0.1);
    expect(guided).toBeLessThan(unguided / 2);
  }, 60_000);
});

/** Runs a suggestion policy on a benchmark function, one trial at a time as a sequential user would,
 *  threading GP_BANDIT's modelState from call to call as the server does. Shared by the quality bench
 *  and the convergence tests. */
import { createSuggestionPolicy } from '@hpo/core';
import { createGpBanditPolicy, type GpBanditOptions } from '@hpo/core';
import { bestTrials, optimalTrials, studyConfig } from '@hpo/core';
import type { AcquisitionName, AlgorithmName, PolicyState, StudyConfig, TrialView } from '@hpo/core';
import { Rng, mixSeed } from '@hpo/space';
import { parametersOf, pointOf, type BenchmarkFunction } from './standard-functions';

export function benchmarkConfig(f: BenchmarkFunction, algorithm: AlgorithmName, acquisition: AcquisitionName, seed: number): StudyConfig {
  return studyConfig({
    parameters: parametersOf(f),
    metrics: [{ name: 'value', goal: 'MINIMIZE' }],
    algorithm,
    acquisition,
    problemDescription: `minimise ${f.name}`,
    seed,
    leaseSeconds: 60,
  });
}

export interface RunResult {
  /** Simple regret after each evaluation: min over evaluated points of the noise-free f, minus f*. */
  regret: number[];
  /** Wall-clock milliseconds spent in suggest() per call. */
  suggestMs: number[];
  /** At each checkpoint (evaluations → value): the regret of the trial ListOptimalTrials returns
   *  (optimalTrials: best posterior mean in a study the GP finds noisy, else best observed), and
   *  whether it was chosen by posterior mean. */
  recommended: Record<number, { regret: number; byPosteriorMean: boolean; bestObservedRegret: number }>;
}

export async function runBenchmark(
  f: BenchmarkFunction, algorithm: AlgorithmName, acquisition: AcquisitionName, budget: number, seed: number,
  gpBanditOptions?: GpBanditOptions, checkpoints: number[] = [],
  /** Changes the study's config before the run (the user-prior bench sets parameters' priors). */
  configure: (config: StudyConfig) => StudyConfig = (c) => c,
): Promise<RunResult> {
  const config = configure(benchmarkConfig(f, algorithm, acquisition, seed));
  // GP_BANDIT with non-default options (the bench's ablations); otherwise the server's own policy.
  const policy = gpBanditOptions && algorithm === 'GP_BANDIT' ? createGpBanditPolicy(config, gpBanditOptions) : createSuggestionPolicy(config);
  const noise = new Rng(mixSeed(seed, 0x4015e));
  const trials: TrialView[] = [];
  const regret: number[] = [];
  const suggestMs: number[] = [];
  let best = Number.POSITIVE_INFINITY;
  let state: PolicyState = {};
  const recommended: RunResult['recommended'] = {};
  for (let t = 0; t < budget; t++) {
    const request = { study: { config, trials }, count: 1, seed: mixSeed(seed, t), state };
    const started = performance.now();
    const result = await policy.suggest(request);
    state = result.state;
    const suggestion = result.suggestions[0];
    suggestMs.push(performance.now() - started);
    const x = pointOf(f, suggestion.parameters);
    const clean = f.evaluate(x);
    const observed = clean + (f.noise > 0 ? f.noise * noise.normal() : 0);
    best = Math.min(best, clean);
    regret.push(best - f.minimum);
    trials.push({
      id: t + 1, state: 'SUCCEEDED', parameters: suggestion.parameters, measurements: [],
      finalMeasurement: { step: 0, metrics: { value: observed }, elapsedSeconds: 0 },
    });
    if (checkpoints.includes(t + 1)) {
      const optimal = optimalTrials({ config, trials });
      const trueRegret = (trial: TrialView) => f.evaluate(pointOf(f, trial.parameters)) - f.minimum;
      recommended[t + 1] = {
        regret: trueRegret(optimal.trials[0]),
        byPosteriorMean: optimal.reason !== undefined,
        // What ListOptimalTrials returned before: the best observed (noisy) value's trial.
        bestObservedRegret: trueRegret(bestTrials({ config, trials })[0]),
      };
    }
  }
  return { regret, suggestMs, recommended };
}

export function quantile(values: number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

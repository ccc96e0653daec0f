/** Synthetic learning curves with known asymptotes for the tests: y(t) = a(x) + b·exp(−t/τ) + noise,
 *  the asymptote a a smooth function of the configuration. */
import { Rng } from '@hpo/space';
import { TrialLearningCurve } from '../src/freeze-thaw-model';

export interface SyntheticTrial extends TrialLearningCurve {
  /** The noise-free curve value at maxStep: what a predicted final value should match. */
  trueFinal: number;
}

export function syntheticStudy(rng: Rng, trials: number, maxStep: number, noise = 0.02): SyntheticTrial[] {
  return Array.from({ length: trials }, (_, k) => {
    const x = [rng.uniform(), rng.uniform()];
    const a = 0.2 + 0.8 * ((x[0] - 0.3) ** 2 + 0.5 * (x[1] - 0.6) ** 2);
    const b = 0.8 + 0.6 * rng.uniform();
    const tau = 2 + 4 * rng.uniform();
    const length = 4 + rng.integer(maxStep - 8);
    const steps = Array.from({ length }, (_, i) => i + 1);
    return {
      trialId: k + 1,
      x,
      steps,
      values: steps.map((t) => a + b * Math.exp(-t / tau) + noise * rng.normal()),
      trueFinal: a + b * Math.exp(-maxStep / tau),
    };
  });
}

/** The kernel of the asymptotes' GP over configurations (Swersky et al. 2014, §3: "the asymptotes
 *  share a GP over hyperparameters"). Kept behind a small interface so the model can take libs/gp's
 *  Matérn-5/2 or any correlation the caller injects; the default is libs/gp's Matérn-5/2 made isotropic
 *  on the unit-cube encoding, with one fitted lengthscale (an ARD kernel has too many parameters for
 *  the few curves a study has when freeze-thaw decides). */
import { kernelOfSquaredDistance } from '@hpo/gp';

export interface ConfigurationKernel {
  /** Number of log-hyperparameters the kernel adds to the marginal-likelihood fit (0 for a fixed kernel). */
  readonly parameterCount: number;
  /** Starting values and box bounds of those log-hyperparameters. */
  readonly initial: readonly number[];
  readonly lower: readonly number[];
  readonly upper: readonly number[];
  /** Correlation (unit amplitude, 1 on the diagonal) between two encoded configurations. */
  correlation(a: ArrayLike<number>, b: ArrayLike<number>, logParameters: readonly number[]): number;
}

/** Matérn-5/2 correlation at scaled distance r = ‖a − b‖ / ℓ: (1 + √5 r + 5r²/3) exp(−√5 r) (libs/gp). */
export function matern52Correlation(r: number): number {
  return kernelOfSquaredDistance('MATERN52', r * r);
}

export const isotropicMatern52Kernel: ConfigurationKernel = {
  parameterCount: 1,
  // log ℓ: 0.5 of the unit cube to start; from 0.05 (almost independent trials) to 20 (almost constant).
  initial: [Math.log(0.5)],
  lower: [Math.log(0.05)],
  upper: [Math.log(20)],
  correlation(a, b, logParameters) {
    let d2 = 0;
    for (let i = 0; i < a.length; i++) d2 += (a[i] - b[i]) * (a[i] - b[i]);
    return matern52Correlation(Math.sqrt(d2) / Math.exp(logParameters[0]));
  },
};

/** Wraps a fixed correlation function (e.g. libs/gp's kernel with hyperparameters fitted elsewhere). */
export function fixedConfigurationKernel(correlation: (a: ArrayLike<number>, b: ArrayLike<number>) => number): ConfigurationKernel {
  return { parameterCount: 0, initial: [], lower: [], upper: [], correlation: (a, b) => correlation(a, b) };
}

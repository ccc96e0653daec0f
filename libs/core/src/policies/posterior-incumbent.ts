/** ListOptimalTrials in a noisy study: the best observed value is the trial that was luckiest, not the
 *  best configuration (with N(0, 0.1²) noise on Hartmann-6 the best observation is typically 0.1–0.2
 *  below its true value). When the study's GP attributes a material share of the spread to noise, the
 *  optimal trial is the one whose posterior mean is best (BoTorch's and Vizier's recommendation for noisy
 *  problems), and the answer says so. Deterministic studies (the fitted noise stays near its floor) keep
 *  the best observed trial.
 *
 *  Only for single-objective studies run by a GP algorithm: the model is the study's own (same encoding,
 *  output warping and length-scale prior; see NOISE_PRIOR for the noise). Pure; the server runs it in its
 *  policy worker (a fit costs up to ~0.1 s). */
import {
  fitGaussianProcess, fitHyperparameters, fitOutputTransform, standardize, warpOutputs, type GaussianProcess, type HyperparameterPriorName,
} from '@hpo/gp';
import { createEncoder } from '@hpo/space';
import { bestTrials } from '../best-trials';
import { objectiveValue } from '../objective';
import type { StudyView, TrialView } from '../types';
import { isMultiMetric } from '../metric-roles';

/** Noise variance (in the GP's standardised output units) from which a study counts as noisy: a noise
 *  standard deviation of 10 % of the observed spread. Deterministic benchmark functions fit 1e-6–1e-3
 *  (Branin, Hartmann, Rosenbrock, Levy; Ackley's roughness up to ~3e-3), noisy Hartmann-6 (σ = 0.1)
 *  0.02–0.2 (bench/results/gp-noise). */
export const NOISY_VARIANCE = 0.01;
/** The study's own prior. A weak noise prior (DIMENSION_SCALED_WEAK_NOISE) learns the noise from fewer
 *  points but also calls deterministic studies noisy from few points (Branin from 20 random points:
 *  σ ≈ 5.5), and a wrong "noisy" verdict would hide a deterministic study's true best trial. */
const NOISE_PRIOR: HyperparameterPriorName = 'DIMENSION_SCALED';
/** A model that calls more than this share of the spread noise does not fit the metric (Rosenbrock's
 *  heavy tail from 60 random points: σ_n ≈ 10⁴); its posterior mean is no better than the observations. */
const MAX_TRUSTED_NOISE_VARIANCE = 0.5;
/** Fewer completed trials than this: no model worth trusting over the observations. */
const MIN_TRIALS = 8;
/** Past this many trials the posterior keeps the best ones (where the optimum is) and the fit a spread
 *  of 128, so the call's cost stays bounded. */
const MAX_POSTERIOR_TRIALS = 400;
const MAX_FIT_TRIALS = 128;

export interface OptimalTrials {
  trials: TrialView[];
  /** Set when the trial was chosen by posterior mean: why, in words, with the numbers. */
  reason?: string;
}

export function optimalTrials(study: StudyView): OptimalTrials {
  const plain = bestTrials(study);
  const { config } = study;
  if (isMultiMetric(config) || (config.algorithm !== 'GP_BANDIT' && config.algorithm !== 'LLM_GP_BANDIT')) return { trials: plain };
  const sign = config.metrics[0].goal === 'MAXIMIZE' ? 1 : -1;
  const scored: { trial: TrialView; y: number }[] = [];
  for (const trial of study.trials) {
    if (trial.state !== 'SUCCEEDED') continue;
    const v = objectiveValue(config, trial.finalMeasurement);
    if (v !== undefined) scored.push({ trial, y: sign * v });
  }
  if (scored.length < MIN_TRIALS) return { trials: plain };
  // The best trials by observation; ties keep id order, as bestTrials does.
  const kept = [...scored].sort((a, b) => b.y - a.y || a.trial.id - b.trial.id).slice(0, MAX_POSTERIOR_TRIALS);
  const encoder = createEncoder({ parameters: config.parameters });
  const d = encoder.dimension;
  const x = new Float64Array(kept.length * d);
  kept.forEach((s, i) => x.set(encoder.encode(s.trial.parameters), i * d));
  const raw = Float64Array.from(kept, (s) => s.y);
  const warped = warpOutputs(raw, 'HALF_RANK_COMPRESS');
  const gp = fitPosterior(x, warped, d);
  const noiseVariance = Math.exp(gp.hyperparameters.logNoiseVariance);
  if (noiseVariance < NOISY_VARIANCE || noiseVariance > MAX_TRUSTED_NOISE_VARIANCE) return { trials: plain };

  const { mean } = gp.predict(x, kept.length);
  let best = 0;
  for (let i = 1; i < kept.length; i++) if (mean[i] > mean[best]) best = i;
  // Warping keeps values at or above the median as they are, so the good half's units are the metric's.
  const toMetric = (standardised: number) => sign * (standardised * gp.transform.scale + gp.transform.offset);
  // A posterior mean beyond every observation is an extrapolating model (a heavy-tailed metric it cannot
  // fit), not a denoised one.
  const expected = mean[best] * gp.transform.scale + gp.transform.offset;
  if (expected > kept[0].y || expected < kept[kept.length - 1].y) return { trials: plain };
  const chosen = kept[best];
  const observedBest = kept[0];
  const noise = Math.sqrt(noiseVariance) * gp.transform.scale;
  const fmt = (v: number) => v.toPrecision(4);
  const reason =
    `best posterior mean (noisy study: the GP puts the observation noise at σ ≈ ${fmt(noise)}): ` +
    `trial ${chosen.trial.id}'s expected value ${fmt(toMetric(mean[best]))}, observed ${fmt(sign * chosen.y)}` +
    (chosen === observedBest ? '' : `; the best observed value (trial ${observedBest.trial.id}, ${fmt(sign * observedBest.y)}) is likely noise`);
  return { trials: [chosen.trial], reason };
}

/** MAP hyperparameters on at most MAX_FIT_TRIALS rows (the best quarter and an even spread of the rest),
 *  then the posterior on every row. */
function fitPosterior(x: Float64Array, warped: Float64Array, d: number): GaussianProcess {
  const n = warped.length;
  if (n <= MAX_FIT_TRIALS) return fitGaussianProcess({ x, y: warped, d, restarts: 2, seed: n, prior: NOISE_PRIOR });
  // Rows are sorted best first: the first quarter of the subset is the best, the rest spread evenly.
  const rows: number[] = [];
  const head = MAX_FIT_TRIALS / 4;
  for (let i = 0; i < head; i++) rows.push(i);
  const slots = MAX_FIT_TRIALS - head;
  for (let k = 0; k < slots; k++) rows.push(head + Math.floor((k * (n - head)) / slots));
  const transform = fitOutputTransform(warped);
  const y = standardize(warped, transform);
  const sx = new Float64Array(rows.length * d);
  const sy = new Float64Array(rows.length);
  rows.forEach((r, i) => {
    sx.set(x.subarray(r * d, r * d + d), i * d);
    sy[i] = y[r];
  });
  const fit = fitHyperparameters({ x: sx, y: sy, n: rows.length, d }, { restarts: 2, seed: n, prior: NOISE_PRIOR });
  return fitGaussianProcess({ x, y: warped, d, hyperparameters: fit.hyperparameters });
}

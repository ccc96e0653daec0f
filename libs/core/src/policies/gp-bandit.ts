/** GP_BANDIT (and LLM_GP_BANDIT, the same policy fed with the LLM's proposals): Bayesian optimisation with
 *  a Gaussian process on the space's unit-cube encoding (libs/gp) and log-EI / EI / UCB / PI acquisition
 *  (libs/acquisition), after a quasi-random initial design.
 *
 *  Pure and serialisable: everything comes from the SuggestRequest, so it runs unchanged in a worker
 *  thread. Deterministic given the request (seed, trials, state).
 *
 *  Cost control (documented for the server and the benchmarks):
 *  - The Cholesky factor from the hyperparameter fit is the one the acquisition uses.
 *  - Hyperparameters, with the state's 'gp' part (the previous call's fit): a full multi-start fit when there is
 *    no state or the observations grew by 20 % since the last full fit (O(log n) full fits over a
 *    study); a warm-started refinement (a few L-BFGS steps from the previous optimum) when they grew by
 *    5 % (at least one) since the last refinement; otherwise the previous hyperparameters as they are
 *    (one Cholesky). Hyperparameters move little when a large data set gains a point, so most calls at
 *    large n pay only for the factorisation and the acquisition.
 *  - Past MAX_FIT_POINTS observations, hyperparameters are fitted on a subset (the best quarter plus an
 *    even spread of the rest); past MAX_MODEL_POINTS, the model itself keeps the best points plus the
 *    most recent ones (a crude trust region around what matters now), so a suggestion's cost stops
 *    growing with the study.
 *  - While hyperparameters are reused, the Cholesky factor of the previous call (same thread) is
 *    extended by the new rows, O(n²) each, instead of refactored (CholeskyCache). */
import { selectBatch } from '@hpo/acquisition';
import { defaultTrustRegionSettings, replayTrustRegion, trustRegionBox, type Box } from '@hpo/acquisition';
import type { AcquisitionKind } from '@hpo/acquisition';
import { fitHyperparameters } from '@hpo/gp';
import { CholeskyCache, GaussianProcess } from '@hpo/gp';
import { DEFAULT_HYPERPARAMETER_PRIOR, MIN_NOISE_VARIANCE, type GpHyperparameters, type HyperparameterPriorName } from '@hpo/gp';
import { warpOutputs, type OutputWarping } from '@hpo/gp';
import { fitOutputTransform, standardize } from '@hpo/gp';
import { assignmentKey } from '@hpo/space';
import { createEncoder } from '@hpo/space';
import { haltonSequence } from '@hpo/space';
import { encodedPrior, samplePrior, type EncodedPrior } from '@hpo/space';
import { Rng, mixSeed } from '@hpo/space';
import type { SearchSpace, SpaceEncoder } from '@hpo/space';
import { designPhase, initialDesign } from '../initial-design';
import { isMultiMetric } from '../metric-roles';
import { multiMetricSuggest } from './gp-bandit-multi-metric';
import { decayingPrior } from './pi-bo-weight';
import { isWarmStartDominated, warmStartPrior } from './warm-start-prior';
import { objectiveValue } from '../objective';
import type { ModelFit, ModelState, PolicyState, StudyConfig, StudyView, SuggestRequest, SuggestResult, Suggestion, SuggestionPolicy, TrialState } from '../types';
import { usedConfigurationKeys } from './used-configurations';

/** Observations above which hyperparameters are fitted on a subset: the fit costs O(n³) per likelihood
 *  evaluation (with an explicit inverse for the gradient) times dozens of evaluations, while 128
 *  well-chosen points (the best quarter and an even spread of the rest) pin the length scales well. */
export const MAX_FIT_POINTS = 128;
/** Observations above which the model keeps a subset (best + most recent). One O(n³) factorisation of
 *  1000 points costs ~0.3 s here, the bench's budget at n = 1000. */
export const MAX_MODEL_POINTS = 1000;
/** A full multi-start refit when observations grew by this factor since the last one. */
const FULL_REFIT_GROWTH = 1.2;
/** A warm-started refinement when observations grew by this factor (and at least one) since the last. */
const WARM_REFIT_GROWTH = 1.05;
/** Same salt as QUASI_RANDOM_SEARCH uses, so a study's initial design is the same Halton sequence. */
const HALTON_SALT = 0x51a1;
/** Outliers (a diverged run, a misleading warm start) no longer set the GP's scale: 3–60× lower regret at
 *  budget 100 on Branin, Hartmann-3/6 and Rosenbrock-4, within noise on Ackley, Levy and noisy Hartmann-6
 *  (bench/results/gp-output-warping/gp-quality.md). */
const DEFAULT_OUTPUT_WARPING: OutputWarping = 'HALF_RANK_COMPRESS';
/** Factors kept between calls in this thread: while hyperparameters are reused, the next call's inputs
 *  are these plus the new trials, and the factor extends in O(n²) a trial instead of O(n³/3)
 *  (libs/gp/src/cholesky-cache.ts; bench/results/gp-latency.md). */
const choleskyCache = new CholeskyCache();
const PENDING_STATES: ReadonlySet<TrialState> = new Set(['REQUESTED', 'ACTIVE', 'PAUSED', 'STOPPING']);

/** The policy state part GP_BANDIT owns. */
export const GP_STATE_PART = 'gp';
/** Bumped when GpBanditModelState changes shape: an older part then costs one cold fit. */
export const GP_STATE_VERSION = 1;

/** What a GP_BANDIT call keeps for the next call (JSON-serialisable, a few dozen numbers). */
export interface GpBanditModelState extends ModelState {
  version: typeof GP_STATE_VERSION;
  hyperparameters: GpHyperparameters;
  /** Observations at the last full multi-start fit. */
  fullFitObservations: number;
  /** Observations at the last fit of any kind (full or warm refinement). */
  refitObservations: number;
}

/** The GP's part of a policy state, when it is usable for a space of encoded dimension `d`. */
export function gpModelState(state: PolicyState | undefined, d: number): GpBanditModelState | undefined {
  return readModelState(state?.[GP_STATE_PART], d);
}

export type GpBanditPolicy = SuggestionPolicy;

export interface GpBanditOptions {
  /** The warm-start gate (warmStartGateState; default true). false: warm-start proposals lead the initial
   *  design unconditionally (the benchmark's "-ungated" ablation). */
  warmStartGate?: boolean;
  /** The LLM warm start as a πBO prior after the design (warm-start-prior.ts; default true). false: the
   *  benchmark's "-noprior" ablation. */
  warmStartPrior?: boolean;
  /** Output warping before standardisation (libs/gp/src/output-warping.ts; default HALF_RANK_COMPRESS). */
  outputWarping?: OutputWarping;
  /** Hyperparameter prior (libs/gp/src/hyperparameters.ts; default DEFAULT_HYPERPARAMETER_PRIOR). */
  prior?: HyperparameterPriorName;
  /** Extend the previous call's Cholesky factor while hyperparameters are reused (default true; false:
   *  refactor every call, the latency bench's reference). */
  incrementalCholesky?: boolean;
  /** Search the acquisition inside a TuRBO-style trust region around the incumbent
   *  (libs/acquisition/src/trust-region.ts). AUTO: from TRUST_REGION_MIN_DIMENSION encoded dimensions on;
   *  ON / OFF: always / never. Default DEFAULT_TRUST_REGION. */
  trustRegion?: TrustRegionMode;
}

export type TrustRegionMode = 'AUTO' | 'ON' | 'OFF';

/** Encoded dimension from which AUTO uses the trust region. */
export const TRUST_REGION_MIN_DIMENSION = 12;
/** OFF until bench/src/gp-high-dim.ts shows the region beating the global search (it has not yet:
 *  bench/results/gp-high-dim/gp-high-dim.md). */
export const DEFAULT_TRUST_REGION: TrustRegionMode = 'OFF';

export function createGpBanditPolicy(config: StudyConfig, options: GpBanditOptions = {}): GpBanditPolicy {
  const space: SearchSpace = { parameters: config.parameters };
  const encoder = createEncoder(space);
  const prior = encodedPrior(space, encoder);
  const halton = haltonSequence(encoder.dimension, mixSeed(config.seed, HALTON_SALT));
  // πBO: with user priors, every other design point is the Halton point pushed through the prior, the
  // rest stay space-filling. A design drawn wholly from a wrong prior left the GP nothing outside the
  // wrong basin: misleading priors on Hartmann-3 stuck every seed at regret 2.86 (plain 2.8e-6; 5 seeds,
  // budget 60), alternating 3 of 5 seeds escape by 40 trials (bench/results/user-prior.md).
  const design = prior ? { point: (i: number) => (i % 2 === 0 ? samplePrior(prior, halton.point(i)) : halton.point(i)) } : halton;
  const settings: GpBanditSettings = {
    warmStartGate: options.warmStartGate ?? true,
    warmStartPrior: options.warmStartPrior ?? true,
    outputWarping: options.outputWarping ?? DEFAULT_OUTPUT_WARPING,
    prior: options.prior ?? DEFAULT_HYPERPARAMETER_PRIOR,
    incrementalCholesky: options.incrementalCholesky ?? true,
    trustRegion: options.trustRegion ?? DEFAULT_TRUST_REGION,
  };
  return {
    name: config.algorithm === 'LLM_GP_BANDIT' ? 'LLM_GP_BANDIT' : 'GP_BANDIT',
    async suggest(request) {
      return gpBanditSuggest(config, space, encoder, design, request, settings, prior);
    },
  };
}

interface Observations {
  /** Per observation: variance (objective units², larger-is-better orientation is irrelevant for a
   *  variance) of a predicted final value; 0 for a measured one. */
  variance: number[];
  x: Float64Array[];
  /** Larger is better (the objective, negated for MINIMIZE); infeasible trials get the worst value. */
  y: number[];
  pending: Float64Array[];
  /** Final values in the order observed (larger is better, −∞ for INFEASIBLE): the trust region's replay. */
  history: number[];
}

type GpBanditSettings = Required<GpBanditOptions>;

function gpBanditSuggest(
  config: StudyConfig, space: SearchSpace, encoder: SpaceEncoder, design: { point(i: number): Float64Array }, request: SuggestRequest,
  settings: GpBanditSettings, prior: EncodedPrior | undefined,
): SuggestResult {
  const state: PolicyState = request.state ?? {};
  const { study, count } = request;
  const used = usedConfigurationKeys(space, study);
  const suggestions: Suggestion[] = [];
  const take = (s: Suggestion): boolean => {
    const key = assignmentKey(space, s.parameters);
    if (used.has(key)) return false;
    used.add(key);
    suggestions.push(s);
    return true;
  };

  if (designPhase(config, study, new Set((request.curvePredictions ?? []).map((p) => p.trialId))).inDesign) {
    // Initial design: the LLM's warm start (already validated against the space) while the gate lets it,
    // then Halton; slot i of the design gets Halton point i, so the gate can tell the two apart.
    const gate = settings.warmStartGate ? warmStartGateState(config, space, study, encoder, design) : 'open';
    if (gate === 'lead') fillFromDesign(design, encoder, study.trials.length, Math.min(count, 1), suggestions, take);
    for (const c of gate === 'closed' ? [] : request.externalCandidates ?? []) {
      if (suggestions.length >= count) break;
      if (c.origin === 'llm-warm-start') take({ parameters: c.parameters, origin: 'llm-warm-start', reason: `initial design: ${c.reason ?? 'llm warm start'}` });
    }
    fillFromDesign(design, encoder, study.trials.length + suggestions.length, count, suggestions, take);
    // No model yet: whatever state there is (another part, or a fit from before a restart) stays.
    return { suggestions, state };
  }

  // The LLM's warm start, unless dominated by the space-filling design, weights the acquisition like a
  // user's prior (warm-start-prior.ts); the user's own priors win where both exist.
  const acquisitionPrior = settings.warmStartPrior ? warmStartPrior(study, encoder, prior) : prior;
  if (isMultiMetric(config)) {
    const multi = multiMetricSuggest({
      config, study, encoder, count, seed: request.seed, state, take, prior: acquisitionPrior,
      isFree: (x) => !used.has(assignmentKey(space, encoder.decode(x))),
    });
    fillFromDesign(design, encoder, study.trials.length + suggestions.length, count, suggestions, take);
    return { suggestions, state: multi.state, fits: multi.fits };
  }

  const observations = collectObservations(config, study, encoder, request);
  const model = buildModel(observations, encoder.dimension, request, settings);
  const external = (request.externalCandidates ?? []).map((c) => encoder.encode(c.parameters));
  const kind: AcquisitionKind = config.acquisition ?? 'LOG_EI';
  const region = trustRegionFor(config, settings.trustRegion, encoder.dimension, observations.history, model.gp);
  const chosen = selectBatch({
    gp: model.gp,
    kind,
    count,
    rng: new Rng(mixSeed(request.seed, 0xacc)),
    pending: observations.pending,
    project: (x) => encoder.project(x),
    external,
    ...acquisitionEffort(model.gp.n),
    accept: (c) => !used.has(assignmentKey(space, encoder.decode(c.x))),
    prior: kind === 'LOG_EI' || kind === 'PI' ? decayingPrior(acquisitionPrior, model.gp.n) : undefined,
    trustRegion: region?.box,
  });
  for (const c of chosen) {
    const value = c.value.toPrecision(3);
    const label = `${kind === 'LOG_EI' ? 'log-EI' : kind} ${value}${region ? ` in a trust region of side ${region.length.toPrecision(2)}` : ''}`;
    if (c.source === 'external' && c.externalIndex !== undefined) {
      const original = request.externalCandidates![c.externalIndex];
      take({ parameters: original.parameters, origin: original.origin, reason: `${original.reason ?? original.origin}, won on ${label}` });
    } else if (c.source === 'external-refined' && c.externalIndex !== undefined) {
      // The acquisition's local maximum next to a proposal: the GP's point, the proposal's neighbourhood.
      const original = request.externalCandidates![c.externalIndex];
      take({ parameters: encoder.decode(c.x), origin: 'gp', reason: `GP ${label}, refined from ${original.reason ?? original.origin}` });
    } else {
      take({ parameters: encoder.decode(c.x), origin: 'gp', reason: `GP ${label}` });
    }
  }
  // A nearly exhausted finite space can leave the model without a fresh candidate: walk the design.
  fillFromDesign(design, encoder, study.trials.length + suggestions.length, count, suggestions, take);
  return { suggestions, state: { ...state, [GP_STATE_PART]: model.state }, fits: [{ model: GP_STATE_PART, start: model.start }] };
}

/** Acquisition search effort by model size: each candidate's variance costs O(n²), so past a few hundred
 *  points the pool and the refinement shrink to keep a suggestion near the 1 s bar at n = 1000. */
function acquisitionEffort(n: number): { poolSize: number; localSize: number; refineStarts: number; refineIterations: number } {
  if (n <= 300) return { poolSize: 1024, localSize: 256, refineStarts: 4, refineIterations: 40 };
  if (n <= 600) return { poolSize: 512, localSize: 256, refineStarts: 3, refineIterations: 25 };
  return { poolSize: 384, localSize: 192, refineStarts: 2, refineIterations: 20 };
}

/** Encoded observations. INFEASIBLE trials enter at the worst feasible value, so the model learns to
 *  expect nothing good there and the acquisition steers away (Vizier treats them the same way), without
 *  a second model. Trials with a partial curve (running, paused, stopped early) enter through their
 *  predicted final value with that prediction's variance as extra noise (request.curvePredictions,
 *  from the freeze-thaw fit), never through a partial value taken as final; without a prediction they
 *  are pending (an EARLY_STOPPED one too: at least it is not suggested again). */
function collectObservations(config: StudyConfig, study: StudyView, encoder: SpaceEncoder, request: SuggestRequest): Observations {
  const sign = config.metrics[0].goal === 'MAXIMIZE' ? 1 : -1;
  const predicted = new Map((request.curvePredictions ?? []).filter((p) => Number.isFinite(p.value) && Number.isFinite(p.sd)).map((p) => [p.trialId, p]));
  const x: Float64Array[] = [];
  const y: number[] = [];
  const variance: number[] = [];
  const infeasible: Float64Array[] = [];
  const pending: Float64Array[] = [];
  const history: number[] = [];
  for (const trial of study.trials) {
    const prediction = predicted.get(trial.id);
    if (trial.state === 'SUCCEEDED') {
      const v = objectiveValue(config, trial.finalMeasurement);
      if (v === undefined) continue;
      x.push(encoder.encode(trial.parameters));
      y.push(sign * v);
      variance.push(0);
      history.push(sign * v);
    } else if (trial.state === 'INFEASIBLE') {
      infeasible.push(encoder.encode(trial.parameters));
      history.push(Number.NEGATIVE_INFINITY);
    } else if (prediction && (PENDING_STATES.has(trial.state) || trial.state === 'EARLY_STOPPED')) {
      x.push(encoder.encode(trial.parameters));
      y.push(sign * prediction.value);
      variance.push(prediction.sd * prediction.sd);
    } else if (PENDING_STATES.has(trial.state) || trial.state === 'EARLY_STOPPED') {
      pending.push(encoder.encode(trial.parameters));
    }
  }
  let worst = Number.POSITIVE_INFINITY;
  for (const v of y) worst = Math.min(worst, v);
  for (const p of infeasible) {
    x.push(p);
    y.push(Number.isFinite(worst) ? worst : 0);
    variance.push(0);
  }
  return { x, y, variance, pending, history };
}

/** The trust region for this call, or undefined when the search is global: L replayed from the study's
 *  values, centred on the observed point of best posterior mean (the best observed one when the
 *  objective is deterministic; under noise, not the luckiest draw), shaped by the fitted length scales. */
function trustRegionFor(
  config: StudyConfig, mode: TrustRegionMode, d: number, history: number[], gp: GaussianProcess,
): { box: Box; length: number } | undefined {
  if (mode === 'OFF' || (mode === 'AUTO' && d < TRUST_REGION_MIN_DIMENSION) || gp.n === 0) return undefined;
  const { length } = replayTrustRegion(history, initialDesign(config).size, defaultTrustRegionSettings(d));
  const { mean } = gp.predictMeanAndVarianceBound(gp.x, gp.n);
  let best = 0;
  for (let i = 1; i < gp.n; i++) if (mean[i] > mean[best]) best = i;
  return { box: trustRegionBox(gp.x.subarray(best * d, best * d + d), length, gp.hyperparameters.logLengthscales), length };
}

/** The warm-start gate: the initial design leads with one space-filling (Halton) point, and warm-start
 *  proposals are taken after it only while they are not dominated by the space-filling points evaluated so
 *  far (the best warm-start value at least the median space-filling value); once dominated, the rest of the
 *  design is Halton. Good advice keeps its slots; misleading advice (the worst region) costs one slot of
 *  the design instead of half of it, so the GP keeps its space-filling points (bench/results/llm.md).
 *  A trial is space-filling when it is the Halton point of its slot (the design hands slot i point i). */
function warmStartGateState(
  config: StudyConfig, space: SearchSpace, study: StudyView, encoder: SpaceEncoder, design: { point(i: number): Float64Array },
): 'lead' | 'open' | 'closed' {
  const sign = config.metrics[0].goal === 'MAXIMIZE' ? 1 : -1;
  const spaceFilling: number[] = [];
  const warm: number[] = [];
  let spaceFillingSuggested = 0;
  study.trials.forEach((trial, slot) => {
    const isSpaceFilling = assignmentKey(space, trial.parameters) === assignmentKey(space, encoder.decode(design.point(slot)));
    if (isSpaceFilling) spaceFillingSuggested++;
    const v = trial.state === 'SUCCEEDED' ? objectiveValue(config, trial.finalMeasurement) : undefined;
    if (v !== undefined) (isSpaceFilling ? spaceFilling : warm).push(sign * v);
  });
  if (spaceFillingSuggested === 0) return 'lead';
  return isWarmStartDominated(warm, spaceFilling) ? 'closed' : 'open';
}

function fillFromDesign(
  design: { point(i: number): Float64Array }, encoder: SpaceEncoder, start: number, count: number, suggestions: Suggestion[],
  take: (s: Suggestion) => boolean,
): void {
  // 64 sequence points per wanted suggestion before repeating (only tiny finite spaces get there).
  const limit = start + 64 * Math.max(count, 1);
  for (let index = start; suggestions.length < count && index < limit; index++) {
    take({ parameters: encoder.decode(design.point(index)), origin: 'design', reason: `initial design (Halton point ${index})` });
  }
  for (let k = 0; suggestions.length < count; k++) {
    suggestions.push({ parameters: encoder.decode(design.point(start + k)), origin: 'design', reason: 'quasi-random (repeat: the space is nearly exhausted)' });
  }
}

/** Subset selection, standardisation, hyperparameters (warm or full), and the posterior. */
function buildModel(
  observations: Observations, d: number, request: SuggestRequest, settings: GpBanditSettings,
): { gp: GaussianProcess; state: GpBanditModelState; start: ModelFit['start'] } {
  const keep = modelSubset(observations.y, MAX_MODEL_POINTS);
  const n = keep.length;
  const x = new Float64Array(n * d);
  const yRaw = new Float64Array(n);
  const varianceRaw = new Float64Array(n);
  keep.forEach((i, row) => {
    x.set(observations.x[i], row * d);
    yRaw[row] = observations.y[i];
    varianceRaw[row] = observations.variance[i];
  });
  const warped = warpOutputs(yRaw, settings.outputWarping);
  const transform = fitOutputTransform(warped);
  const y = standardize(warped, transform);
  // Predictions' variances in standardised units (warping only compresses bad values, where a looser
  // variance costs nothing); undefined when every observation is measured (the fit's own factor is used).
  const extraNoise = varianceRaw.some((v) => v > 0) ? Float64Array.from(varianceRaw, (v) => v / (transform.scale * transform.scale)) : undefined;

  const previous = gpModelState(request.state, d);
  const cache = settings.incrementalCholesky ? choleskyCache : undefined;
  if (previous && n >= previous.refitObservations && n < Math.max(previous.refitObservations + 1, WARM_REFIT_GROWTH * previous.refitObservations)) {
    // Too little new data to move the hyperparameters: reuse them (one factorisation).
    return { gp: GaussianProcess.withHyperparameters(previous.hyperparameters, x, y, transform, cache, extraNoise), state: previous, start: 'reused' };
  }
  const full = !previous || n >= FULL_REFIT_GROWTH * previous.fullFitObservations || n < previous.fullFitObservations;
  const fitRows = n > MAX_FIT_POINTS ? modelSubset(Array.from(y), MAX_FIT_POINTS, true) : undefined;
  const fitData = fitRows ? subsetData(x, y, d, fitRows) : { x, y, n, d };
  const fit = fitHyperparameters(fitData, {
    kernel: 'MATERN52',
    prior: settings.prior,
    warmStart: previous?.hyperparameters,
    restarts: full ? 2 : 0,
    maxIterations: full ? 50 : 10,
    seed: mixSeed(request.seed, 0xf17),
  });
  // The fit's factorisation is the model's when the fit saw every point; otherwise one more Cholesky.
  const gp = fitRows || extraNoise
    ? GaussianProcess.withHyperparameters(fit.hyperparameters, x, y, transform, cache, extraNoise)
    : new GaussianProcess(fit.hyperparameters, x, y, transform, fit.likelihood.factor, fit.likelihood.alpha);
  return {
    gp,
    start: previous ? 'warm' : 'cold',
    state: {
      version: GP_STATE_VERSION,
      hyperparameters: fit.hyperparameters,
      fullFitObservations: full ? n : previous!.fullFitObservations,
      refitObservations: n,
    },
  };
}

/** Indices to keep when there are more than `max`: the best quarter, then either the most recent
 *  (`spread` false: the model follows where the search is now; see recentModelRows) or an even spread
 *  over time (`spread` true: the hyperparameter fit sees the whole range, ascending order). */
function modelSubset(y: ArrayLike<number>, max: number, spread = false): number[] {
  const n = y.length;
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  if (!spread) return recentModelRows(y, max);
  const byValue = Array.from({ length: n }, (_, i) => i).sort((a, b) => y[b] - y[a]);
  const chosen = new Set(byValue.slice(0, Math.floor(max / 4)));
  const rest = Array.from({ length: n }, (_, i) => i).filter((i) => !chosen.has(i));
  const slots = max - chosen.size;
  for (let k = 0; k < slots; k++) chosen.add(rest[Math.floor((k * rest.length) / slots)]);
  return [...chosen].sort((a, b) => a - b);
}

/** Rows the model keeps past `max`: the best quarter of the trials before a cutoff, then every trial
 *  from the cutoff on. The cutoff moves in steps of WINDOW_STEP trials, so between steps the kept rows
 *  only grow at the end and the previous call's factor extends (CholeskyCache) instead of being
 *  refactored; the model holds between max − WINDOW_STEP and max rows. */
const WINDOW_STEP = 100;
function recentModelRows(y: ArrayLike<number>, max: number): number[] {
  const n = y.length;
  const best = Math.floor(max / 4);
  const cutoff = Math.min(n, WINDOW_STEP * Math.ceil((n - (max - best)) / WINDOW_STEP));
  const older = Array.from({ length: cutoff }, (_, i) => i).sort((a, b) => y[b] - y[a] || a - b).slice(0, best).sort((a, b) => a - b);
  return [...older, ...Array.from({ length: n - cutoff }, (_, i) => cutoff + i)];
}

function subsetData(x: Float64Array, y: Float64Array, d: number, rows: number[]): { x: Float64Array; y: Float64Array; n: number; d: number } {
  const sx = new Float64Array(rows.length * d);
  const sy = new Float64Array(rows.length);
  rows.forEach((r, i) => {
    sx.set(x.subarray(r * d, r * d + d), i * d);
    sy[i] = y[r];
  });
  return { x: sx, y: sy, n: rows.length, d };
}

/** The previous call's state when it is usable for this space (this version, dimension, finite values);
 *  anything else is ignored, never trusted. */
function readModelState(state: unknown, d: number): GpBanditModelState | undefined {
  if (!state || typeof state !== 'object') return undefined;
  const s = state as Partial<GpBanditModelState>;
  const h = s.hyperparameters;
  if (s.version !== GP_STATE_VERSION || !h || !Array.isArray(h.logLengthscales) || h.logLengthscales.length !== d) return undefined;
  const numbers = [...h.logLengthscales, h.logSignalVariance, h.logNoiseVariance, h.mean, s.fullFitObservations, s.refitObservations];
  if (!numbers.every((v) => typeof v === 'number' && Number.isFinite(v))) return undefined;
  if (h.kernel !== 'MATERN52' && h.kernel !== 'SQUARED_EXPONENTIAL') return undefined;
  return {
    version: GP_STATE_VERSION,
    hyperparameters: { ...h, logNoiseVariance: Math.max(h.logNoiseVariance, Math.log(MIN_NOISE_VARIANCE)) },
    fullFitObservations: s.fullFitObservations as number,
    refitObservations: s.refitObservations as number,
  };
}

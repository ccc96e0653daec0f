/** GP_BANDIT with several objectives and/or outcome constraints: one GP per OBJECTIVE and CONSTRAINT
 *  metric on the shared design (TRACKED metrics are not modelled), and the acquisition of
 *  libs/acquisition/src/multi-metric-acquisition.ts — a fresh random hypervolume scalarization of the
 *  objectives' UCBs for every suggestion (Golovin & Zhang 2020, as in OSS Vizier), weighted by the
 *  constraints' probability of feasibility (Gardner et al. 2014). A batch and pending trials work by
 *  kriging believer on every GP, as in the single-objective path.
 *
 *  Each metric's hyperparameters are kept in the policy state (part 'gp-metrics'): a full multi-start
 *  fit when the observations grew by 20 % since the last, otherwise a warm refinement from the previous
 *  optimum. Outputs are standardised, not warped: a reference point given by the user must map into the
 *  model's units, and warping is data-dependent. Trials with a partial curve are pending here (the
 *  learning-curve model predicts the first objective only). */
import { isFarFromAll, maximizeMultiMetricAcquisition, randomScalarizationWeights, ucbBeta, type MultiMetricModels } from '@hpo/acquisition';
import { fitHyperparameters, GaussianProcess, fitOutputTransform, standardize, DEFAULT_HYPERPARAMETER_PRIOR, type GpHyperparameters, type OutputTransform } from '@hpo/gp';
import { Rng, mixSeed, type EncodedPrior, type SpaceEncoder } from '@hpo/space';
import { dominates } from '../best-trials';
import { decayingPrior } from './pi-bo-weight';
import { constraintMetrics, objectiveMetrics, orientedValue } from '../metric-roles';
import type { ModelFit, MetricSpec, PolicyState, StudyConfig, StudyView, Suggestion, TrialState } from '../types';

export const MULTI_METRIC_STATE_PART = 'gp-metrics';
const MULTI_METRIC_STATE_VERSION = 1;
const FULL_REFIT_GROWTH = 1.2;
/** Reference point inferred per objective: the worst observed value less 10 % of the observed range.
 *  BoTorch's infer_reference_point starts from the Pareto front's nadir instead; tried here, it loses
 *  on ZDT1/2/3 (hypervolume at 60 trials 116/110/114 against 121/120/122, 3 seeds) because an origin
 *  at the front's nadir stops rewarding the front's extremes, and wins on DTLZ2 (0.20 against 0.13).
 *  Where the user knows the reference point, giving it is best (DTLZ2: 0.26; ZDT1: 119 at 30 trials). */
const REFERENCE_MARGIN = 0.1;
/** The objectives' UCB uses 1/20 of the single-objective β (√β ≈ 0.5 instead of ≈ 2.2 at d = 6,
 *  n = 50): the scalarization's min over objectives adds each objective's exploration bonus, and with
 *  the full β the search spent its trials on the box's edges in directions no objective rewards
 *  (DTLZ2, 5 seeds, 60 trials: hypervolume 0.133 at β, 0.252 at β/4, 0.338 at β/20, 0.316 at β/100;
 *  with the reference point given 0.263 → 0.455; ZDT1/2/3 unchanged within ±0.5, 3 seeds).
 *  bench/src/multi-objective.ts. */
const MULTI_OBJECTIVE_BETA_SCALE = 0.05;
const PENDING_STATES: ReadonlySet<TrialState> = new Set(['REQUESTED', 'ACTIVE', 'PAUSED', 'STOPPING', 'EARLY_STOPPED']);

interface MultiMetricState {
  version: typeof MULTI_METRIC_STATE_VERSION;
  /** Per modelled metric name. */
  hyperparameters: Record<string, GpHyperparameters>;
  fullFitObservations: number;
}

export interface MultiMetricRequest {
  config: StudyConfig;
  study: StudyView;
  encoder: SpaceEncoder;
  count: number;
  seed: number;
  state: PolicyState;
  /** Adds a suggestion unless its configuration is already used; false when refused. */
  take: (s: Suggestion) => boolean;
  /** Whether a decoded configuration is still free. */
  isFree: (x: Float64Array) => boolean;
  /** The user's priors on the optimum (πBO), when any parameter has one. */
  prior?: EncodedPrior;
}

interface Observed {
  x: Float64Array[];
  /** Per modelled metric (objectives then constraints), larger-is-better / feasible-above values. */
  values: number[][];
  pending: Float64Array[];
}

export function multiMetricSuggest(request: MultiMetricRequest): { state: PolicyState; fits: ModelFit[] } {
  const { config, encoder } = request;
  const objectives = objectiveMetrics(config);
  const constraints = constraintMetrics(config);
  const metrics = [...objectives, ...constraints];
  const observed = collect(request.study, encoder, metrics);
  const d = encoder.dimension;
  const n = observed.x.length;
  const x = new Float64Array(n * d);
  observed.x.forEach((row, i) => x.set(row, i * d));

  const previous = readState(request.state[MULTI_METRIC_STATE_PART], metrics, d);
  const full = !previous || n >= FULL_REFIT_GROWTH * previous.fullFitObservations || n < previous.fullFitObservations;
  const hyperparameters: Record<string, GpHyperparameters> = {};
  const transforms: OutputTransform[] = [];
  let gps = metrics.map((m, k) => {
    const transform = fitOutputTransform(observed.values[k]);
    transforms.push(transform);
    const y = standardize(observed.values[k], transform);
    const fit = fitHyperparameters({ x, y, n, d }, {
      kernel: 'MATERN52',
      prior: DEFAULT_HYPERPARAMETER_PRIOR,
      warmStart: previous?.hyperparameters[m.name],
      restarts: full ? 2 : 0,
      maxIterations: full ? 50 : 10,
      seed: mixSeed(request.seed, 0xf17 + k),
    });
    hyperparameters[m.name] = fit.hyperparameters;
    return new GaussianProcess(fit.hyperparameters, x, y, transform, fit.likelihood.factor, fit.likelihood.alpha);
  });
  const thresholds = constraints.map((m, j) => {
    const t = transforms[objectives.length + j];
    return (orientedValue(m, m.threshold ?? 0) - t.offset) / t.scale;
  });
  const feasibleRows = Array.from({ length: n }, (_, r) => r).filter((r) => thresholds.every((t, j) => gps[objectives.length + j].y[r] >= t));
  const reference = referencePoint(objectives, gps.slice(0, objectives.length), transforms);

  // Pending trials (and each pick of this batch) as kriging-believer fantasies on every GP.
  const believe = (p: Float64Array): void => {
    gps = gps.map((gp) => gp.withObservation(p, gp.predict(p, 1).mean[0]));
  };
  for (const p of observed.pending) believe(p);
  const rng = new Rng(mixSeed(request.seed, 0xacc));
  const held = [...observed.pending];
  const centres = paretoCentres(gps.slice(0, objectives.length), feasibleRows, observed.x);
  for (let b = 0; b < request.count; b++) {
    const weights = randomScalarizationWeights(objectives.length, rng);
    const models: MultiMetricModels = {
      objectives: gps.slice(0, objectives.length),
      constraints: gps.slice(objectives.length).map((gp, j) => ({ gp, threshold: thresholds[j] })),
      reference, feasibleRows, beta: MULTI_OBJECTIVE_BETA_SCALE * ucbBeta(d, n),
      prior: decayingPrior(request.prior, n),
    };
    const pick = maximizeMultiMetricAcquisition({
      models, weights, d, rng, centres,
      project: (c) => encoder.project(c),
      accept: (c) => isFarFromAll(held, c) && request.isFree(c),
    });
    if (!pick) break;
    const what = objectives.length > 1 ? `scalarized UCB gain ${pick.value.toPrecision(3)} (weights ${Array.from(weights, (w) => w.toFixed(2)).join(', ')})` : `log-EI ${pick.value.toPrecision(3)}`;
    const feasible = constraints.length > 0 ? `, P(feasible) ${pick.feasibility.toPrecision(2)}` : '';
    if (!request.take({ parameters: encoder.decode(pick.x), origin: 'gp', reason: `GP ${what}${feasible}` })) break;
    held.push(pick.x);
    believe(pick.x);
  }
  const state: MultiMetricState = { version: MULTI_METRIC_STATE_VERSION, hyperparameters, fullFitObservations: full ? n : previous!.fullFitObservations };
  return { state: { ...request.state, [MULTI_METRIC_STATE_PART]: state }, fits: [{ model: MULTI_METRIC_STATE_PART, start: previous ? 'warm' : 'cold' }] };
}

/** SUCCEEDED trials with every modelled metric finite; INFEASIBLE ones at the worst value of each metric
 *  (the region teaches "nothing good here", as in the single-objective path); the rest pending. */
function collect(study: StudyView, encoder: SpaceEncoder, metrics: MetricSpec[]): Observed {
  const x: Float64Array[] = [];
  const values: number[][] = metrics.map(() => []);
  const infeasible: Float64Array[] = [];
  const pending: Float64Array[] = [];
  for (const trial of study.trials) {
    if (trial.state === 'SUCCEEDED') {
      const row = metrics.map((m) => trial.finalMeasurement?.metrics[m.name]);
      if (!row.every((v): v is number => typeof v === 'number' && Number.isFinite(v))) continue;
      x.push(encoder.encode(trial.parameters));
      row.forEach((v, k) => values[k].push(orientedValue(metrics[k], v)));
    } else if (trial.state === 'INFEASIBLE') {
      infeasible.push(encoder.encode(trial.parameters));
    } else if (PENDING_STATES.has(trial.state)) {
      pending.push(encoder.encode(trial.parameters));
    }
  }
  const worst = values.map((column, k) => (column.length > 0 ? Math.min(...column) : worstDefault(metrics[k])));
  for (const p of infeasible) {
    x.push(p);
    values.forEach((column, k) => column.push(worst[k]));
  }
  return { x, values, pending };
}

/** With no measured value at all, an infeasible trial of a constraint sits just below its threshold. */
function worstDefault(m: MetricSpec): number {
  return m.role === 'CONSTRAINT' ? orientedValue(m, m.threshold ?? 0) - 1 : 0;
}

/** Per objective in standardised units: the user's reference point, or the worst observed value less
 *  REFERENCE_MARGIN of the range. */
function referencePoint(objectives: MetricSpec[], gps: GaussianProcess[], transforms: OutputTransform[]): Float64Array {
  return Float64Array.from(objectives, (m, i) => {
    if (m.referencePoint !== undefined) return (orientedValue(m, m.referencePoint) - transforms[i].offset) / transforms[i].scale;
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (const v of gps[i].y) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    return Number.isFinite(lo) ? lo - REFERENCE_MARGIN * Math.max(hi - lo, 1e-9) : -1;
  });
}

/** The feasible observations not dominated in the objectives (the local search starts there). */
function paretoCentres(objectives: GaussianProcess[], feasibleRows: number[], x: Float64Array[]): Float64Array[] {
  const score = (r: number): number[] => objectives.map((gp) => gp.y[r]);
  const front = feasibleRows.filter((r) => !feasibleRows.some((o) => dominates(score(o), score(r))));
  return front.slice(0, 16).map((r) => x[r]);
}

/** The previous call's hyperparameters when they fit this study's metrics and dimension. */
function readState(state: unknown, metrics: MetricSpec[], d: number): MultiMetricState | undefined {
  if (!state || typeof state !== 'object') return undefined;
  const s = state as Partial<MultiMetricState>;
  if (s.version !== MULTI_METRIC_STATE_VERSION || typeof s.fullFitObservations !== 'number' || !s.hyperparameters) return undefined;
  for (const m of metrics) {
    const h = s.hyperparameters[m.name];
    if (!h || !Array.isArray(h.logLengthscales) || h.logLengthscales.length !== d) return undefined;
    if (![...h.logLengthscales, h.logSignalVariance, h.logNoiseVariance, h.mean].every(Number.isFinite)) return undefined;
  }
  return s as MultiMetricState;
}

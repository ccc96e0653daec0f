/** What a policy sees and returns: plain, serialisable data (it crosses worker-thread boundaries), with
 *  no storage, clock or network. Vizier's Pythia split: the service persists, the policy decides. */
import type { Assignment, ParameterSpec } from '@hpo/space';

export type { Goal } from '@hpo/space';
import type { Goal } from '@hpo/space';
export type MetricRole = 'OBJECTIVE' | 'TRACKED' | 'CONSTRAINT';
export interface MetricSpec {
  name: string;
  goal: Goal;
  /** Absent (configs stored before roles existed, or unset): OBJECTIVE. */
  role?: MetricRole;
  /** CONSTRAINT: feasible when the value is at least (MAXIMIZE) or at most (MINIMIZE) this. */
  threshold?: number;
  /** OBJECTIVE with several objectives: the hypervolume reference point (the worst value that counts). */
  referencePoint?: number;
}

export type AlgorithmName = 'GP_BANDIT' | 'RANDOM_SEARCH' | 'QUASI_RANDOM_SEARCH' | 'GRID_SEARCH' | 'LLM_GP_BANDIT';
export type AcquisitionName = 'LOG_EI' | 'EI' | 'UCB' | 'PI';
export type EarlyStoppingMode = 'NONE' | 'MEDIAN' | 'FREEZE_THAW' | 'ASHA' | 'HYPERBAND';

export interface EarlyStoppingConfig {
  mode: EarlyStoppingMode;
  /** Last step of every trial (FREEZE_THAW requires it). 0 when unset. */
  maxStep: number;
  minSteps: number;
  minTrials: number;
  /** Training budget in steps over all trials (sum of each trial's last step); 0: unlimited. Absent in
   *  configs stored before it existed (read as 0). */
  maxStepsTotal?: number;
}

export interface LlmConfig {
  enabled: boolean;
  provider: 'OPENAI_COMPATIBLE' | 'LOCAL_GGUF';
  model: string;
  baseUrl: string;
  warmStart: boolean;
  candidateSampling: boolean;
  surrogate: boolean;
  maxTokensTotal: number;
  timeoutSeconds: number;
  warmStartTrials: number;
}

export interface StudyConfig {
  parameters: ParameterSpec[];
  /** The first metric is the (primary) objective; see MetricSpec.role for the others. */
  metrics: MetricSpec[];
  algorithm: AlgorithmName;
  acquisition: AcquisitionName;
  earlyStopping: EarlyStoppingConfig;
  llm?: LlmConfig;
  problemDescription: string;
  /** 0: unlimited. */
  maxTrials: number;
  /** 0: unlimited. */
  maxParallel: number;
  seed: number;
  leaseSeconds: number;
  gridResolution: number;
}

export type TrialState = 'REQUESTED' | 'ACTIVE' | 'PAUSED' | 'STOPPING' | 'SUCCEEDED' | 'INFEASIBLE' | 'FAILED' | 'EARLY_STOPPED';

export interface Measurement {
  step: number;
  metrics: Record<string, number>;
  elapsedSeconds: number;
}

export interface TrialView {
  id: number;
  state: TrialState;
  parameters: Assignment;
  /** SUCCEEDED trials (EARLY_STOPPED ones: their last measurement, not a final value). */
  finalMeasurement?: Measurement;
  /** The learning curve in step order. */
  measurements: Measurement[];
  /** > 0 once the trial was resumed from PAUSED (the step it resumed from): freeze-thaw never pauses a
   *  trial a second time. */
  resumeFromStep?: number;
  /** Where the trial came from (the LLM warm start's trials become a prior; warm-start-prior.ts). */
  origin?: TrialOrigin;
}

export interface StudyView {
  config: StudyConfig;
  trials: TrialView[];
}

/** One model's memory between calls on a study: its own format version first, then what it needs to
 *  warm-start (fitted hyperparameters, counters; never matrices: a study row carries it). A model that
 *  reads a part with another version, or one it cannot validate, fits cold: never an error. */
export interface ModelState {
  readonly version: number;
}

/** A study's policy state: one part per model, by the model's name ('gp', 'freezeThaw', ...). The
 *  suggestion side and the early-stopping side of a study share it, so one freeze-thaw fit serves both.
 *  JSON-serialisable: the server stores it in the study's row with the suggestion (or decision) it came
 *  from, so a restarted server and every replica continue from the same fit. */
export interface PolicyState {
  readonly [model: string]: ModelState | undefined;
}

export const EMPTY_POLICY_STATE: PolicyState = Object.freeze({});

/** How a model's fit started in one call, so the server can count cold fits (a restart or a lost state
 *  costs one; a shared state costs none). cold: no usable state; warm: refined from the state's fit;
 *  reused: the state's fit as it was (no optimisation). */
export interface ModelFit {
  model: string;
  start: 'cold' | 'warm' | 'reused';
}

export interface SuggestRequest {
  study: StudyView;
  /** How many new configurations are wanted (pending trials are in study.trials as ACTIVE/REQUESTED). */
  count: number;
  /** Seed for this call (the server derives it from the study's seed and its trial count). */
  seed: number;
  /** Proposals from elsewhere (the LLM module's warm start or candidate sampling), already validated
   *  against the space. A model-based policy ranks them by its acquisition together with its own
   *  candidates; the initial design may take them in place of quasi-random points. */
  externalCandidates?: Suggestion[];
  /** False when the study may not start new configurations (max_trials reached): only PAUSED trials
   *  can still be handed out (resumed). Omitted means true. */
  newTrialsAllowed?: boolean;
  /** The state the study's policies returned last (suggestion or decision side). Omitted: cold. */
  state?: PolicyState;
  /** Predicted final values (at max_step) of trials with a partial curve — running, paused or stopped
   *  early — from the study's learning-curve model (the freeze-thaw fit), so a model-based policy sees
   *  every trial through its predicted final and that prediction's uncertainty (Swersky et al. 2014).
   *  Set by the early-stopping decorator; absent: such trials count as pending. */
  curvePredictions?: CurvePrediction[];
}

export interface CurvePrediction {
  trialId: number;
  /** Predicted final value and its standard deviation, in the objective's own units. */
  value: number;
  sd: number;
}

/** What every suggestion policy returns. `state` is required: a policy (or a decorator around one) that
 *  forgets its model's state does not compile. Parts a policy does not own are passed through as read. */
export interface SuggestResult {
  suggestions: Suggestion[];
  state: PolicyState;
  /** The model fits this call made, for the server's cold-fit count. */
  fits?: ModelFit[];
}

/** Where a suggestion came from, typed, so code never parses it out of a reason string:
 *  - design: a point of the initial design (quasi-random, Halton);
 *  - llm-warm-start: the LLM's zero-shot proposal (taken into the design);
 *  - gp: the GP's acquisition (its own candidates, or its local maximum next to a proposal);
 *  - llm-candidate: an LLM candidate that won on the GP's acquisition;
 *  - thaw: freeze-thaw resumes a paused trial;
 *  - random, quasi-random, grid: those algorithms' own points;
 *  - fallback: the policy failed on this study's data (quasi-random points or paused trials in order). */
export type SuggestionOrigin = 'design' | 'llm-warm-start' | 'gp' | 'llm-candidate' | 'thaw' | 'random' | 'quasi-random' | 'grid' | 'fallback';

/** Where a stored trial came from: the origin of the suggestion that created it, 'added' for AddTrials,
 *  'unspecified' for trials stored before origins were (migration 0006). A resumed (thawed) trial keeps
 *  the origin of its configuration; its status reason says it was resumed. */
export type TrialOrigin = SuggestionOrigin | 'added' | 'unspecified';

export const TRIAL_ORIGINS: readonly TrialOrigin[] = [
  'unspecified', 'design', 'gp', 'llm-warm-start', 'llm-candidate', 'thaw', 'random', 'quasi-random', 'grid', 'fallback', 'added',
];

export interface Suggestion {
  parameters: Assignment;
  origin: SuggestionOrigin;
  /** The origin with its details, for people (e.g. "initial design (Halton point 3)", "GP log-EI -1.2"). */
  reason?: string;
  /** Freeze-thaw: resume this PAUSED trial instead of starting a new one. */
  resumeTrialId?: number;
}

/** An algorithm that proposes configurations (Vizier's Pythia policy, Optuna's sampler). */
export interface SuggestionPolicy {
  readonly name: string;
  suggest(request: SuggestRequest): Promise<SuggestResult>;
}

export type StopDecisionKind = 'CONTINUE' | 'STOP' | 'PAUSE';
export interface StopDecision {
  decision: StopDecisionKind;
  reason: string;
}

export interface StopRequest {
  study: StudyView;
  /** The trials that just reported (their measurements include the new ones): one decision each, in
   *  this order, from one fit. */
  trialIds: number[];
  /** The study's policy state (see SuggestRequest.state). Omitted: cold. */
  state?: PolicyState;
}

/** What every early-stopping rule returns: one decision per requested trial, and the study's state. */
export interface StopResult {
  decisions: StopDecision[];
  state: PolicyState;
  fits?: ModelFit[];
}

/** Decides at each intermediate report whether a trial goes on (Vizier's early_stop, Optuna's pruner). */
export interface EarlyStoppingPolicy {
  readonly name: string;
  decide(request: StopRequest): StopResult;
}

/** Proposes configurations from outside the model (the LLM module). Runs in the server process (it does
 *  I/O); its proposals reach the policy as SuggestRequest.externalCandidates. It must never throw: a
 *  failure returns no candidates (and is logged by the implementation). */
export interface CandidateAdvisor {
  propose(request: {
    study: StudyView;
    count: number;
    purpose: 'warm_start' | 'candidates';
    /** For budgets and the per-tenant switch. */
    tenantId: string;
    studyId: string;
    tokensUsedSoFar: number;
  }): Promise<{ candidates: Suggestion[]; tokensUsed: number }>;
}

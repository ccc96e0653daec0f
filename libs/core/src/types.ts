/** What a policy sees and returns: plain, serialisable data (it crosses worker-thread boundaries), with
 *  no storage, clock or network. Vizier's Pythia split: the service persists, the policy decides. */
import type { Assignment, ParameterSpec } from '@hpo/space';

export type Goal = 'MAXIMIZE' | 'MINIMIZE';
export interface MetricSpec {
  name: string;
  goal: Goal;
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
  /** The first metric is the objective. */
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

export type TrialState = 'REQUESTED' | 'ACTIVE' | 'PAUSED' | 'STOPPING' | 'SUCCEEDED' | 'INFEASIBLE' | 'FAILED';

export interface Measurement {
  step: number;
  metrics: Record<string, number>;
  elapsedSeconds: number;
}

export interface TrialView {
  id: number;
  state: TrialState;
  parameters: Assignment;
  /** SUCCEEDED trials. */
  finalMeasurement?: Measurement;
  /** The learning curve in step order. */
  measurements: Measurement[];
}

export interface StudyView {
  config: StudyConfig;
  trials: TrialView[];
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
  /** Opaque, JSON-serialisable state a model-based policy returned from its previous call on this study
   *  (GP_BANDIT: the last hyperparameters, to warm-start the fit). The server may store it per study and
   *  pass it back; without it the policy refits from scratch, with the same correctness, more slowly. */
  modelState?: unknown;
}

export interface Suggestion {
  parameters: Assignment;
  /** Where the suggestion came from, for people (e.g. "initial design", "log-EI 1.2e-3", "llm warm start"). */
  reason?: string;
  /** Freeze-thaw: resume this PAUSED trial instead of starting a new one. */
  resumeTrialId?: number;
}

/** An algorithm that proposes configurations (Vizier's Pythia policy, Optuna's sampler). */
export interface SuggestionPolicy {
  readonly name: string;
  suggest(request: SuggestRequest): Promise<Suggestion[]>;
}

export type StopDecisionKind = 'CONTINUE' | 'STOP' | 'PAUSE';
export interface StopDecision {
  decision: StopDecisionKind;
  reason: string;
}

export interface StopRequest {
  study: StudyView;
  /** The trial that just reported (its measurements include the new one). */
  trialId: number;
  /** What the policy returned as modelState on its previous decision for this study (a model-based rule's
   *  last fit, to warm-start the next one); opaque to the server, which keeps it in memory only. */
  modelState?: unknown;
}

/** Decides at each intermediate report whether a trial goes on (Vizier's early_stop, Optuna's pruner). */
export interface EarlyStoppingPolicy {
  readonly name: string;
  decide(request: StopRequest): StopDecision;
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

/** The server's Prometheus metrics (prom-client): one registry a process, shared by every component
 *  that records into it (the gRPC interceptor, the policy pool wrapper, the storage wrapper, the LLM
 *  module, the dashboard). Import `serverMetrics` and call its record* methods; nothing here does I/O
 *  except the scrape-time collectors a server registers.
 *
 *  For the LLM module (apps/server/src/llm):
 *    serverMetrics.recordLlmCall({ provider, model, outcome: 'ok' | 'error' | 'timeout' | 'budget',
 *                                  seconds, promptTokens, completionTokens })
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ModelFit, TrialState } from '@hpo/core';

export type LlmOutcome = 'ok' | 'error' | 'timeout' | 'budget' | 'invalid_reply';

export interface LlmCallRecord {
  provider: string;
  model: string;
  outcome: LlmOutcome;
  seconds?: number;
  promptTokens?: number;
  completionTokens?: number;
}

/** RPC latency buckets (seconds): a cached GetTrial is sub-millisecond, a GP suggestion at 1000
 *  trials is about a second, an LLM-assisted one may take tens of seconds. */
const RPC_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
/** Policy compute buckets: the DESIGN.md bars are 15–50 ms at 100 trials and ≤ 1 s at 1000. */
const POLICY_BUCKETS = [0.001, 0.005, 0.01, 0.015, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const LLM_BUCKETS = [0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120];

export type TrialCountsCollector = () => Promise<Record<TrialState, number>>;

export class ServerMetrics {
  readonly registry = new Registry();

  readonly rpcRequests = new Counter({
    name: 'hpo_rpc_requests_total',
    help: 'gRPC calls finished, by full method path and status code name',
    labelNames: ['method', 'code'] as const,
    registers: [this.registry],
  });
  readonly rpcDuration = new Histogram({
    name: 'hpo_rpc_duration_seconds',
    help: 'gRPC call latency from received metadata to sent status, by method and status code name',
    labelNames: ['method', 'code'] as const,
    buckets: RPC_BUCKETS,
    registers: [this.registry],
  });
  readonly rpcInFlight = new Gauge({
    name: 'hpo_rpc_in_flight',
    help: 'gRPC calls being handled now',
    registers: [this.registry],
  });
  readonly suggestionDuration = new Histogram({
    name: 'hpo_suggestion_duration_seconds',
    help: 'Time the policy pool took to produce suggestions (queue wait included), by algorithm',
    labelNames: ['algorithm'] as const,
    buckets: POLICY_BUCKETS,
    registers: [this.registry],
  });
  readonly suggestionsProduced = new Counter({
    name: 'hpo_suggestions_total',
    help: 'Configurations proposed by policies, by algorithm',
    labelNames: ['algorithm'] as const,
    registers: [this.registry],
  });
  readonly stopDecisionDuration = new Histogram({
    name: 'hpo_stop_decision_duration_seconds',
    help: 'Time the policy pool took for an early-stopping decision (queue wait included), by mode',
    labelNames: ['mode'] as const,
    buckets: POLICY_BUCKETS,
    registers: [this.registry],
  });
  readonly policyFailures = new Counter({
    name: 'hpo_policy_failures_total',
    help: 'Policy pool tasks that failed, by task (suggest, decide)',
    labelNames: ['task'] as const,
    registers: [this.registry],
  });
  readonly modelFits = new Counter({
    name: 'hpo_model_fits_total',
    help: 'Model fits made by policies, by model (gp, freezeThaw) and start (cold: no usable stored state; warm: refined from it; reused: taken as stored)',
    labelNames: ['model', 'start'] as const,
    registers: [this.registry],
  });
  readonly poolQueueDepth = new Gauge({
    name: 'hpo_policy_pool_queue_depth',
    help: 'Policy tasks waiting for a free worker thread',
    registers: [this.registry],
  });
  readonly poolTasksInFlight = new Gauge({
    name: 'hpo_policy_pool_tasks_in_flight',
    help: 'Policy tasks submitted and not yet finished (queued or running)',
    registers: [this.registry],
  });
  readonly trials = new Gauge({
    name: 'hpo_trials',
    help: 'Trials in each state across all tenants (hpo_trials{state="ACTIVE"} is the active-trials gauge)',
    labelNames: ['state'] as const,
    registers: [this.registry],
  });
  readonly llmCalls = new Counter({
    name: 'hpo_llm_calls_total',
    help: 'LLM requests, by provider, model and outcome',
    labelNames: ['provider', 'model', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly llmErrors = new Counter({
    name: 'hpo_llm_errors_total',
    help: 'LLM requests that did not produce usable advice, by provider, model and outcome',
    labelNames: ['provider', 'model', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly llmTokens = new Counter({
    name: 'hpo_llm_tokens_total',
    help: 'LLM tokens used, by provider, model and kind (prompt, completion)',
    labelNames: ['provider', 'model', 'kind'] as const,
    registers: [this.registry],
  });
  readonly llmDuration = new Histogram({
    name: 'hpo_llm_call_duration_seconds',
    help: 'LLM request latency, by provider',
    labelNames: ['provider'] as const,
    buckets: LLM_BUCKETS,
    registers: [this.registry],
  });
  readonly storageErrors = new Counter({
    name: 'hpo_storage_errors_total',
    help: 'Storage operations that failed with a database error (not a domain error), by operation',
    labelNames: ['operation'] as const,
    registers: [this.registry],
  });
  readonly dbStatements = new Counter({
    name: 'hpo_db_statements_total',
    help: 'Statements sent to the database (each a round trip on PostgreSQL), by kind: begin, commit, rollback or statement',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });
  readonly httpRequests = new Counter({
    name: 'hpo_http_requests_total',
    help: 'Dashboard and metrics HTTP requests, by route and status',
    labelNames: ['route', 'status'] as const,
    registers: [this.registry],
  });

  private trialCounts?: TrialCountsCollector;
  private queueDepth?: () => number;

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  recordRpc(method: string, code: string, seconds: number): void {
    this.rpcRequests.inc({ method, code });
    this.rpcDuration.observe({ method, code }, seconds);
  }

  recordSuggestion(algorithm: string, seconds: number, produced: number): void {
    this.suggestionDuration.observe({ algorithm }, seconds);
    if (produced > 0) this.suggestionsProduced.inc({ algorithm }, produced);
  }

  recordStopDecision(mode: string, seconds: number): void {
    this.stopDecisionDuration.observe({ mode }, seconds);
  }

  recordModelFits(fits: readonly ModelFit[] | undefined): void {
    for (const f of fits ?? []) this.modelFits.inc({ model: f.model, start: f.start });
  }

  recordLlmCall(r: LlmCallRecord): void {
    const provider = r.provider || 'unknown';
    const model = r.model || 'unknown';
    this.llmCalls.inc({ provider, model, outcome: r.outcome });
    if (r.outcome !== 'ok') this.llmErrors.inc({ provider, model, outcome: r.outcome });
    if (r.promptTokens && r.promptTokens > 0) this.llmTokens.inc({ provider, model, kind: 'prompt' }, r.promptTokens);
    if (r.completionTokens && r.completionTokens > 0) this.llmTokens.inc({ provider, model, kind: 'completion' }, r.completionTokens);
    if (r.seconds !== undefined && Number.isFinite(r.seconds)) this.llmDuration.observe({ provider }, r.seconds);
  }

  recordStorageError(operation: string): void {
    this.storageErrors.inc({ operation });
  }

  /** One statement sent to the database (BEGIN/COMMIT included): the load bench divides these by cycles. */
  recordStatement(sql: string): void {
    const head = sql.slice(0, 8).trimStart().toLowerCase();
    const kind = head.startsWith('begin') ? 'begin' : head.startsWith('commit') ? 'commit' : head.startsWith('rollback') ? 'rollback' : 'statement';
    this.dbStatements.inc({ kind });
  }

  recordHttp(route: string, status: number): void {
    this.httpRequests.inc({ route, status: String(status) });
  }

  /** Scrape-time sources (the last server started in this process wins; one server a process is the norm). */
  setTrialCountsCollector(collector: TrialCountsCollector | undefined): void {
    this.trialCounts = collector;
  }

  setQueueDepthSource(source: (() => number) | undefined): void {
    this.queueDepth = source;
  }

  /** The exposition text (Prometheus text format 0.0.4), with the scrape-time gauges refreshed. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    if (this.queueDepth) this.poolQueueDepth.set(this.queueDepth());
    if (this.trialCounts) {
      try {
        const counts = await this.trialCounts();
        for (const [state, n] of Object.entries(counts)) this.trials.set({ state }, n);
      } catch {
        this.recordStorageError('metricsTrialCounts');
      }
    }
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}

/** The process-wide metrics. */
export const serverMetrics = new ServerMetrics();

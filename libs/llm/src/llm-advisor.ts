/** The LLM module behind the CandidateAdvisor interface: warm start and candidate sampling (and the
 *  LLM surrogate to order the candidates, when selected), with the budgets and the never-throw rule.
 *  Every failure (malformed, late, refused, over budget, misconfigured) costs one logged warning and
 *  returns no candidates; the policy then goes on with the plain GP. */
import { designPhase, initialDesign } from '@hpo/core';
import type { CandidateAdvisor, LlmConfig, StudyView, Suggestion } from '@hpo/core';
import { mixSeed, Rng } from '@hpo/space';
import { formatObjective } from './format-value';
import { expectedImprovement, summarisePredictions } from './llm-surrogate';
import { parseCandidateReply, parsePredictionReply } from './parse-reply';
import {
  buildCandidatePrompt,
  buildSurrogatePrompt,
  buildWarmStartPrompt,
  DEFAULT_PROMPT_BUDGET,
  estimatePromptTokens,
  type LlmPrompt,
} from './prompts';
import type { CompletionResult, LlmProvider } from './providers/types';
import { LlmTimeoutError } from './providers/types';
import { studyHistory, type StudyHistory } from './study-history';
import { DEFAULT_EXPLORATION_ALPHA, targetValue } from './target-value';

export interface AdvisorLogger {
  warn(fields: Record<string, unknown>, message: string): void;
  debug?(fields: Record<string, unknown>, message: string): void;
}

/** Tokens a tenant may still spend (the server keeps the count, e.g. per day, in memory or in the
 *  database that replicas share). A ledger that fails costs a warning, never the suggestion. */
export interface TenantTokenLedger {
  remaining(tenantId: string): number | Promise<number>;
  record(tenantId: string, tokens: number): void | Promise<void>;
}

export interface LlmAdvisorOptions {
  /** The provider for a study's LLM block (cached by the caller, so limits are shared); throws when
   *  the server is not configured for it (e.g. no API key). */
  providerFor(config: LlmConfig, tenantId: string): LlmProvider;
  logger: AdvisorLogger;
  /** A study's token budget when its config says 0. */
  defaultMaxTokensTotal?: number;
  /** Per-request timeout when the config says 0. */
  defaultTimeoutSeconds?: number;
  tenantLedger?: TenantTokenLedger;
  /** The tenant's switch; false means no LLM calls at all for it. */
  tenantAllowed?(tenantId: string): boolean;
  /** LLAMBO's exploration parameter α (target-value.ts). */
  alpha?: number;
  /** Configurations asked for per candidate-sampling call (at least the count wanted): the GP's
   *  acquisition picks among them, so a few more than needed widen the choice. */
  samplesPerCall?: number;
  /** Prompts with shuffled examples per surrogate evaluation (LLAMBO uses several; 3 keeps cost down). */
  surrogatePrompts?: number;
  /** Sampling temperature (LLAMBO uses 0.8 for candidate sampling). */
  temperature?: number;
  maxPromptTokens?: number;
}

export const ADVISOR_DEFAULTS = {
  defaultMaxTokensTotal: 200_000,
  defaultTimeoutSeconds: 20,
  samplesPerCall: 5,
  surrogatePrompts: 3,
  temperature: 0.8,
};

type ProposeRequest = Parameters<CandidateAdvisor['propose']>[0];
type ProposeResult = Awaited<ReturnType<CandidateAdvisor['propose']>>;

/** How many trials the warm start may propose: libs/core's initial design (warmStartSlots), the rule
 *  GP_BANDIT and the server follow too. GP_BANDIT's warm-start gate then leads the design with one Halton
 *  point (which takes one of these slots) and drops the rest of the warm start once it is dominated by
 *  the space-filling points (libs/core/src/policies/gp-bandit.ts warmStartGateState). */
export function warmStartLimit(study: StudyView): number {
  return initialDesign(study.config).warmStartSlots;
}

/** A failure that ends the attempt with one warning. */
class AdviceFailure extends Error {}

/** Tracks the tokens one propose() call spends, against the study's and the tenant's budgets. Calls
 *  in flight hold a reservation of their estimate, so parallel calls (the surrogate's prompts) cannot
 *  together overrun a budget each fits alone. */
class Spend {
  used = 0;
  private reserved = 0;
  constructor(private readonly remainingStudy: number, private readonly remainingTenant: number) {}
  /** Reserves the call's estimated cost, or throws if it does not fit; returns the reservation. */
  reserve(prompt: LlmPrompt): number {
    const estimate = estimatePromptTokens(prompt) + prompt.maxReplyTokens;
    const left = Math.min(this.remainingStudy, this.remainingTenant) - this.used - this.reserved;
    if (estimate > left) {
      const which = this.remainingStudy <= this.remainingTenant ? 'study' : 'tenant';
      throw new AdviceFailure(`over the ${which} token budget: a ${prompt.kind} call needs about ${estimate} tokens, ${Math.max(0, left)} left`);
    }
    this.reserved += estimate;
    return estimate;
  }
  /** Ends a reservation, charging what the call actually cost. */
  settle(reservation: number, tokens: number): void {
    this.reserved -= reservation;
    this.used += tokens;
  }
}

export class LlmAdvisor implements CandidateAdvisor {
  constructor(private readonly options: LlmAdvisorOptions) {}

  async propose(request: ProposeRequest): Promise<ProposeResult> {
    const llm = request.study.config.llm;
    if (!llm?.enabled || request.count <= 0) return { candidates: [], tokensUsed: 0 };
    if (request.purpose === 'warm_start' ? !llm.warmStart : !llm.candidateSampling) return { candidates: [], tokensUsed: 0 };
    if (this.options.tenantAllowed && !this.options.tenantAllowed(request.tenantId)) return { candidates: [], tokensUsed: 0 };
    if (request.purpose === 'warm_start' && designPhase(request.study.config, request.study).warmStartWanted === 0) return { candidates: [], tokensUsed: 0 };
    const budget = llm.maxTokensTotal > 0 ? llm.maxTokensTotal : (this.options.defaultMaxTokensTotal ?? ADVISOR_DEFAULTS.defaultMaxTokensTotal);
    let provider: LlmProvider | undefined;
    let spend = new Spend(0, 0);
    try {
      const tenantLeft = (await this.options.tenantLedger?.remaining(request.tenantId)) ?? Infinity;
      spend = new Spend(budget - request.tokensUsedSoFar, tenantLeft);
      provider = this.options.providerFor(llm, request.tenantId);
      const candidates = await this.advise(provider, request, llm, spend);
      return { candidates, tokensUsed: spend.used };
    } catch (error) {
      this.options.logger.warn(
        {
          studyId: request.studyId,
          tenantId: request.tenantId,
          purpose: request.purpose,
          provider: provider?.description ?? llm.provider,
          tokensUsed: spend.used,
        },
        `LLM advice skipped, the study goes on with the plain GP: ${error instanceof Error ? error.message : String(error)}`,
      );
      return { candidates: [], tokensUsed: spend.used };
    } finally {
      if (spend.used > 0) await this.recordTenantTokens(request, spend.used);
    }
  }

  private async recordTenantTokens(request: ProposeRequest, tokens: number): Promise<void> {
    try {
      await this.options.tenantLedger?.record(request.tenantId, tokens);
    } catch (error) {
      this.options.logger.warn(
        { studyId: request.studyId, tenantId: request.tenantId, tokensUsed: tokens },
        `LLM tokens not added to the tenant's daily count: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  private async advise(provider: LlmProvider, request: ProposeRequest, llm: LlmConfig, spend: Spend): Promise<Suggestion[]> {
    const { study, count } = request;
    const history = studyHistory(study);
    const budget = this.promptBudget(provider);
    // Seeded by what the prompt shows (the observations), not by pending trials: workers asking while
    // the same trials are running send the same request and share its reply.
    const rng = new Rng(mixSeed(study.config.seed, history.observations.length, request.purpose === 'warm_start' ? 1 : 2));
    const exclude = study.trials.map((t) => t.parameters);
    const zeroShot = request.purpose === 'warm_start' || history.observations.length === 0;
    // A warm-start call asks for every warm-start trial not yet evaluated (pending ones included), so
    // the request stays the same while trials run: parallel workers share one reply (the prompt cache)
    // and each takes the next configuration not yet handed out.
    const samples =
      request.purpose === 'warm_start'
        ? Math.max(count, warmStartLimit(study) - history.observations.length)
        : zeroShot
          ? count
          : Math.max(count, this.options.samplesPerCall ?? ADVISOR_DEFAULTS.samplesPerCall);
    const target = zeroShot ? undefined : targetValue(history.observations.map((o) => o.value), history.goal, this.options.alpha ?? DEFAULT_EXPLORATION_ALPHA);
    const prompt =
      target === undefined
        ? buildWarmStartPrompt(study.config, history, samples, budget)
        : buildCandidatePrompt(study.config, history, samples, target, budget);
    const usable = (text: string): boolean => parseCandidateReply(text, study.config.parameters, { maxCandidates: samples }).candidates.length > 0;
    const reply = await this.call(provider, prompt, llm, spend, rng.nextUint32(), usable);
    const parsed = parseCandidateReply(reply.text, study.config.parameters, { maxCandidates: samples, exclude });
    if (parsed.candidates.length === 0) {
      throw new AdviceFailure(`no usable configuration in the reply (${parsed.issues.slice(0, 3).join('; ') || 'empty list'})`);
    }
    if (parsed.issues.length > 0) {
      this.options.logger.debug?.({ studyId: request.studyId, issues: parsed.issues.slice(0, 10) }, 'LLM reply repaired');
    }
    const origin = target === undefined ? 'llm-warm-start' : 'llm-candidate';
    const reason = target === undefined ? 'llm warm start' : `llm candidate (target ${formatObjective(target)})`;
    const proposals: Suggestion[] = parsed.candidates.map((parameters) => ({ parameters, origin, reason }));
    if (!llm.surrogate || target === undefined || history.observations.length < 2 || proposals.length <= 1) {
      return proposals.slice(0, samples);
    }
    return this.rankBySurrogate(provider, request, llm, spend, history, proposals, rng);
  }

  /** LLAMBO's surrogate: K prompts with the examples shuffled, their predictions' mean and spread,
   *  expected improvement over the incumbent; only the `count` best by that EI go on to the GP (the
   *  surrogate is the LLM's own acquisition, choosing which of its proposals are worth the GP's look).
   *  If the surrogate fails, all sampled candidates go on. */
  private async rankBySurrogate(
    provider: LlmProvider,
    request: ProposeRequest,
    llm: LlmConfig,
    spend: Spend,
    history: StudyHistory,
    proposals: Suggestion[],
    rng: Rng,
  ): Promise<Suggestion[]> {
    const k = this.options.surrogatePrompts ?? ADVISOR_DEFAULTS.surrogatePrompts;
    const queries = proposals.map((p) => p.parameters);
    const prompts = Array.from({ length: k }, () => buildSurrogatePrompt(request.study.config, history, queries, rng.fork(), this.promptBudget(provider)));
    try {
      const usable = (text: string): boolean => parsePredictionReply(text, queries.length).ok;
      const replies = await Promise.all(prompts.map((p) => this.call(provider, p, llm, spend, rng.nextUint32(), usable)));
      const samples: number[][] = [];
      for (const r of replies) {
        const parsed = parsePredictionReply(r.text, queries.length);
        if (parsed.ok) samples.push(parsed.predictions);
      }
      if (samples.length === 0) throw new AdviceFailure('no surrogate reply held usable predictions');
      const values = history.observations.map((o) => o.value);
      const incumbent = history.goal === 'MINIMIZE' ? Math.min(...values) : Math.max(...values);
      const predictions = summarisePredictions(samples, Math.max(...values) - Math.min(...values));
      return proposals
        .map((p, i) => ({ p, ei: expectedImprovement(predictions[i], incumbent, history.goal) }))
        .sort((a, b) => b.ei - a.ei)
        .slice(0, request.count)
        .map(({ p, ei }) => ({ parameters: p.parameters, origin: p.origin, reason: `${p.reason}, llm surrogate EI ${ei.toPrecision(3)}` }));
    } catch (error) {
      this.options.logger.warn(
        { studyId: request.studyId, tenantId: request.tenantId },
        `LLM surrogate skipped, candidates kept in sampled order: ${error instanceof Error ? error.message : String(error)}`,
      );
      return proposals;
    }
  }

  private promptBudget(provider: LlmProvider): { maxPromptTokens: number } {
    const cap = this.options.maxPromptTokens ?? DEFAULT_PROMPT_BUDGET.maxPromptTokens;
    // A local model's context holds the prompt and the reply; keep a quarter for the reply.
    return { maxPromptTokens: provider.contextTokens ? Math.min(cap, Math.floor(provider.contextTokens * 0.75)) : cap };
  }

  private async call(
    provider: LlmProvider,
    prompt: LlmPrompt,
    llm: LlmConfig,
    spend: Spend,
    seed: number,
    cacheable: (text: string) => boolean,
  ): Promise<CompletionResult> {
    const reservation = spend.reserve(prompt);
    const timeoutSeconds = llm.timeoutSeconds > 0 ? llm.timeoutSeconds : (this.options.defaultTimeoutSeconds ?? ADVISOR_DEFAULTS.defaultTimeoutSeconds);
    try {
      const result = await provider.complete(
        {
          system: prompt.system,
          user: prompt.user,
          schema: prompt.schema,
          maxReplyTokens: prompt.maxReplyTokens,
          temperature: this.options.temperature ?? ADVISOR_DEFAULTS.temperature,
          seed,
          timeoutMs: Math.round(timeoutSeconds * 1000),
          cacheable,
        },
        new AbortController().signal,
      );
      spend.settle(reservation, result.promptTokens + result.completionTokens);
      return result;
    } catch (error) {
      // A late reply may still be billed by the endpoint: charge the prompt we sent.
      spend.settle(reservation, error instanceof LlmTimeoutError ? estimatePromptTokens(prompt) : 0);
      throw error;
    }
  }
}

/** The three LLAMBO prompts (Liu et al., ICLR 2024, appendix D), each with the JSON schema its reply
 *  must match and a cap on the reply's length:
 *  - warm start: zero-shot configurations from the problem description and the space (plus any
 *    observations the study already has);
 *  - candidate sampling: configurations that would reach a target value s* (target-value.ts), with
 *    the observations as few-shot examples;
 *  - surrogate: predicted objective values for given configurations, from shuffled examples. */
import type { StudyConfig } from '@hpo/core';
import type { Rng } from '@hpo/space';
import type { Assignment } from '@hpo/space';
import { describeProblem, describeSpace, serialiseConfiguration } from './describe-study';
import { fewShotBlock } from './few-shot-examples';
import { formatObjective } from './format-value';
import { configurationsReplySchema, predictionsReplySchema, type JsonSchema } from './json-schema';
import { allParameters } from './space-walk';
import type { StudyHistory } from './study-history';
import { estimateTokens } from './token-estimate';

export type PromptKind = 'warm_start' | 'candidates' | 'surrogate';

export interface LlmPrompt {
  kind: PromptKind;
  system: string;
  user: string;
  schema: JsonSchema;
  /** Cap on the reply's tokens (enough for the asked JSON, with room for formatting). */
  maxReplyTokens: number;
  /** Observations shown / left out for the prompt budget. */
  examplesIncluded: number;
  examplesOmitted: number;
}

export interface PromptBudget {
  /** Whole prompt (system + user), estimated by estimateTokens. */
  maxPromptTokens: number;
}

export const DEFAULT_PROMPT_BUDGET: PromptBudget = { maxPromptTokens: 3000 };

const SYSTEM =
  'You are an expert in machine learning and hyperparameter optimization. ' +
  'You answer with a single JSON object and nothing else.';

/** Room per configuration in a reply: each value is its name, a number of up to ~14 characters and
 *  JSON punctuation; doubled for the spaces and line breaks models like to add. */
function replyTokensPerConfiguration(config: StudyConfig): number {
  const chars = allParameters(config.parameters).reduce((s, p) => s + p.name.length + 20, 2);
  return 2 * estimateTokens('x'.repeat(chars));
}

function header(config: StudyConfig): string {
  return `${describeProblem(config)}\n\n${describeSpace(config.parameters)}`;
}

const DIVERSITY_RULES =
  'Do not recommend values at the minimum or maximum of a range and do not round values: use the ' +
  'precision the ranges allow. Every configuration must differ from the ones above.';

function answerFormat(count: number): string {
  return (
    `Answer with a JSON object {"configurations": [...]} holding ${count} configuration${count === 1 ? '' : 's'}, ` +
    'each an object from parameter name to value.'
  );
}

/** Tokens left for examples after the fixed parts of the prompt. */
function exampleBudget(budget: PromptBudget, fixedParts: string[]): number {
  return Math.max(0, budget.maxPromptTokens - fixedParts.reduce((s, t) => s + estimateTokens(t), 0) - 8);
}

export function buildWarmStartPrompt(
  config: StudyConfig,
  history: StudyHistory,
  count: number,
  budget: PromptBudget = DEFAULT_PROMPT_BUDGET,
): LlmPrompt {
  const intro = header(config);
  const ask =
    `Recommend ${count} diverse configurations that you expect to perform well on this problem, from your ` +
    'knowledge of similar problems. Spread them over the promising region rather than around one point. ' +
    `${DIVERSITY_RULES}\n${answerFormat(count)}`;
  const examples = fewShotBlock(config.parameters, history.observations, history.goal, exampleBudget(budget, [SYSTEM, intro, ask]));
  const seen = examples.included > 0 ? `\n\nConfigurations evaluated so far:\n\n${examples.text}` : '';
  return {
    kind: 'warm_start',
    system: SYSTEM,
    user: `${intro}${seen}\n\n${ask}`,
    schema: configurationsReplySchema(config.parameters, count),
    maxReplyTokens: count * replyTokensPerConfiguration(config) + 16,
    examplesIncluded: examples.included,
    examplesOmitted: examples.omitted,
  };
}

export function buildCandidatePrompt(
  config: StudyConfig,
  history: StudyHistory,
  count: number,
  target: number,
  budget: PromptBudget = DEFAULT_PROMPT_BUDGET,
): LlmPrompt {
  const intro = `${header(config)}\n\nThe following are examples of the performance of configurations, from worst to best:`;
  const ask =
    `Recommend ${count} configurations that can achieve the target performance of ${formatObjective(target)}. ` +
    `${DIVERSITY_RULES}\n${answerFormat(count)}`;
  const examples = fewShotBlock(config.parameters, history.observations, history.goal, exampleBudget(budget, [SYSTEM, intro, ask]));
  return {
    kind: 'candidates',
    system: SYSTEM,
    user: `${intro}\n\n${examples.text}\n\n${ask}`,
    schema: configurationsReplySchema(config.parameters, count),
    maxReplyTokens: count * replyTokensPerConfiguration(config) + 16,
    examplesIncluded: examples.included,
    examplesOmitted: examples.omitted,
  };
}

/** LLAMBO's discriminative surrogate: the examples (shuffled by `rng`, a different order per prompt)
 *  and the configurations to score; the model predicts each one's performance. */
export function buildSurrogatePrompt(
  config: StudyConfig,
  history: StudyHistory,
  queries: Assignment[],
  rng: Rng,
  budget: PromptBudget = DEFAULT_PROMPT_BUDGET,
): LlmPrompt {
  const intro = `${header(config)}\n\nThe following are examples of the performance of configurations:`;
  const list = queries.map((q, i) => `${i + 1}. ${serialiseConfiguration(config.parameters, q)}`).join('\n');
  const ask =
    `Predict the performance ("${history.objective}") of each of these ${queries.length} configurations:\n${list}\n` +
    `Answer with a JSON object {"predictions": [...]} holding ${queries.length} numbers, in the order above.`;
  const examples = fewShotBlock(config.parameters, history.observations, history.goal, exampleBudget(budget, [SYSTEM, intro, ask]), rng);
  return {
    kind: 'surrogate',
    system: SYSTEM,
    user: `${intro}\n\n${examples.text}\n\n${ask}`,
    schema: predictionsReplySchema(queries.length),
    maxReplyTokens: queries.length * 8 + 16,
    examplesIncluded: examples.included,
    examplesOmitted: examples.omitted,
  };
}

export function estimatePromptTokens(prompt: LlmPrompt): number {
  return estimateTokens(prompt.system) + estimateTokens(prompt.user);
}

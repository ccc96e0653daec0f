/** Nest injection token of the optional CandidateAdvisor (libs/core/src/types.ts): the LLM module
 *  provides it (apps/server/src/llm/); without it, studies run on their policy alone. */
export const CANDIDATE_ADVISOR = Symbol.for('hpo.CandidateAdvisor');

/** A tokenizer-free token estimate, used to trim prompts to a budget and to pre-check token budgets
 *  before a call (the provider's own count, when it reports one, is what gets charged).
 *
 *  BPE tokenizers average about 4 characters a token on English prose (OpenAI's rule of thumb), but
 *  our prompts are mostly numbers, names with underscores and JSON punctuation, which split finer:
 *  on GPT-style and Llama tokenizers such text runs at about 3 characters a token. Dividing by 3
 *  over-estimates prose slightly, which is the safe side for a budget. */
export const CHARS_PER_TOKEN = 3;

export function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

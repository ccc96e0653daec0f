/** libs/llm: LLAMBO-style LLM assistance (Liu et al., ICLR 2024). Prompt building, reply parsing,
 *  target values and the surrogate are pure; providers (providers/) do the I/O. */
export * from './token-estimate';
export * from './json-schema';
export * from './study-history';
export * from './format-value';
export * from './describe-study';
export * from './few-shot-examples';
export * from './target-value';
export * from './prompts';
export * from './extract-json';
export * from './coerce-candidate';
export * from './parse-reply';
export * from './llm-surrogate';
export * from './llm-advisor';
export * from './providers/types';
export * from './providers/guarded-provider';
export * from './providers/openai-compatible-provider';
export * from './providers/local-gguf-provider';
export { projectRoot, sharedModelsDir } from './providers/project-root';

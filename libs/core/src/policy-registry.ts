/** Algorithms by name (Vizier's policy factory, Optuna's samplers by class): the server asks for the
 *  study's algorithm and never sees its inside. Entries are added in policies/index.ts, which
 *  create-policy.ts imports, so importing libs/core/src/index.ts (or create-policy.ts) always sees every
 *  registration. This file imports nothing that registers, so it has no ordering traps. */
import type { AlgorithmName, EarlyStoppingMode, EarlyStoppingPolicy, StudyConfig, SuggestionPolicy } from './types';

export type SuggestionPolicyFactory = (config: StudyConfig) => SuggestionPolicy;
export type EarlyStoppingPolicyFactory = (config: StudyConfig) => EarlyStoppingPolicy;

const suggestionFactories = new Map<AlgorithmName, SuggestionPolicyFactory>();
const earlyStoppingFactories = new Map<EarlyStoppingMode, EarlyStoppingPolicyFactory>();

/** Registering a name twice is a programming error (two modules claiming one algorithm). */
export function registerSuggestionPolicy(algorithm: AlgorithmName, factory: SuggestionPolicyFactory): void {
  if (suggestionFactories.has(algorithm)) throw new Error(`suggestion policy ${algorithm} is already registered`);
  suggestionFactories.set(algorithm, factory);
}

export function registerEarlyStoppingPolicy(mode: EarlyStoppingMode, factory: EarlyStoppingPolicyFactory): void {
  if (earlyStoppingFactories.has(mode)) throw new Error(`early-stopping policy ${mode} is already registered`);
  earlyStoppingFactories.set(mode, factory);
}

/** Wraps the study's suggestion policy when its early-stopping mode takes part in suggesting (FREEZE_THAW
 *  decides between thawing a PAUSED trial and a new configuration). One decorator per mode. */
export type SuggestionPolicyDecorator = (inner: SuggestionPolicy, config: StudyConfig) => SuggestionPolicy;
const suggestionDecorators = new Map<EarlyStoppingMode, SuggestionPolicyDecorator>();

export function registerSuggestionDecorator(mode: EarlyStoppingMode, decorator: SuggestionPolicyDecorator): void {
  if (suggestionDecorators.has(mode)) throw new Error(`suggestion decorator for ${mode} is already registered`);
  suggestionDecorators.set(mode, decorator);
}

export function suggestionDecorator(mode: EarlyStoppingMode): SuggestionPolicyDecorator | undefined {
  return suggestionDecorators.get(mode);
}

export function suggestionPolicyFactory(algorithm: AlgorithmName): SuggestionPolicyFactory | undefined {
  return suggestionFactories.get(algorithm);
}

export function earlyStoppingPolicyFactory(mode: EarlyStoppingMode): EarlyStoppingPolicyFactory | undefined {
  return earlyStoppingFactories.get(mode);
}

export function registeredSuggestionAlgorithms(): AlgorithmName[] {
  return [...suggestionFactories.keys()];
}

export function registeredEarlyStoppingModes(): EarlyStoppingMode[] {
  return [...earlyStoppingFactories.keys()];
}

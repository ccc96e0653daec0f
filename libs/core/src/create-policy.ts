/** The policy for a study's config. Importing './policies' here is what registers every algorithm, so
 *  whoever can call these functions has every registration. */
import './policies';
import { InvalidArgumentError } from '@hpo/space';
import {
  earlyStoppingPolicyFactory,
  registeredEarlyStoppingModes,
  registeredSuggestionAlgorithms,
  suggestionDecorator,
  suggestionPolicyFactory,
} from './policy-registry';
import type { EarlyStoppingPolicy, StudyConfig, SuggestionPolicy } from './types';

/** Throws InvalidArgumentError (field config.algorithm) for an algorithm this build does not provide:
 *  never a silent fallback to another algorithm. */
export function createSuggestionPolicy(config: StudyConfig): SuggestionPolicy {
  const factory = suggestionPolicyFactory(config.algorithm);
  if (!factory) {
    throw new InvalidArgumentError(
      'config.algorithm',
      `${String(config.algorithm)} is not available in this build (available: ${registeredSuggestionAlgorithms().join(', ')})`,
    );
  }
  const decorate = suggestionDecorator(config.earlyStopping?.mode ?? 'NONE');
  return decorate ? decorate(factory(config), config) : factory(config);
}

/** Throws InvalidArgumentError (field config.early_stopping.mode) for a mode this build does not provide. */
export function createEarlyStoppingPolicy(config: StudyConfig): EarlyStoppingPolicy {
  const mode = config.earlyStopping?.mode ?? 'NONE';
  const factory = earlyStoppingPolicyFactory(mode);
  if (!factory) {
    throw new InvalidArgumentError(
      'config.early_stopping.mode',
      `${String(mode)} is not available in this build (available: ${registeredEarlyStoppingModes().join(', ')})`,
    );
  }
  return factory(config);
}

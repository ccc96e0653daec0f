/** libs/core: the policy layer between the server and the algorithms (Vizier's Pythia).
 *
 *  Exports (others code against these names):
 *  - types.ts and errors.ts (the policy contract: suggest → { suggestions, state }, decide → { decisions,
 *    state }; PolicyState is one versioned part per model, shared by both sides of a study)
 *  - validateStudyConfig(config): void; MAX_GRID_RESOLUTION
 *  - validateMeasurement(config, measurement, field = 'measurement', rules = { final?: boolean }): void
 *  - objectiveValue(config, measurement): number | undefined; isBetter(config, a, b): boolean
 *  - bestTrials(study): TrialView[]; dominates(a, b)
 *  - metricRole, objectiveMetrics, constraintMetrics, isMultiMetric, isFeasible, satisfiesConstraint (metric roles)
 *  - optimalTrials(study): { trials, reason? } (ListOptimalTrials: best posterior mean in a noisy GP study)
 *  - createSuggestionPolicy(config), createEarlyStoppingPolicy(config)  (throw InvalidArgumentError if unregistered)
 *  - registerSuggestionPolicy(algorithm, factory), registerEarlyStoppingPolicy(mode, factory),
 *    registeredSuggestionAlgorithms(), registeredEarlyStoppingModes()
 *  - DEFAULT_GRID_RESOLUTION
 *  - studyConfig(fields): StudyConfig (the unset fields filled with STUDY_CONFIG_DEFAULTS); DEFAULT_LEASE_SECONDS
 *  - upgradeStudyConfig(stored, version): StudyConfig; STUDY_CONFIG_VERSION (stored configs upgraded on read)
 */
export * from './types';
// The domain errors live at the bottom of the lib graph (libs/space) so every lib can throw them.
export { HpoError, InvalidArgumentError, NotFoundError, AlreadyExistsError, FailedPreconditionError, UnauthenticatedError, PermissionDeniedError, ResourceExhaustedError, UnavailableError } from '@hpo/space';
export { validateStudyConfig, MAX_GRID_RESOLUTION } from './validate-study-config';
export { validateMeasurement } from './validate-measurement';
export type { MeasurementRules } from './validate-measurement';
export { objectiveValue, isBetter } from './objective';
export { bestTrials, dominates } from './best-trials';
export { metricRole, objectiveMetrics, constraintMetrics, isMultiMetric, isFeasible, satisfiesConstraint, orientedValue } from './metric-roles';
export { optimalTrials, NOISY_VARIANCE, type OptimalTrials } from './policies/posterior-incumbent';
export { createSuggestionPolicy, createEarlyStoppingPolicy } from './create-policy';
export {
  registerSuggestionPolicy,
  registerEarlyStoppingPolicy,
  registeredSuggestionAlgorithms,
  registeredEarlyStoppingModes,
} from './policy-registry';
export type { SuggestionPolicyFactory, EarlyStoppingPolicyFactory } from './policy-registry';
export { DEFAULT_GRID_RESOLUTION } from './policies/grid-search';
export { studyConfig, STUDY_CONFIG_DEFAULTS, DEFAULT_LEASE_SECONDS } from './study-config-defaults';
export type { StudyConfigFields, StudyConfigDefaults } from './study-config-defaults';
export { upgradeStudyConfig, STUDY_CONFIG_VERSION } from './study-config-versions';
// The policies themselves, for the server's policy worker and the benches that drive one directly.
export { initialDesign, designPhase, designSizeForDimension } from './initial-design';
export type { InitialDesign, DesignPhase } from './initial-design';
export { createGpBanditPolicy, gpModelState, GP_STATE_PART, GP_STATE_VERSION } from './policies/gp-bandit';
export type { GpBanditPolicy, GpBanditOptions, GpBanditModelState } from './policies/gp-bandit';
export { createFreezeThawStoppingPolicy } from './policies/freeze-thaw-stopping';
export { earlyStoppingWarmUp, warmUpReason } from './policies/early-stopping-warm-up';
export { fitStudyFreezeThaw, freezeThawModelState, FREEZE_THAW_STATE_PART, FREEZE_THAW_STATE_VERSION } from './policies/freeze-thaw-fit';
export type { FreezeThawFit, FreezeThawModelState } from './policies/freeze-thaw-fit';
export { withFreezeThaw } from './policies/freeze-thaw-suggestion';

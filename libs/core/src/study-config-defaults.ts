/** What a StudyConfig field means when it is not set: the defaults study.proto documents and the server
 *  applies (apps/server/src/grpc/wire-mapping.ts studyConfigFromWire reads them from here), and
 *  studyConfig(), which builds a full config from the fields that matter to the caller (tests, benches). */
import type { EarlyStoppingConfig, StudyConfig } from './types';

/** "0 means 300 seconds" (study.proto, lease_seconds). */
export const DEFAULT_LEASE_SECONDS = 300;

export type StudyConfigDefaults = Readonly<Omit<StudyConfig, 'parameters' | 'metrics' | 'llm' | 'earlyStopping'>> & {
  readonly earlyStopping: Readonly<EarlyStoppingConfig>;
};

/** Every field but parameters, metrics and llm (absent: no LLM assistance). seed 0 is "unset": the
 *  server replaces it with a random seed when it creates the study. */
export const STUDY_CONFIG_DEFAULTS: StudyConfigDefaults = Object.freeze({
  algorithm: 'GP_BANDIT',
  acquisition: 'LOG_EI',
  earlyStopping: Object.freeze({ mode: 'NONE', maxStep: 0, minSteps: 0, minTrials: 0, maxStepsTotal: 0 }),
  problemDescription: '',
  maxTrials: 0,
  maxParallel: 0,
  seed: 0,
  leaseSeconds: DEFAULT_LEASE_SECONDS,
  gridResolution: 0,
});

export type StudyConfigFields = Pick<StudyConfig, 'parameters' | 'metrics'> & Partial<StudyConfig>;

/** A full StudyConfig: STUDY_CONFIG_DEFAULTS overridden by every key present in fields (a key present
 *  with the value undefined overrides too, as in an object spread). Not validated. */
export function studyConfig(fields: StudyConfigFields): StudyConfig {
  const { parameters, metrics, ...rest } = fields;
  // parameters and metrics first, in StudyConfig's order (as the stored JSON lists them).
  return { parameters, metrics, ...STUDY_CONFIG_DEFAULTS, earlyStopping: { ...STUDY_CONFIG_DEFAULTS.earlyStopping }, ...rest };
}

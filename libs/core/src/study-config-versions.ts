/** Stored StudyConfigs carry the version of their format (studies.config_version) and are upgraded on
 *  read, one step at a time (version N → N+1), so a field added later has its documented default in
 *  every study stored before it, and code never meets a config shape it was not written for.
 *
 *  To change the stored format: bump STUDY_CONFIG_VERSION and append one step to UPGRADES that turns a
 *  config of the previous version into the new one (pure data, no I/O); leave the earlier steps alone.
 *
 *  Versions:
 *  1  configs stored before they carried a version: any field may be missing (early_stopping's
 *     max_steps_total, acquisition, lease_seconds, grid_resolution, the LLM block's later fields ...).
 *  2  every StudyConfig field present (the first versioned format). */
import { FailedPreconditionError } from '@hpo/space';
import { STUDY_CONFIG_DEFAULTS } from './study-config-defaults';
import type { StudyConfig } from './types';

/** The format this code writes. */
export const STUDY_CONFIG_VERSION = 2;

/** A stored config as JSON data, before it is known to be a StudyConfig. */
type StoredConfig = Record<string, unknown>;

/** UPGRADES[n - 1] turns a version-n config into a version-(n + 1) one. */
const UPGRADES: ReadonlyArray<(config: StoredConfig) => StoredConfig> = [fillMissingFields];

/** Version 1 → 2: every field that is missing (or null) takes the default study.proto documents. */
function fillMissingFields(v1: StoredConfig): StoredConfig {
  const d = STUDY_CONFIG_DEFAULTS;
  const es = isObject(v1.earlyStopping) ? v1.earlyStopping : {};
  const upgraded: StoredConfig = {
    ...v1,
    parameters: Array.isArray(v1.parameters) ? v1.parameters : [],
    metrics: Array.isArray(v1.metrics) ? v1.metrics : [],
    algorithm: v1.algorithm ?? d.algorithm,
    acquisition: v1.acquisition ?? d.acquisition,
    earlyStopping: {
      mode: es.mode ?? d.earlyStopping.mode,
      maxStep: es.maxStep ?? d.earlyStopping.maxStep,
      minSteps: es.minSteps ?? d.earlyStopping.minSteps,
      minTrials: es.minTrials ?? d.earlyStopping.minTrials,
      maxStepsTotal: es.maxStepsTotal ?? d.earlyStopping.maxStepsTotal,
    },
    problemDescription: v1.problemDescription ?? d.problemDescription,
    maxTrials: v1.maxTrials ?? d.maxTrials,
    maxParallel: v1.maxParallel ?? d.maxParallel,
    seed: v1.seed ?? d.seed,
    // "0 means 300 seconds", as at creation.
    leaseSeconds: v1.leaseSeconds || d.leaseSeconds,
    gridResolution: v1.gridResolution ?? d.gridResolution,
  };
  if (isObject(v1.llm)) {
    const l = v1.llm;
    upgraded.llm = {
      enabled: l.enabled ?? false,
      provider: l.provider ?? 'OPENAI_COMPATIBLE',
      model: l.model ?? '',
      baseUrl: l.baseUrl ?? '',
      warmStart: l.warmStart ?? false,
      candidateSampling: l.candidateSampling ?? false,
      surrogate: l.surrogate ?? false,
      maxTokensTotal: l.maxTokensTotal ?? 0,
      timeoutSeconds: l.timeoutSeconds ?? 0,
      warmStartTrials: l.warmStartTrials ?? 0,
    };
  } else {
    delete upgraded.llm;
  }
  return upgraded;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The config of the current version from a stored one of `version` (1 for rows stored before configs
 *  carried a version). A config from a newer server (a version this code does not know) is refused:
 *  guessing its meaning could run a study with the wrong settings (FAILED_PRECONDITION). */
export function upgradeStudyConfig(stored: unknown, version: number): StudyConfig {
  if (!Number.isInteger(version) || version < 1) {
    throw new FailedPreconditionError(`stored study config version ${String(version)} is not a version (1 or more)`);
  }
  if (version > STUDY_CONFIG_VERSION) {
    throw new FailedPreconditionError(
      `this study was stored by a newer server (config version ${version}; this server reads up to ${STUDY_CONFIG_VERSION}): upgrade the server`,
    );
  }
  if (!isObject(stored)) throw new FailedPreconditionError('the stored study config is not a JSON object');
  let config: StoredConfig = stored;
  for (let v = version; v < STUDY_CONFIG_VERSION; v++) config = UPGRADES[v - 1](config);
  return config as unknown as StudyConfig;
}

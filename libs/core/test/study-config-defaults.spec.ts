import { DEFAULT_LEASE_SECONDS, STUDY_CONFIG_DEFAULTS, studyConfig, validateStudyConfig } from '../src/index';
import type { MetricSpec } from '../src/types';
import type { ParameterSpec } from '@hpo/space';

const parameters: ParameterSpec[] = [{ name: 'x', type: 'DOUBLE', min: 0, max: 1, scale: 'LINEAR' }];
const metrics: MetricSpec[] = [{ name: 'loss', goal: 'MINIMIZE' }];

describe('studyConfig', () => {
  it('fills every unset field with the documented default', () => {
    expect(studyConfig({ parameters, metrics })).toStrictEqual({
      parameters,
      metrics,
      algorithm: 'GP_BANDIT',
      acquisition: 'LOG_EI',
      earlyStopping: { mode: 'NONE', maxStep: 0, maxStepsTotal: 0, minSteps: 0, minTrials: 0 },
      problemDescription: '',
      maxTrials: 0,
      maxParallel: 0,
      seed: 0,
      leaseSeconds: 300,
      gridResolution: 0,
    });
    expect(DEFAULT_LEASE_SECONDS).toBe(300);
  });

  it('lets every given field win over its default', () => {
    const llm = {
      enabled: true,
      provider: 'LOCAL_GGUF' as const,
      model: 'm.gguf',
      baseUrl: '',
      warmStart: true,
      candidateSampling: false,
      surrogate: false,
      maxTokensTotal: 10,
      timeoutSeconds: 5,
      warmStartTrials: 2,
    };
    const overrides = {
      algorithm: 'RANDOM_SEARCH',
      acquisition: 'UCB',
      earlyStopping: { mode: 'MEDIAN', maxStep: 10, minSteps: 2, minTrials: 3 },
      llm,
      problemDescription: 'p',
      maxTrials: 20,
      maxParallel: 4,
      seed: 7,
      leaseSeconds: 60,
      gridResolution: 5,
    } as const;
    const config = studyConfig({ parameters, metrics, ...overrides });
    expect(config).toStrictEqual({ parameters, metrics, ...overrides });
    // Each field on its own, too: the others keep their defaults.
    for (const [key, value] of Object.entries(overrides)) {
      expect(studyConfig({ parameters, metrics, [key]: value })).toStrictEqual({ ...studyConfig({ parameters, metrics }), [key]: value });
    }
  });

  it('returns a fresh earlyStopping each time and leaves the shared defaults alone', () => {
    const a = studyConfig({ parameters, metrics });
    a.earlyStopping.maxStep = 99;
    expect(studyConfig({ parameters, metrics }).earlyStopping.maxStep).toBe(0);
    expect(STUDY_CONFIG_DEFAULTS.earlyStopping.maxStep).toBe(0);
    expect(Object.isFrozen(STUDY_CONFIG_DEFAULTS) && Object.isFrozen(STUDY_CONFIG_DEFAULTS.earlyStopping)).toBe(true);
  });

  it('gives a config that passes validation for a valid space', () => {
    expect(() => validateStudyConfig(studyConfig({ parameters, metrics }))).not.toThrow();
    expect(() => validateStudyConfig(studyConfig({ parameters, metrics, algorithm: 'GRID_SEARCH', seed: 3 }))).not.toThrow();
  });
});

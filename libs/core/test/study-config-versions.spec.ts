import { FailedPreconditionError, STUDY_CONFIG_VERSION, studyConfig, upgradeStudyConfig, validateStudyConfig } from '../src/index';

const parameters = [{ name: 'x', type: 'DOUBLE', min: 0, max: 1, scale: 'LINEAR' }];
const metrics = [{ name: 'loss', goal: 'MINIMIZE' }];

describe('upgradeStudyConfig', () => {
  it('fills every field a version-1 config lacks with its documented default', () => {
    const v1 = { parameters, metrics, algorithm: 'RANDOM_SEARCH', earlyStopping: { mode: 'MEDIAN', maxStep: 10, minSteps: 2, minTrials: 3 }, seed: 9 };
    const upgraded = upgradeStudyConfig(v1, 1);
    expect(upgraded).toStrictEqual(
      studyConfig({ parameters: parameters as any, metrics: metrics as any, algorithm: 'RANDOM_SEARCH', seed: 9, earlyStopping: { mode: 'MEDIAN', maxStep: 10, minSteps: 2, minTrials: 3, maxStepsTotal: 0 } }),
    );
    expect(() => validateStudyConfig(upgraded)).not.toThrow();
  });

  it('completes an old LLM block and keeps what was set', () => {
    const upgraded = upgradeStudyConfig({ parameters, metrics, llm: { enabled: true, model: 'm', warmStart: true } }, 1);
    expect(upgraded.llm).toStrictEqual({
      enabled: true,
      provider: 'OPENAI_COMPATIBLE',
      model: 'm',
      baseUrl: '',
      warmStart: true,
      candidateSampling: false,
      surrogate: false,
      maxTokensTotal: 0,
      timeoutSeconds: 0,
      warmStartTrials: 0,
    });
    expect('llm' in upgradeStudyConfig({ parameters, metrics, llm: null }, 1)).toBe(false);
  });

  it('leaves a current config as it is', () => {
    const current = studyConfig({ parameters: parameters as any, metrics: metrics as any, maxTrials: 5 });
    expect(upgradeStudyConfig(JSON.parse(JSON.stringify(current)), STUDY_CONFIG_VERSION)).toStrictEqual(current);
    // Upgrading a complete config from version 1 changes nothing either.
    expect(upgradeStudyConfig(JSON.parse(JSON.stringify(current)), 1)).toStrictEqual(current);
  });

  it('refuses versions it does not know (a newer server wrote it) and non-objects', () => {
    expect(() => upgradeStudyConfig({ parameters, metrics }, STUDY_CONFIG_VERSION + 1)).toThrow(FailedPreconditionError);
    expect(() => upgradeStudyConfig({ parameters, metrics }, STUDY_CONFIG_VERSION + 1)).toThrow(/newer server/);
    expect(() => upgradeStudyConfig({ parameters, metrics }, 0)).toThrow(FailedPreconditionError);
    expect(() => upgradeStudyConfig('x', 1)).toThrow(FailedPreconditionError);
  });
});

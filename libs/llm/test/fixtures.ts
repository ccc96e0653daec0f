/** Studies the LLM module's tests share: Branin (2 DOUBLEs) and a mixed space with every type and a
 *  conditional child. */
import { studyConfig } from '@hpo/core';
import type { StudyConfig, StudyView, TrialView } from '@hpo/core';
import type { Assignment } from '@hpo/space';

export function baseConfig(overrides: Partial<StudyConfig> = {}): StudyConfig {
  return studyConfig({
    parameters: [],
    metrics: [{ name: 'loss', goal: 'MINIMIZE' }],
    algorithm: 'LLM_GP_BANDIT',
    seed: 7,
    gridResolution: 5,
    llm: {
      enabled: true,
      provider: 'OPENAI_COMPATIBLE',
      model: 'scripted',
      baseUrl: '',
      warmStart: true,
      candidateSampling: true,
      surrogate: false,
      maxTokensTotal: 0,
      timeoutSeconds: 5,
      warmStartTrials: 0,
    },
    ...overrides,
  });
}

export const braninConfig = (overrides: Partial<StudyConfig> = {}): StudyConfig =>
  baseConfig({
    parameters: [
      { name: 'x1', type: 'DOUBLE', min: -5, max: 10, scale: 'LINEAR' },
      { name: 'x2', type: 'DOUBLE', min: 0, max: 15, scale: 'LINEAR' },
    ],
    problemDescription: 'The Branin function, a standard 2-d test function with three global minima.',
    ...overrides,
  });

export const mixedConfig = (overrides: Partial<StudyConfig> = {}): StudyConfig =>
  baseConfig({
    parameters: [
      { name: 'learning_rate', type: 'DOUBLE', min: 1e-5, max: 0.1, scale: 'LOG' },
      { name: 'layers', type: 'INTEGER', min: 1, max: 8 },
      { name: 'batch_size', type: 'DISCRETE', values: [16, 32, 64, 128] },
      {
        name: 'optimizer',
        type: 'CATEGORICAL',
        categories: ['adam', 'sgd'],
        children: [{ parentCategories: ['sgd'], parameter: { name: 'momentum', type: 'DOUBLE', min: 0, max: 0.99 } }],
      },
    ],
    metrics: [{ name: 'accuracy', goal: 'MAXIMIZE' }],
    problemDescription: 'A 2-layer MLP on MNIST; validation accuracy after 5 epochs.',
    ...overrides,
  });

export function completed(id: number, parameters: Assignment, metric: string, value: number): TrialView {
  return { id, state: 'SUCCEEDED', parameters, measurements: [], finalMeasurement: { step: 1, metrics: { [metric]: value }, elapsedSeconds: 1 } };
}

export function study(config: StudyConfig, trials: TrialView[] = []): StudyView {
  return { config, trials };
}

/** A valid study config to vary in the core tests. */
import { studyConfig } from '../src/study-config-defaults';
import type { StudyConfig, TrialView } from '../src/types';

export function baseConfig(overrides: Partial<StudyConfig> = {}): StudyConfig {
  return studyConfig({
    parameters: [
      { name: 'learning_rate', type: 'DOUBLE', min: 1e-4, max: 1, scale: 'LOG' },
      { name: 'layers', type: 'INTEGER', min: 1, max: 4 },
      {
        name: 'optimizer',
        type: 'CATEGORICAL',
        categories: ['sgd', 'adam'],
        children: [{ parentCategories: ['sgd'], parameter: { name: 'momentum', type: 'DISCRETE', values: [0, 0.5, 0.9] } }],
      },
    ],
    metrics: [{ name: 'accuracy', goal: 'MAXIMIZE' }],
    algorithm: 'RANDOM_SEARCH',
    problemDescription: 'a small CNN on MNIST',
    seed: 1,
    leaseSeconds: 60,
    ...overrides,
  });
}

export function succeeded(id: number, metrics: Record<string, number>, parameters = {}): TrialView {
  return {
    id,
    state: 'SUCCEEDED',
    parameters,
    finalMeasurement: { step: 0, metrics, elapsedSeconds: 1 },
    measurements: [],
  };
}

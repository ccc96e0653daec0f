/** Wire-format StudyConfigs used across the server tests. */
export function quasiRandomConfig(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    parameters: [
      { name: 'learning_rate', type: 'DOUBLE', minValue: 1e-4, maxValue: 1e-1, scale: 'LOG' },
      { name: 'layers', type: 'INTEGER', minValue: 1, maxValue: 4 },
      {
        name: 'optimizer',
        type: 'CATEGORICAL',
        categories: ['sgd', 'adam'],
        children: [{ parentCategories: ['sgd'], parameter: { name: 'momentum', type: 'DOUBLE', minValue: 0, maxValue: 0.99 } }],
      },
    ],
    metrics: [{ name: 'accuracy', goal: 'MAXIMIZE' }],
    algorithm: 'QUASI_RANDOM_SEARCH',
    ...overrides,
  };
}

export function measurement(step: number, accuracy: number, elapsedSeconds = step): Record<string, unknown> {
  return { step, metrics: [{ name: 'accuracy', value: accuracy }], elapsedSeconds };
}

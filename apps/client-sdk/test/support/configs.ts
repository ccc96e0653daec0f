/** Small study configurations for the SDK tests. */
import type { StudyConfig } from '../../src';

export function quadraticConfig(overrides: Partial<StudyConfig> = {}): StudyConfig {
  return {
    parameters: [
      { name: 'x', type: 'DOUBLE', min: -2, max: 2 },
      { name: 'n', type: 'INTEGER', min: 1, max: 8 },
      { name: 'kind', type: 'CATEGORICAL', categories: ['a', 'b'], children: [{ parentCategories: ['b'], parameter: { name: 'w', type: 'DOUBLE', min: 0, max: 1 } }] },
      { name: 'batch', type: 'DISCRETE', values: [16, 32, 64] },
    ],
    metrics: [{ name: 'loss', goal: 'MINIMIZE' }],
    algorithm: 'QUASI_RANDOM_SEARCH',
    ...overrides,
  };
}

/** The objective the tests train towards: smallest at x = 0.5. */
export function quadraticLoss(params: Record<string, number | string>): number {
  const x = params.x as number;
  return (x - 0.5) ** 2 + 0.01 * (params.n as number);
}

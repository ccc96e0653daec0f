import { InvalidArgumentError } from '@hpo/space';
import { validateStudyConfig } from '../src/index';
import type { StudyConfig } from '../src/types';
import { baseConfig } from './fixtures';

function expectInvalid(config: StudyConfig, field: string, rule: RegExp): void {
  let caught: unknown;
  try {
    validateStudyConfig(config);
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(InvalidArgumentError);
  expect((caught as InvalidArgumentError).field).toBe(field);
  expect((caught as InvalidArgumentError).rule).toMatch(rule);
}

const es = (o: Partial<StudyConfig['earlyStopping']>) => ({ ...baseConfig().earlyStopping, ...o });
const llm = (o: Partial<NonNullable<StudyConfig['llm']>>): NonNullable<StudyConfig['llm']> => ({
  enabled: true,
  provider: 'OPENAI_COMPATIBLE',
  model: 'gpt-4o-mini',
  baseUrl: '',
  warmStart: true,
  candidateSampling: true,
  surrogate: false,
  maxTokensTotal: 100000,
  timeoutSeconds: 30,
  warmStartTrials: 5,
  ...o,
});

describe('validateStudyConfig', () => {
  it('accepts valid configs, including FREEZE_THAW with max_step, several metrics, and an LLM block', () => {
    expect(() => validateStudyConfig(baseConfig())).not.toThrow();
    expect(() =>
      validateStudyConfig(
        baseConfig({
          earlyStopping: es({ mode: 'FREEZE_THAW', maxStep: 20 }),
          metrics: [{ name: 'accuracy', goal: 'MAXIMIZE' }, { name: 'latency_ms', goal: 'MINIMIZE' }],
          algorithm: 'LLM_GP_BANDIT',
          llm: llm({}),
        }),
      ),
    ).not.toThrow();
    expect(() => validateStudyConfig(baseConfig({ llm: llm({ enabled: false, provider: 'X' as never }) }))).not.toThrow();
  });

  it.each<[string, Partial<StudyConfig>, string, RegExp]>([
    ['no metrics', { metrics: [] }, 'config.metrics', /at least one metric/],
    ['an empty metric name', { metrics: [{ name: '', goal: 'MAXIMIZE' }] }, 'config.metrics[0].name', /non-empty/],
    ['an invalid metric name', { metrics: [{ name: 'top 1', goal: 'MAXIMIZE' }] }, 'config.metrics[0].name', /only letters/],
    [
      'duplicate metric names',
      { metrics: [{ name: 'loss', goal: 'MINIMIZE' }, { name: 'loss', goal: 'MAXIMIZE' }] },
      'config.metrics[1].name',
      /duplicate metric name "loss"/,
    ],
    ['an unset goal', { metrics: [{ name: 'loss', goal: 'GOAL_UNSPECIFIED' as never }] }, 'config.metrics[0].goal', /MAXIMIZE, MINIMIZE/],
    ['an empty space', { parameters: [] }, 'config.parameters', /at least one parameter/],
    [
      'an invalid parameter',
      { parameters: [{ name: 'x', type: 'DOUBLE', min: 0, max: 1, scale: 'LOG' }] },
      'config.parameters[0].min_value',
      /> 0 for LOG/,
    ],
    ['an unknown algorithm', { algorithm: 'TPE' as never }, 'config.algorithm', /must be one of GP_BANDIT/],
    ['an unknown acquisition', { acquisition: 'KG' as never }, 'config.acquisition', /LOG_EI/],
    ['an unknown early-stopping mode', { earlyStopping: es({ mode: 'PBT' as never }) }, 'config.early_stopping.mode', /NONE, MEDIAN, FREEZE_THAW, ASHA, HYPERBAND/],
    ['HYPERBAND without max_step', { earlyStopping: es({ mode: 'HYPERBAND', maxStep: 0 }) }, 'config.early_stopping.max_step', /must be > 0 for HYPERBAND/],
    ['FREEZE_THAW without max_step', { earlyStopping: es({ mode: 'FREEZE_THAW', maxStep: 0 }) }, 'config.early_stopping.max_step', /must be > 0 for FREEZE_THAW/],
    ['a negative max_step', { earlyStopping: es({ maxStep: -1 }) }, 'config.early_stopping.max_step', />= 0/],
    ['a fractional min_steps', { earlyStopping: es({ minSteps: 1.5 }) }, 'config.early_stopping.min_steps', /integer/],
    ['a NaN min_trials', { earlyStopping: es({ minTrials: NaN }) }, 'config.early_stopping.min_trials', /finite/],
    ['a negative max_trials', { maxTrials: -1 }, 'config.max_trials', />= 0/],
    ['an infinite max_parallel', { maxParallel: Infinity }, 'config.max_parallel', /finite/],
    ['a negative seed', { seed: -5 }, 'config.seed', />= 0/],
    ['a NaN lease', { leaseSeconds: NaN }, 'config.lease_seconds', /finite number >= 0 \(got NaN\)/],
    ['a fractional grid resolution', { gridResolution: 2.5 }, 'config.grid_resolution', /integer/],
    ['a grid resolution beyond the cap', { gridResolution: 1e9 }, 'config.grid_resolution', /at most 100000/],
    ['a seed beyond 2^53', { seed: 2 ** 63 }, 'config.seed', /integer between 0 and 2\^53 - 1/],
    ['a non-string problem description', { problemDescription: 3 as never }, 'config.problem_description', /string/],
    ['an unknown LLM provider', { llm: llm({ provider: 'ANTHROPIC' as never }) }, 'config.llm.provider', /OPENAI_COMPATIBLE, LOCAL_GGUF/],
    ['a LOCAL_GGUF provider without a model', { llm: llm({ provider: 'LOCAL_GGUF', model: '' }) }, 'config.llm.model', /GGUF/],
    ['a negative token budget', { llm: llm({ maxTokensTotal: -1 }) }, 'config.llm.max_tokens_total', />= 0/],
    ['an infinite LLM timeout', { llm: llm({ timeoutSeconds: Infinity }) }, 'config.llm.timeout_seconds', /finite/],
    [
      'a grid too large to walk',
      {
        algorithm: 'GRID_SEARCH',
        gridResolution: 100,
        parameters: Array.from({ length: 9 }, (_, i) => ({ name: `x${i}`, type: 'DOUBLE' as const, min: 0, max: 1 })),
      },
      'config.grid_resolution',
      /1.00e\+18 points/,
    ],
    [
      'a grid too large to walk, hidden in nested conditional children (counted without listing it)',
      {
        algorithm: 'GRID_SEARCH',
        gridResolution: 1000,
        parameters: [
          {
            name: 'c',
            type: 'CATEGORICAL',
            categories: ['a'],
            children: Array.from({ length: 6 }, (_, i) => ({ parentCategories: ['a'], parameter: { name: `x${i}`, type: 'DOUBLE' as const, min: 0, max: 1 } })),
          },
        ],
      },
      'config.grid_resolution',
      /1.00e\+18 points/,
    ],
  ])('rejects %s', (_, overrides, field, rule) => expectInvalid(baseConfig(overrides), field, rule));
});

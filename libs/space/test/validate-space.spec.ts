import { InvalidArgumentError } from '@hpo/core';
import { validateSpace } from '../src/validate-space';
import type { ParameterSpec, SearchSpace } from '../src/types';
import { degenerateSpace, mixedSpace } from './fixtures';

function expectInvalid(space: SearchSpace, field: string, rule: RegExp): void {
  let caught: unknown;
  try {
    validateSpace(space);
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(InvalidArgumentError);
  const error = caught as InvalidArgumentError;
  expect(error.code).toBe('INVALID_ARGUMENT');
  expect(error.field).toBe(field);
  expect(error.rule).toMatch(rule);
  expect(error.message).toBe(`${field}: ${error.rule}`);
}

const one = (p: Partial<ParameterSpec> & Record<string, unknown>): SearchSpace => ({ parameters: [p as ParameterSpec] });
const double = { name: 'x', type: 'DOUBLE' as const, min: 0, max: 1 };

describe('validateSpace', () => {
  it('accepts a space with every type, log scales, nested conditions and degenerate ranges', () => {
    expect(() => validateSpace(mixedSpace)).not.toThrow();
    expect(() => validateSpace(degenerateSpace)).not.toThrow();
  });

  it.each<[string, SearchSpace, string, RegExp]>([
    ['empty space', { parameters: [] }, 'config.parameters', /at least one parameter/],
    ['missing parameters list', {} as SearchSpace, 'config.parameters', /at least one parameter/],
    ['empty name', one({ ...double, name: '' }), 'config.parameters[0].name', /non-empty/],
    ['invalid name', one({ ...double, name: 'learning rate' }), 'config.parameters[0].name', /only letters, digits/],
    ['too long name', one({ ...double, name: 'a'.repeat(129) }), 'config.parameters[0].name', /at most 128/],
    [
      'duplicate names',
      { parameters: [double, { ...double }] },
      'config.parameters[1].name',
      /duplicate parameter name "x" \(already used at config.parameters\[0\].name\)/,
    ],
    [
      'duplicate name between a child and a top-level parameter',
      {
        parameters: [
          double,
          { name: 'c', type: 'CATEGORICAL', categories: ['a'], children: [{ parentCategories: ['a'], parameter: { ...double } }] },
        ],
      },
      'config.parameters[1].children[0].parameter.name',
      /duplicate parameter name "x"/,
    ],
    [
      'duplicate name between children of different parents',
      {
        parameters: [
          { name: 'c', type: 'CATEGORICAL', categories: ['a'], children: [{ parentCategories: ['a'], parameter: { ...double } }] },
          { name: 'd', type: 'INTEGER', min: 0, max: 1, children: [{ parentValues: [1], parameter: { ...double } }] },
        ],
      },
      'config.parameters[1].children[0].parameter.name',
      /duplicate parameter name "x" \(already used at config.parameters\[0\].children\[0\].parameter.name\)/,
    ],
    ['missing type', one({ name: 'x', min: 0, max: 1 }), 'config.parameters[0].type', /must be one of DOUBLE, INTEGER, DISCRETE, CATEGORICAL/],
    ['unknown type', one({ name: 'x', type: 'FLOAT' as never, min: 0, max: 1 }), 'config.parameters[0].type', /got FLOAT/],
    ['unknown scale', one({ ...double, scale: 'SQRT' as never }), 'config.parameters[0].scale', /LINEAR or LOG/],
    ['missing min', one({ name: 'x', type: 'DOUBLE', max: 1 }), 'config.parameters[0].min_value', /is required for DOUBLE parameters/],
    ['NaN max', one({ ...double, max: NaN }), 'config.parameters[0].max_value', /finite number/],
    ['infinite min', one({ ...double, min: -Infinity }), 'config.parameters[0].min_value', /finite number/],
    ['min > max', one({ ...double, min: 2, max: 1 }), 'config.parameters[0].max_value', /must be >= min_value \(1 < 2\)/],
    ['LOG with min = 0', one({ ...double, scale: 'LOG' }), 'config.parameters[0].min_value', /must be > 0 for LOG scale/],
    ['LOG with min < 0', one({ ...double, min: -1, scale: 'LOG' }), 'config.parameters[0].min_value', /must be > 0 for LOG scale/],
    ['INTEGER with fractional min', one({ name: 'n', type: 'INTEGER', min: 0.5, max: 3 }), 'config.parameters[0].min_value', /must be an integer/],
    ['INTEGER with fractional max', one({ name: 'n', type: 'INTEGER', min: 0, max: 3.5 }), 'config.parameters[0].max_value', /must be an integer/],
    ['DISCRETE with no values', one({ name: 'd', type: 'DISCRETE', values: [] }), 'config.parameters[0].discrete_values', /at least one value/],
    ['DISCRETE unsorted', one({ name: 'd', type: 'DISCRETE', values: [1, 3, 2] }), 'config.parameters[0].discrete_values[2]', /ascending order/],
    ['DISCRETE duplicated', one({ name: 'd', type: 'DISCRETE', values: [1, 2, 2] }), 'config.parameters[0].discrete_values[2]', /distinct/],
    ['DISCRETE non-finite', one({ name: 'd', type: 'DISCRETE', values: [1, NaN] }), 'config.parameters[0].discrete_values[1]', /finite number/],
    ['DISCRETE LOG with 0', one({ name: 'd', type: 'DISCRETE', values: [0, 1], scale: 'LOG' }), 'config.parameters[0].discrete_values[0]', /> 0 for LOG/],
    ['CATEGORICAL with no categories', one({ name: 'c', type: 'CATEGORICAL', categories: [] }), 'config.parameters[0].categories', /at least one category/],
    ['CATEGORICAL duplicated', one({ name: 'c', type: 'CATEGORICAL', categories: ['a', 'b', 'a'] }), 'config.parameters[0].categories[2]', /distinct \("a" is repeated\)/],
    ['CATEGORICAL empty string', one({ name: 'c', type: 'CATEGORICAL', categories: ['a', ''] }), 'config.parameters[0].categories[1]', /non-empty string/],
    ['CATEGORICAL with LOG', one({ name: 'c', type: 'CATEGORICAL', categories: ['a'], scale: 'LOG' }), 'config.parameters[0].scale', /not allowed for CATEGORICAL/],
    ['categories on a DOUBLE', one({ ...double, categories: ['a'] }), 'config.parameters[0].categories', /must be empty for DOUBLE/],
    ['values on a CATEGORICAL', one({ name: 'c', type: 'CATEGORICAL', categories: ['a'], values: [1] }), 'config.parameters[0].discrete_values', /must be empty for CATEGORICAL/],
    [
      'children on a DOUBLE parent',
      one({ ...double, children: [{ parentValues: [0], parameter: { name: 'y', type: 'DOUBLE', min: 0, max: 1 } }] }),
      'config.parameters[0].children[0]',
      /DOUBLE parameters cannot have conditional children/,
    ],
    [
      'child category not among the parent categories',
      one({ name: 'c', type: 'CATEGORICAL', categories: ['a', 'b'], children: [{ parentCategories: ['z'], parameter: { ...double } }] }),
      'config.parameters[0].children[0].parent_categories[0]',
      /"z" is not a category of parent "c"/,
    ],
    [
      'child with no parent categories',
      one({ name: 'c', type: 'CATEGORICAL', categories: ['a'], children: [{ parameter: { ...double } }] }),
      'config.parameters[0].children[0].parent_categories',
      /at least one/,
    ],
    [
      'child with parent values under a CATEGORICAL parent',
      one({ name: 'c', type: 'CATEGORICAL', categories: ['a'], children: [{ parentValues: [1], parameter: { ...double } }] }),
      'config.parameters[0].children[0].parent_values',
      /must be empty under a CATEGORICAL parent/,
    ],
    [
      'child value outside an INTEGER parent range',
      one({ name: 'n', type: 'INTEGER', min: 0, max: 3, children: [{ parentValues: [4], parameter: { ...double } }] }),
      'config.parameters[0].children[0].parent_values[0]',
      /4 is not a feasible value of parent "n" \(must be an integer in \[0, 3\]\)/,
    ],
    [
      'fractional child value under an INTEGER parent',
      one({ name: 'n', type: 'INTEGER', min: 0, max: 3, children: [{ parentValues: [1.5], parameter: { ...double } }] }),
      'config.parameters[0].children[0].parent_values[0]',
      /not a feasible value/,
    ],
    [
      'child value not among a DISCRETE parent values',
      one({ name: 'd', type: 'DISCRETE', values: [1, 2], children: [{ parentValues: [3], parameter: { ...double } }] }),
      'config.parameters[0].children[0].parent_values[0]',
      /must be one of 1, 2/,
    ],
    [
      'child with categories under a numeric parent',
      one({ name: 'd', type: 'DISCRETE', values: [1, 2], children: [{ parentCategories: ['a'], parameter: { ...double } }] }),
      'config.parameters[0].children[0].parent_categories',
      /must be empty under a DISCRETE parent/,
    ],
    [
      'child without a parameter',
      one({ name: 'd', type: 'DISCRETE', values: [1, 2], children: [{ parentValues: [1] } as never] }),
      'config.parameters[0].children[0].parameter',
      /is required/,
    ],
    [
      'an invalid grandchild, reported with its full path',
      one({
        name: 'c',
        type: 'CATEGORICAL',
        categories: ['a'],
        children: [
          {
            parentCategories: ['a'],
            parameter: { name: 'n', type: 'INTEGER', min: 0, max: 2, children: [{ parentValues: [1], parameter: { name: 'y', type: 'DOUBLE', min: 1, max: 0 } }] },
          },
        ],
      }),
      'config.parameters[0].children[0].parameter.children[0].parameter.max_value',
      /must be >= min_value/,
    ],
  ])('rejects %s', (_, space, field, rule) => expectInvalid(space, field, rule));

  it('uses the given field prefix', () => {
    expect(() => validateSpace({ parameters: [] }, 'study.config.parameters')).toThrow('study.config.parameters: must contain at least one parameter');
  });
});

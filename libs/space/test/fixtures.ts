/** Spaces shared by the space tests: one of every parameter type, log scales, nested conditions. */
import type { SearchSpace } from '../src/types';

export const mixedSpace: SearchSpace = {
  parameters: [
    { name: 'learning_rate', type: 'DOUBLE', min: 1e-5, max: 1, scale: 'LOG' },
    { name: 'dropout', type: 'DOUBLE', min: 0, max: 0.5 },
    { name: 'layers', type: 'INTEGER', min: 1, max: 6 },
    { name: 'units', type: 'INTEGER', min: 8, max: 512, scale: 'LOG' },
    { name: 'batch', type: 'DISCRETE', values: [16, 32, 64, 128, 256], scale: 'LOG' },
    { name: 'momentum_grid', type: 'DISCRETE', values: [0, 0.5, 0.9, 0.99] },
    {
      name: 'optimizer',
      type: 'CATEGORICAL',
      categories: ['sgd', 'adam', 'rmsprop'],
      children: [
        {
          parentCategories: ['sgd', 'rmsprop'],
          parameter: {
            name: 'momentum',
            type: 'DOUBLE',
            min: 0,
            max: 0.99,
          },
        },
        {
          parentCategories: ['adam'],
          parameter: {
            name: 'beta_schedule',
            type: 'INTEGER',
            min: 0,
            max: 2,
            children: [
              { parentValues: [1, 2], parameter: { name: 'warmup', type: 'CATEGORICAL', categories: ['linear', 'cosine'] } },
            ],
          },
        },
      ],
    },
  ],
};

/** Degenerate ranges must still encode and decode. */
export const degenerateSpace: SearchSpace = {
  parameters: [
    { name: 'fixed_double', type: 'DOUBLE', min: 3, max: 3 },
    { name: 'fixed_log', type: 'DOUBLE', min: 0.1, max: 0.1, scale: 'LOG' },
    { name: 'fixed_int', type: 'INTEGER', min: 7, max: 7 },
    { name: 'one_value', type: 'DISCRETE', values: [2.5] },
    { name: 'one_category', type: 'CATEGORICAL', categories: ['only'] },
  ],
};

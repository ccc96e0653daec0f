import { InvalidArgumentError } from '@hpo/core';
import { activeParameters, flattenParameters } from '../src/active-parameters';
import { validateAssignment } from '../src/validate-assignment';
import type { Assignment } from '../src/types';
import { mixedSpace } from './fixtures';

const valid: Assignment = {
  learning_rate: 0.01,
  dropout: 0.1,
  layers: 3,
  units: 64,
  batch: 32,
  momentum_grid: 0.9,
  optimizer: 'adam',
  beta_schedule: 1,
  warmup: 'cosine',
};

function expectInvalid(assignment: Record<string, unknown>, field: string, rule: RegExp): void {
  let caught: unknown;
  try {
    validateAssignment(mixedSpace, assignment as Assignment);
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(InvalidArgumentError);
  expect((caught as InvalidArgumentError).field).toBe(field);
  expect((caught as InvalidArgumentError).rule).toMatch(rule);
}

describe('validateAssignment', () => {
  it('returns the active parameters in the space order', () => {
    const shuffled = Object.fromEntries(Object.entries(valid).reverse());
    const out = validateAssignment(mixedSpace, shuffled);
    expect(out).toEqual(valid);
    expect(Object.keys(out)).toEqual(Object.keys(valid));
  });

  it('accepts a configuration whose conditional child is absent because it is inactive', () => {
    const { beta_schedule: _b, warmup: _w, ...rest } = valid;
    expect(validateAssignment(mixedSpace, { ...rest, optimizer: 'sgd', momentum: 0.5 })).toEqual({ ...rest, optimizer: 'sgd', momentum: 0.5 });
    expect(validateAssignment(mixedSpace, { ...valid, beta_schedule: 0, warmup: undefined as never })).not.toHaveProperty('warmup');
  });

  it('normalises int64 values given as bigint and snaps DISCRETE round-off to the listed value', () => {
    const out = validateAssignment(mixedSpace, { ...valid, layers: 4n as never, momentum_grid: 0.9 + 1e-15 });
    expect(out.layers).toBe(4);
    expect(out.momentum_grid).toBe(0.9);
  });

  it('decides a child by the parent value after normalisation', () => {
    expect(validateAssignment(mixedSpace, { ...valid, beta_schedule: 2n as never }).warmup).toBe('cosine');
  });

  it.each<[string, Record<string, unknown>, string, RegExp]>([
    ['an unknown parameter', { ...valid, epochs: 3 }, 'parameters.epochs', /unknown parameter \(the space has: learning_rate, /],
    ['a missing parameter', { ...valid, dropout: undefined }, 'parameters.dropout', /is required/],
    ['a missing active child', { ...valid, warmup: undefined }, 'parameters.warmup', /is required/],
    ['a value for an inactive child', { ...valid, momentum: 0.5 }, 'parameters.momentum', /inactive \(its parent optimizer is "adam"\)/],
    ['a value for an inactive grandchild', { ...valid, beta_schedule: 0 }, 'parameters.warmup', /inactive \(its parent beta_schedule is 0\)/],
    [
      'a value for a grandchild whose parent is itself inactive',
      { ...valid, optimizer: 'sgd', momentum: 0.1, beta_schedule: undefined },
      'parameters.warmup',
      /inactive \(its parent beta_schedule is unset or inactive\)/,
    ],
    ['a string for a number', { ...valid, dropout: '0.1' }, 'parameters.dropout', /must be a number \(got string "0.1"\)/],
    ['a number for a category', { ...valid, optimizer: 1 }, 'parameters.optimizer', /must be a string/],
    ['NaN', { ...valid, learning_rate: NaN }, 'parameters.learning_rate', /finite/],
    ['Infinity', { ...valid, dropout: Infinity }, 'parameters.dropout', /finite/],
    ['a value below the range', { ...valid, learning_rate: 1e-6 }, 'parameters.learning_rate', /out of range \[0.00001, 1\]/],
    ['a value above the range', { ...valid, layers: 7 }, 'parameters.layers', /out of range \[1, 6\]/],
    ['a fractional INTEGER', { ...valid, layers: 2.5 }, 'parameters.layers', /must be an integer/],
    ['a value not among DISCRETE values', { ...valid, batch: 48 }, 'parameters.batch', /48 is not one of 16, 32, 64, 128, 256/],
    ['an unknown category', { ...valid, optimizer: 'adamw' }, 'parameters.optimizer', /"adamw" is not one of sgd, adam, rmsprop/],
    ['null', { ...valid, dropout: null }, 'parameters.dropout', /is required/],
    ['a prototype name', { ...valid, constructor: 1 }, 'parameters.constructor', /unknown parameter/],
  ])('rejects %s', (_, assignment, field, rule) => expectInvalid(assignment, field, rule));

  it('uses the given field prefix', () => {
    expect(() => validateAssignment(mixedSpace, { ...valid, layers: 0 }, 'trials[2].parameters')).toThrow(
      'trials[2].parameters.layers: 0 is out of range [1, 6]',
    );
  });
});

describe('activeParameters and flattenParameters', () => {
  it('flattens every parameter depth first', () => {
    expect(flattenParameters(mixedSpace).map((p) => p.name)).toEqual([
      'learning_rate', 'dropout', 'layers', 'units', 'batch', 'momentum_grid', 'optimizer', 'momentum', 'beta_schedule', 'warmup',
    ]);
  });

  it('follows the conditions', () => {
    const names = (a: Assignment) => activeParameters(mixedSpace, a).map((p) => p.name);
    expect(names(valid)).toEqual(Object.keys(valid));
    expect(names({ ...valid, beta_schedule: 0 })).not.toContain('warmup');
    expect(names({ ...valid, optimizer: 'rmsprop' }).slice(-2)).toEqual(['optimizer', 'momentum']);
    expect(names({})).toEqual(['learning_rate', 'dropout', 'layers', 'units', 'batch', 'momentum_grid', 'optimizer']);
  });
});

import { InvalidArgumentError } from '@hpo/space';
import { isBetter, objectiveValue, validateMeasurement } from '../src/index';
import type { Measurement } from '../src/types';
import { baseConfig } from './fixtures';

const config = baseConfig({ metrics: [{ name: 'loss', goal: 'MINIMIZE' }, { name: 'accuracy', goal: 'MAXIMIZE' }] });
const m = (o: Partial<Measurement>): Measurement => ({ step: 3, metrics: { loss: 0.4, accuracy: 0.9 }, elapsedSeconds: 12.5, ...o });

function expectInvalid(measurement: Measurement, field: string, rule: RegExp, final = false): void {
  let caught: unknown;
  try {
    validateMeasurement(config, measurement, 'measurement', { final });
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(InvalidArgumentError);
  expect((caught as InvalidArgumentError).field).toBe(field);
  expect((caught as InvalidArgumentError).rule).toMatch(rule);
}

describe('validateMeasurement', () => {
  it('accepts complete measurements, and intermediate ones with a subset of the metrics', () => {
    expect(() => validateMeasurement(config, m({}), 'measurement', { final: true })).not.toThrow();
    expect(() => validateMeasurement(config, m({ metrics: { loss: 1 } }), 'measurement')).not.toThrow();
    expect(() => validateMeasurement(config, m({ step: 0, elapsedSeconds: 0 }), 'final_measurement')).not.toThrow();
  });

  it.each<[string, Measurement, string, RegExp]>([
    ['a NaN metric', m({ metrics: { loss: NaN } }), 'measurement.metrics.loss', /finite number \(got NaN\)/],
    ['an infinite metric', m({ metrics: { accuracy: -Infinity } }), 'measurement.metrics.accuracy', /finite/],
    ['a non-number metric', m({ metrics: { loss: '0.3' as never } }), 'measurement.metrics.loss', /finite number/],
    ['an unknown metric', m({ metrics: { loss: 1, f1: 0.5 } }), 'measurement.metrics.f1', /unknown metric \(the study has: loss, accuracy\)/],
    ['a negative step', m({ step: -1 }), 'measurement.step', /integer >= 0/],
    ['a fractional step', m({ step: 1.5 }), 'measurement.step', /integer >= 0/],
    ['a negative elapsed time', m({ elapsedSeconds: -2 }), 'measurement.elapsed_seconds', />= 0/],
    ['a NaN elapsed time', m({ elapsedSeconds: NaN }), 'measurement.elapsed_seconds', /finite/],
  ])('rejects %s', (_, measurement, field, rule) => expectInvalid(measurement, field, rule));

  it('requires every metric in a final measurement, the objective first', () => {
    expectInvalid(m({ metrics: { accuracy: 0.9 } }), 'measurement.metrics.loss', /required in a final measurement/, true);
    expectInvalid(m({ metrics: { loss: 0.1 } }), 'measurement.metrics.accuracy', /required in a final measurement/, true);
  });
});

describe('objectiveValue and isBetter', () => {
  it('reads the first metric and compares by its goal', () => {
    expect(objectiveValue(config, m({}))).toBe(0.4);
    expect(objectiveValue(config, m({ metrics: { accuracy: 1 } }))).toBeUndefined();
    expect(objectiveValue(config, undefined)).toBeUndefined();
    expect(isBetter(config, 0.1, 0.2)).toBe(true);
    expect(isBetter(config, 0.2, 0.2)).toBe(false);
    expect(isBetter(baseConfig(), 0.3, 0.2)).toBe(true);
  });
});

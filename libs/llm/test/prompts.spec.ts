import { Rng } from '@hpo/space';
import {
  buildCandidatePrompt,
  buildSurrogatePrompt,
  buildWarmStartPrompt,
  configurationsReplySchema,
  estimateTokens,
  studyHistory,
  targetValue,
} from '../src';
import { braninConfig, completed, mixedConfig, study } from './fixtures';

describe('prompt building', () => {
  it('serialises the problem, the space with types, ranges and scales, and asks for JSON (warm start)', () => {
    const config = mixedConfig();
    const prompt = buildWarmStartPrompt(config, studyHistory(study(config)), 3);
    expect(prompt.user).toContain('Problem: A 2-layer MLP on MNIST; validation accuracy after 5 epochs.');
    expect(prompt.user).toContain('"accuracy"; we want to maximize it (higher is better)');
    expect(prompt.user).toContain('- learning_rate: real number in [0.00001, 0.1], log scale');
    expect(prompt.user).toContain('- layers: integer in [1, 8]');
    expect(prompt.user).toContain('- batch_size: one of the numbers [16,32,64,128]');
    expect(prompt.user).toContain('- optimizer: one of ["adam","sgd"]');
    expect(prompt.user).toContain('- momentum: real number in [0, 0.99] (only when optimizer is "sgd"; omit it otherwise)');
    expect(prompt.user).toContain('Recommend 3 diverse configurations');
    expect(prompt.examplesIncluded).toBe(0);
    expect(prompt.schema).toEqual(configurationsReplySchema(config.parameters, 3));
  });

  it('builds the schema from the space: children optional, no other properties', () => {
    const schema = configurationsReplySchema(mixedConfig().parameters, 4);
    const item = schema.properties!.configurations.items!;
    expect(item.required).toEqual(['learning_rate', 'layers', 'batch_size', 'optimizer']);
    expect(item.additionalProperties).toBe(false);
    expect(item.properties!.momentum.type).toBe('number');
    expect(item.properties!.layers.type).toBe('integer');
    expect(item.properties!.batch_size.enum).toEqual([16, 32, 64, 128]);
    expect(item.properties!.optimizer.enum).toEqual(['adam', 'sgd']);
    expect(schema.properties!.configurations.maxItems).toBe(4);
  });

  it('shows observations as rounded few-shot examples from worst to best, and the target just beyond the best', () => {
    const config = braninConfig();
    const trials = [
      completed(1, { x1: 1.23456789, x2: 7.777777 }, 'loss', 24.1234567),
      completed(2, { x1: -3, x2: 12 }, 'loss', 3.5),
      completed(3, { x1: 9, x2: 2 }, 'loss', 10.25),
    ];
    const history = studyHistory(study(config, trials));
    const target = targetValue(history.observations.map((o) => o.value), 'MINIMIZE');
    expect(target).toBeCloseTo(3.5 - 0.1 * (24.1234567 - 3.5), 10);
    const prompt = buildCandidatePrompt(config, history, 5, target);
    const worst = prompt.user.indexOf('Performance: 24.1235\nHyperparameter configuration: {"x1":1.235,"x2":7.778}');
    const middle = prompt.user.indexOf('Performance: 10.25\n');
    const best = prompt.user.indexOf('Performance: 3.5\nHyperparameter configuration: {"x1":-3,"x2":12}');
    expect(worst).toBeGreaterThan(0);
    expect(middle).toBeGreaterThan(worst);
    expect(best).toBeGreaterThan(middle);
    expect(prompt.user).toContain('achieve the target performance of 1.43765.');
    expect(prompt.examplesIncluded).toBe(3);
  });

  it('trims the history to the token budget, keeping the best observations', () => {
    const config = braninConfig();
    const trials = Array.from({ length: 200 }, (_, i) => completed(i + 1, { x1: -5 + (i % 15), x2: (i * 7) % 15 }, 'loss', 100 - i * 0.4));
    const history = studyHistory(study(config, trials));
    const prompt = buildCandidatePrompt(config, history, 4, 10, { maxPromptTokens: 600 });
    expect(estimateTokens(prompt.system) + estimateTokens(prompt.user)).toBeLessThanOrEqual(600);
    expect(prompt.examplesIncluded).toBeGreaterThan(3);
    expect(prompt.examplesIncluded + prompt.examplesOmitted).toBe(200);
    // The best trial (id 200, loss 20.4) is kept; the worst (id 1, loss 100) is not.
    expect(prompt.user).toContain('Performance: 20.4\n');
    expect(prompt.user).not.toContain('Performance: 100\n');
  });

  it('maximised objectives put the target above the best; one observation uses 10 % of its size', () => {
    expect(targetValue([0.8, 0.9], 'MAXIMIZE', 0.1)).toBeCloseTo(0.91, 12);
    expect(targetValue([2], 'MINIMIZE', 0.1)).toBeCloseTo(1.98, 12);
    expect(() => targetValue([], 'MINIMIZE')).toThrow(/at least one observation/);
  });

  it('surrogate prompts shuffle the examples differently per prompt and list the queries in order', () => {
    const config = braninConfig();
    const trials = Array.from({ length: 8 }, (_, i) => completed(i + 1, { x1: i, x2: i }, 'loss', i + 0.5));
    const history = studyHistory(study(config, trials));
    const queries = [{ x1: 1.5, x2: 2.5 }, { x1: -1, x2: 14 }];
    const rng = new Rng(1);
    const a = buildSurrogatePrompt(config, history, queries, rng.fork());
    const b = buildSurrogatePrompt(config, history, queries, rng.fork());
    expect(a.user).toContain('1. {"x1":1.5,"x2":2.5}\n2. {"x1":-1,"x2":14}');
    expect(a.schema.properties!.predictions.minItems).toBe(2);
    const order = (text: string): string[] => [...text.matchAll(/Performance: ([\d.]+)/g)].map((m) => m[1]);
    expect(order(a.user).sort()).toEqual(order(b.user).sort());
    expect(order(a.user)).not.toEqual(order(b.user));
  });

  it('the same inputs give the same prompt (deterministic)', () => {
    const config = braninConfig();
    const history = studyHistory(study(config, [completed(1, { x1: 0, x2: 0 }, 'loss', 55.6)]));
    expect(buildCandidatePrompt(config, history, 3, 50).user).toBe(buildCandidatePrompt(config, history, 3, 50).user);
  });
});

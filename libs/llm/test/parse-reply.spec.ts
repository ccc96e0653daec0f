import { candidateKey, extractJson, MAX_REPLY_CHARS, parseCandidateReply, parsePredictionReply } from '../src';
import { braninConfig, mixedConfig } from './fixtures';

const branin = braninConfig().parameters;
const mixed = mixedConfig().parameters;

describe('extractJson', () => {
  it('finds the JSON inside prose and markdown fences', () => {
    const reply =
      'Sure! Based on the examples, here are my suggestions:\n```json\n{"configurations": [{"x1": 3.1, "x2": 2.2}]}\n```\nThese should {work} well.';
    expect(extractJson(reply)).toEqual({ ok: true, value: { configurations: [{ x1: 3.1, x2: 2.2 }] } });
  });

  it('skips brackets that do not start valid JSON and brackets inside strings', () => {
    const reply = 'Ranges [a, b] considered. {"note": "use } carefully", "configurations": []}';
    expect(extractJson(reply)).toEqual({ ok: true, value: { note: 'use } carefully', configurations: [] } });
  });

  it('repairs comments and trailing commas, the habits of models trained on code', () => {
    const reply = [
      'Here you go:',
      '{',
      '  "configurations": [',
      '    {"x1": 3.1, "x2": 2.3,}, // near the second minimum',
      '    /* a second guess */ {"x1": -3.0, "x2": 12.1}, // first minimum',
      '  ],',
      '}',
    ].join('\n');
    expect(extractJson(reply)).toEqual({ ok: true, value: { configurations: [{ x1: 3.1, x2: 2.3 }, { x1: -3.0, x2: 12.1 }] } });
    // Inside strings nothing is touched.
    expect(extractJson('{"note": "a // b, ]"}')).toEqual({ ok: true, value: { note: 'a // b, ]' } });
  });

  it('skips a reasoning model\'s thinking before the answer', () => {
    const reply = '<think>Branin has minima near {x1: 3.14, x2: 2.27} and [-3.14, 12.27].</think>\n{"configurations": [{"x1": 3.14, "x2": 2.27}]}';
    expect(extractJson(reply)).toEqual({ ok: true, value: { configurations: [{ x1: 3.14, x2: 2.27 }] } });
  });

  it('reports empty, JSON-free and huge replies', () => {
    expect(extractJson('   ')).toEqual({ ok: false, reason: 'empty reply' });
    expect(extractJson('I cannot help with that.')).toEqual({ ok: false, reason: 'no JSON object or array in the reply' });
    expect(extractJson('{"configurations": [{"x1": 1,')).toEqual({ ok: false, reason: 'no JSON object or array in the reply' });
    const huge = extractJson('['.repeat(MAX_REPLY_CHARS + 1));
    expect(huge.ok).toBe(false);
    expect(!huge.ok && huge.reason).toMatch(/exceeds 200000/);
  });
});

describe('parseCandidateReply', () => {
  it('accepts a well-formed reply', () => {
    const reply = '{"configurations": [{"x1": 3.14, "x2": 2.27}, {"x1": -3.1, "x2": 12.2}]}';
    const parsed = parseCandidateReply(reply, branin, { maxCandidates: 5 });
    expect(parsed.candidates).toEqual([{ x1: 3.14, x2: 2.27 }, { x1: -3.1, x2: 12.2 }]);
    expect(parsed.issues).toEqual([]);
  });

  it('clamps out-of-range numbers per parameter, or rejects them when asked', () => {
    const reply = '{"configurations": [{"x1": 42, "x2": -1}]}';
    const clamped = parseCandidateReply(reply, branin, { maxCandidates: 5 });
    expect(clamped.candidates).toEqual([{ x1: 10, x2: 0 }]);
    expect(clamped.issues).toEqual(['configuration 1: x1: 42 clamped to 10', 'configuration 1: x2: -1 clamped to 0']);
    const rejected = parseCandidateReply(reply, branin, { maxCandidates: 5, outOfRange: 'reject' });
    expect(rejected.candidates).toEqual([]);
    expect(rejected.issues).toEqual(['configuration 1 refused: x1: 42 is outside [-5, 10]']);
  });

  it('rounds integers, snaps discrete values, and keeps only active children', () => {
    const reply = JSON.stringify([
      { learning_rate: 0.003, layers: 3.6, batch_size: 50, optimizer: 'sgd', momentum: 0.9 },
      { learning_rate: 0.01, layers: 12, batch_size: 16, optimizer: 'adam', momentum: 0.5 },
    ]);
    const parsed = parseCandidateReply(reply, mixed, { maxCandidates: 5 });
    expect(parsed.candidates).toEqual([
      { learning_rate: 0.003, layers: 4, batch_size: 64, optimizer: 'sgd', momentum: 0.9 },
      { learning_rate: 0.01, layers: 8, batch_size: 16, optimizer: 'adam' },
    ]);
    expect(parsed.issues).toContain('configuration 1: batch_size: 50 snapped to 64');
    expect(parsed.issues).toContain('configuration 2: layers: 12 clamped to 8');
    expect(parsed.issues).toContain('configuration 2: dropped inactive parameter(s) momentum');
  });

  it('rejects wrong types and missing parameters, drops unknown parameters', () => {
    const reply = JSON.stringify({
      configurations: [
        { x1: '3.1', x2: 2 },
        { x1: 1, x2: null },
        { x1: 1 },
        { x1: 1, x2: 2, temperature: 0.7, x3: 1 },
        'x1=1, x2=2',
      ],
    });
    const parsed = parseCandidateReply(reply, branin, { maxCandidates: 10 });
    expect(parsed.candidates).toEqual([{ x1: 1, x2: 2 }]);
    expect(parsed.issues).toEqual([
      'configuration 1 refused: x1: expected a number, got the string "3.1"',
      'configuration 2 refused: x2: expected a number, got null',
      'configuration 3 refused: x2: missing',
      'configuration 4: dropped unknown parameter(s) temperature, x3',
      'configuration 5 refused: a configuration must be a JSON object, got the string "x1=1, x2=2"',
    ]);
  });

  it('rejects a category that is not in the space and a non-finite number', () => {
    const parsed = parseCandidateReply(
      JSON.stringify([{ learning_rate: 0.001, layers: 2, batch_size: 32, optimizer: 'rmsprop' }]),
      mixed,
      { maxCandidates: 2 },
    );
    expect(parsed.candidates).toEqual([]);
    expect(parsed.issues).toEqual(['configuration 1 refused: optimizer: "rmsprop" is not one of the categories']);
    expect(parseCandidateReply('{"x1": 1e999, "x2": 1}', branin, { maxCandidates: 1 }).issues).toEqual([
      'configuration 1 refused: x1: expected a finite number',
    ]);
  });

  it('de-duplicates against history, pending trials and itself', () => {
    const reply = '{"configurations": [{"x1": 1, "x2": 2}, {"x1": 3, "x2": 4}, {"x1": 3.0000000000001, "x2": 4}, {"x1": 5, "x2": 6}]}';
    const parsed = parseCandidateReply(reply, branin, { maxCandidates: 10, exclude: [{ x1: 1, x2: 2 }] });
    expect(parsed.candidates).toEqual([{ x1: 3, x2: 4 }, { x1: 5, x2: 6 }]);
    expect(parsed.issues.filter((i) => i.includes('duplicates'))).toHaveLength(2);
    expect(candidateKey({ b: 1, a: 'x' })).toBe(candidateKey({ a: 'x', b: 1 }));
  });

  it('caps a long list of configurations, and refuses a reply too large to parse', () => {
    const list = (n: number): string => JSON.stringify({ configurations: Array.from({ length: n }, (_, i) => ({ x1: (i % 15) - 5 + i * 1e-6, x2: 1 })) });
    const parsed = parseCandidateReply(list(2000), branin, { maxCandidates: 4 });
    expect(parsed.candidates).toHaveLength(4);
    expect(parsed.issues[0]).toBe('reply had 2000 configurations; read the first 16');
    const huge = list(20_000);
    expect(huge.length).toBeGreaterThan(MAX_REPLY_CHARS);
    expect(parseCandidateReply(huge, branin, { maxCandidates: 4 })).toEqual({
      candidates: [],
      issues: [`reply of ${huge.length} characters exceeds ${MAX_REPLY_CHARS}`],
    });
  });

  it('returns nothing, with the reason, for an empty or refused reply', () => {
    expect(parseCandidateReply('', branin, { maxCandidates: 3 })).toEqual({ candidates: [], issues: ['empty reply'] });
    expect(parseCandidateReply("I'm sorry, I can't help with that.", branin, { maxCandidates: 3 }).candidates).toEqual([]);
    expect(parseCandidateReply('{"configurations": "none"}', branin, { maxCandidates: 3 }).issues[0]).toMatch(/refused/);
  });
});

describe('parsePredictionReply', () => {
  it('reads exactly the asked number of finite predictions', () => {
    expect(parsePredictionReply('Predictions: {"predictions": [1.5, 2, -3e-2]}', 3)).toEqual({ ok: true, predictions: [1.5, 2, -0.03] });
    expect(parsePredictionReply('[1, 2]', 2)).toEqual({ ok: true, predictions: [1, 2] });
    expect(parsePredictionReply('{"predictions": [1, 2]}', 3)).toEqual({ ok: false, reason: 'expected 3 predictions, got 2' });
    expect(parsePredictionReply('{"predictions": [1, "2"]}', 2)).toEqual({ ok: false, reason: 'a prediction is not a finite number' });
    expect(parsePredictionReply('{"score": 1}', 1)).toEqual({ ok: false, reason: 'the reply holds no "predictions" array' });
  });
});

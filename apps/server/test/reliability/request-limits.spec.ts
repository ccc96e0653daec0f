/** The documented size limits (issue 19, finding 4), on decoded requests: each names the field, the
 *  limit and the size, never the content, and the check is linear in the request. */
import { MAX_CONDITIONAL_DEPTH, MAX_PARAMETERS, requestLimitViolation } from '../../src/grpc/request-limits';

const nested = (depth: number): Record<string, unknown> => {
  let p: Record<string, unknown> = { name: `p${depth}`, type: 'DOUBLE' };
  for (let d = depth - 1; d >= 1; d--) p = { name: `p${d}`, type: 'CATEGORICAL', categories: ['a'], children: [{ parentCategories: ['a'], parameter: p }] };
  return p;
};

describe('request limits', () => {
  it('finding 4: strings by field, with the field path in the .proto names', () => {
    expect(requestLimitViolation({ displayName: 'x'.repeat(257) })).toBe('display_name: must be at most 256 characters (got 257)');
    expect(requestLimitViolation({ displayName: 'x'.repeat(256) })).toBeUndefined();
    expect(requestLimitViolation({ config: { problemDescription: 'x'.repeat(16_385) } })).toBe('config.problem_description: must be at most 16384 characters (got 16385)');
    expect(requestLimitViolation({ config: { parameters: [{ name: 'c', categories: ['a', 'b'.repeat(300)] }] } })).toBe('config.parameters[0].categories[1]: must be at most 256 characters (got 300)');
    expect(requestLimitViolation({ infeasibleReason: 'r'.repeat(5000) })).toBe('infeasible_reason: must be at most 4096 characters (got 5000)');
    expect(requestLimitViolation({ somethingNew: 'r'.repeat(1025) })).toBe('something_new: must be at most 1024 characters (got 1025)');
  });

  it('finding 4: repeated fields by field', () => {
    expect(requestLimitViolation({ trials: new Array(1001).fill({}) })).toBe('trials: must have at most 1000 elements (got 1001)');
    expect(requestLimitViolation({ config: { metrics: new Array(33).fill({ name: 'm' }) } })).toBe('config.metrics: must have at most 32 elements (got 33)');
    expect(requestLimitViolation({ config: { parameters: [{ name: 'c', categories: new Array(1001).fill('a') }] } })).toBe('config.parameters[0].categories: must have at most 1000 elements (got 1001)');
    expect(requestLimitViolation({ trials: [{ measurements: new Array(10_001).fill({}) }] })).toBe('trials[0].measurements: must have at most 10000 elements (got 10001)');
  });

  it('finding 2: parameters per study count conditional children; nesting depth is bounded', () => {
    const wide = { name: 'root', type: 'CATEGORICAL', categories: ['a'], children: Array.from({ length: MAX_PARAMETERS }, (_, i) => ({ parentCategories: ['a'], parameter: { name: `c${i}` } })) };
    expect(requestLimitViolation({ config: { parameters: [wide] } })).toBe(`config.parameters: must have at most ${MAX_PARAMETERS} parameters per study, conditional children included (got ${MAX_PARAMETERS + 1})`);
    expect(requestLimitViolation({ config: { parameters: [nested(MAX_CONDITIONAL_DEPTH)] } })).toBeUndefined();
    expect(requestLimitViolation({ config: { parameters: [nested(MAX_CONDITIONAL_DEPTH + 1)] } })).toBe(
      `config.parameters: conditional parameters may nest at most ${MAX_CONDITIONAL_DEPTH} levels (got at least ${MAX_CONDITIONAL_DEPTH + 1})`,
    );
  });

  it('finding 3: NUL in any string field, wherever it is', () => {
    expect(requestLimitViolation({ clientId: 'a\u0000' })).toBe('client_id: must not contain the NUL character (U+0000), which the database cannot store');
    expect(requestLimitViolation({ trials: [{ parameters: [{ name: 'x', stringValue: '\u0000' }] }] })).toMatch(/^trials\[0\]\.parameters\[0\]\.string_value: must not contain the NUL/);
  });

  it('finding 2: linear: 10,000 parameters and a 15 MB string are judged in milliseconds', () => {
    const started = performance.now();
    requestLimitViolation({ config: { parameters: Array.from({ length: 10_000 }, (_, i) => ({ name: `p${i}`, type: 'DOUBLE' })) } });
    requestLimitViolation({ config: { problemDescription: 'd'.repeat(15_000_000) } });
    expect(performance.now() - started).toBeLessThan(200);
  });
});

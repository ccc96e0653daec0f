/** Enum fields over a real server (raw gRPC, as any language's stubs send them): an unset required enum
 *  is "required" with the allowed names, a number the .proto does not name is refused quoting it, and
 *  nothing is ever stored as a silent default. */
import { statusOf, Status, freshSqliteBackend, quasiRandomConfig } from '@hpo/testing';
import { serverSuite } from './support/server-suite';

describe('enum fields on the wire', () => {
  const { client } = serverSuite(() => freshSqliteBackend().env);

  const x = (extra: Record<string, unknown>) => ({ parameters: [{ name: 'x', minValue: 1e-3, maxValue: 1, ...extra }] });

  it.each([
    ['an unset parameter type', x({}), 'config.parameters[0].type: is required: one of DOUBLE, INTEGER, DISCRETE, CATEGORICAL'],
    ['an unknown parameter type number', x({ type: 9 }), 'config.parameters[0].type: 9 is not one of DOUBLE, INTEGER, DISCRETE, CATEGORICAL'],
    ['an unknown scale number', x({ type: 'DOUBLE', scale: 7 }), 'config.parameters[0].scale: 7 is not one of LINEAR, LOG'],
    ['an unset goal', { metrics: [{ name: 'acc' }] }, 'config.metrics[0].goal: is required: one of MAXIMIZE, MINIMIZE'],
    ['an unknown goal number', { metrics: [{ name: 'acc', goal: 5 }] }, 'config.metrics[0].goal: 5 is not one of MAXIMIZE, MINIMIZE'],
    ['an unknown algorithm number', { algorithm: 42 }, 'config.algorithm: 42 is not one of GP_BANDIT, RANDOM_SEARCH, QUASI_RANDOM_SEARCH, GRID_SEARCH, LLM_GP_BANDIT'],
    ['an unknown early-stopping number', { earlyStopping: { mode: 8 } }, 'config.early_stopping.mode: 8 is not one of NONE, MEDIAN, FREEZE_THAW, ASHA, HYPERBAND'],
  ])('refuses %s quoting the value and the allowed names', async (_label, overrides, message) => {
    const s = await statusOf(client.CreateStudy({ displayName: `enum-${_label}`, config: quasiRandomConfig(overrides) }));
    expect(Status[s.code]).toBe('INVALID_ARGUMENT');
    expect(s.details).toContain(message);
    expect(s.details).not.toMatch(/UNSPECIFIED/);
  });

  it('takes enum numbers the .proto names, and stores LOG as LOG', async () => {
    const study = await client.CreateStudy({
      displayName: 'enum-numbers',
      config: quasiRandomConfig({ parameters: [{ name: 'lr', type: 1, minValue: 1e-4, maxValue: 1e-1, scale: 2 }], metrics: [{ name: 'acc', goal: 1 }] }),
    });
    expect(study.config.parameters[0]).toMatchObject({ type: 'DOUBLE', scale: 'LOG' });
    expect(study.config.metrics[0].goal).toBe('MAXIMIZE');
  });
});

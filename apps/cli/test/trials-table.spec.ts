/** `hpo trials list` shows where each trial came from. */
import type { Study, Trial } from '../../client-sdk/src';
import { originLabel, trialsTable } from '../src/format';

function trial(id: number, origin: Trial['origin']): Trial {
  return {
    name: `studies/1/trials/${id}`, id, state: 'SUCCEEDED', parameters: { lr: 0.01 }, measurements: [], clientId: 'w',
    resumeFromStep: 0, infeasibleReason: '', statusReason: '', origin, createTime: 0, startTime: 0, completeTime: 0, note: '',
    finalMeasurement: { step: 1, metrics: { loss: 0.5 }, elapsedSeconds: 1 },
  };
}

describe('trials table', () => {
  it('has an origin column in words, empty for trials stored before origins were', () => {
    const study = { name: 'studies/1', config: { metrics: [{ name: 'loss' }] } } as unknown as Study;
    const table = trialsTable(study, [trial(1, 'DESIGN'), trial(2, 'LLM_WARM_START'), trial(3, 'ORIGIN_UNSPECIFIED')]);
    expect(table).toMatch(/origin/);
    expect(table).toMatch(/design/);
    expect(table).toMatch(/llm warm start/);
    expect(originLabel('ORIGIN_UNSPECIFIED')).toBe('');
    expect(originLabel('LLM_CANDIDATE')).toBe('llm candidate');
  });
});

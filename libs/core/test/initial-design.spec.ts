/** The one initial-design rule GP_BANDIT, the server's advice step and the LLM module share. */
import { designPhase, initialDesign } from '../src/initial-design';
import { studyConfig } from '../src/study-config-defaults';
import type { LlmConfig, StudyConfig, TrialState, TrialView } from '../src/types';

const llm = (fields: Partial<LlmConfig> = {}): LlmConfig => ({
  enabled: true, provider: 'OPENAI_COMPATIBLE', model: 'm', baseUrl: '', warmStart: true, candidateSampling: true, surrogate: false,
  maxTokensTotal: 0, timeoutSeconds: 0, warmStartTrials: 0, ...fields,
});
const config = (fields: Partial<StudyConfig> = {}): StudyConfig =>
  studyConfig({
    parameters: [
      { name: 'x', type: 'DOUBLE', min: 0, max: 1 },
      { name: 'c', type: 'CATEGORICAL', categories: ['a', 'b', 'c'] },
    ],
    metrics: [{ name: 'loss', goal: 'MINIMIZE' }],
    ...fields,
  });
const trials = (...states: TrialState[]): TrialView[] =>
  states.map((state, i) => ({ id: i + 1, state, parameters: { x: 0.5, c: 'a' }, measurements: [], ...(state === 'SUCCEEDED' ? { finalMeasurement: { step: 1, metrics: { loss: 1 }, elapsedSeconds: 1 } } : {}) }));

describe('initial design', () => {
  it('is max(5, d + 1) over the encoded dimension, half of it for the warm start unless warm_start_trials says', () => {
    // x plus a one-hot categorical of 3: d = 4.
    expect(initialDesign(config())).toEqual({ size: 5, warmStartSlots: 3 });
    const wide = config({ parameters: Array.from({ length: 9 }, (_, i) => ({ name: `x${i}`, type: 'DOUBLE' as const, min: 0, max: 1 })) });
    expect(initialDesign(wide)).toEqual({ size: 10, warmStartSlots: 5 });
    expect(initialDesign(config({ llm: llm({ warmStartTrials: 2 }) }))).toEqual({ size: 5, warmStartSlots: 2 });
    // More warm-start trials than the design: the design grows to hold them.
    expect(initialDesign(config({ llm: llm({ warmStartTrials: 8 }) }))).toEqual({ size: 8, warmStartSlots: 8 });
    // warm_start_trials means nothing with the warm start off.
    expect(initialDesign(config({ llm: llm({ warmStart: false, warmStartTrials: 8 }) }))).toEqual({ size: 5, warmStartSlots: 3 });
  });

  it('ends when enough trials are observed; started trials use up the warm-start slots', () => {
    const c = config();
    expect(designPhase(c, { config: c, trials: [] })).toEqual({ inDesign: true, warmStartWanted: 3 });
    // FAILED trials give their slot back; running ones hold it.
    expect(designPhase(c, { config: c, trials: trials('ACTIVE', 'FAILED', 'ACTIVE') })).toEqual({ inDesign: true, warmStartWanted: 1 });
    // Eight running workers and four results: still the design, and no warm start left to ask for.
    expect(designPhase(c, { config: c, trials: trials('SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED', 'INFEASIBLE', 'ACTIVE', 'ACTIVE', 'ACTIVE', 'ACTIVE') })).toEqual({
      inDesign: true,
      warmStartWanted: 0,
    });
    expect(designPhase(c, { config: c, trials: trials('SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED', 'INFEASIBLE', 'SUCCEEDED') })).toEqual({ inDesign: false, warmStartWanted: 0 });
  });
});

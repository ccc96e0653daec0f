/** The dashboard's pure analysis: parameter importance (ε² against hand-computed values and
 *  invariants), the study summary and trial reduction, and the CSV export. */
import { epsilonSquared, groupIndices, parameterImportance, parameterInteractions } from '../src/dashboard/parameter-importance';
import { hypervolumeHistory } from '../src/dashboard/hypervolume-history';
import { summarizeStudy, trialToDashboard } from '../src/dashboard/study-summary';
import { csvField, trialsToCsv } from '../src/dashboard/trials-export';
import { studyConfig } from '@hpo/core';
import type { StudyConfig } from '@hpo/core';
import { emptyCounts, StudyRecord, TrialRecord } from '../src/storage/storage';

function config(goal: 'MAXIMIZE' | 'MINIMIZE' = 'MINIMIZE', maxStep = 0): StudyConfig {
  return studyConfig({
    parameters: [
      { name: 'lr', type: 'DOUBLE', min: 1e-4, max: 1, scale: 'LOG' },
      {
        name: 'opt',
        type: 'CATEGORICAL',
        categories: ['sgd', 'adam'],
        children: [{ parentCategories: ['sgd'], parameter: { name: 'momentum', type: 'DOUBLE', min: 0, max: 0.99 } }],
      },
    ],
    metrics: [{ name: 'loss', goal }],
    algorithm: 'RANDOM_SEARCH',
    earlyStopping: { mode: maxStep > 0 ? 'MEDIAN' : 'NONE', maxStep, minSteps: 0, minTrials: 0 },
    maxTrials: 10,
    seed: 1,
  });
}

function trial(id: number, over: Partial<TrialRecord> = {}): TrialRecord {
  return {
    studyId: 1,
    id,
    state: 'SUCCEEDED',
    parameters: { lr: 0.01, opt: 'adam' },
    measurements: [],
    clientId: 'w',
    leaseExpiresAt: null,
    resumeFromStep: 0,
    lastStep: 0,
    infeasibleReason: '',
    origin: 'gp',
    statusReason: '',
    createTime: 1000 + id,
    startTime: 1000 + id,
    completeTime: null,
    note: '',
    ...over,
  };
}

describe('epsilonSquared', () => {
  it('matches a hand computation', () => {
    // mean 3.5, SS_total 17.5; group means 2 and 5: SS_between 13.5, SS_within 4, MS_within 4/(6-2) = 1.
    const v = [1, 2, 3, 4, 5, 6];
    expect(epsilonSquared(v, [[0, 1, 2], [3, 4, 5]], 3.5, 17.5)).toBeCloseTo(12.5 / 17.5, 12);
  });

  it('is 1 when the groups explain everything and 0 (clipped) when they explain less than chance', () => {
    const v = [1, 1, 1, 5, 5, 5];
    expect(epsilonSquared(v, [[0, 1, 2], [3, 4, 5]], 3, 24)).toBe(1);
    // Each group holds one low and one high value: the group means are equal, SS_between = 0.
    const w = [1, 5, 1, 5, 1, 5];
    expect(epsilonSquared(w, [[0, 1], [2, 3], [4, 5]], 3, 24)).toBe(0);
  });
});

describe('groupIndices', () => {
  it('bins numbers by rank without splitting equal values, and groups categories and inactive values', () => {
    const groups = groupIndices([1, 1, 1, 1, 2, 3, 'a', undefined, 'a', undefined], 3);
    const sorted = groups.map((g) => [...g].sort((a, b) => a - b));
    expect(sorted).toContainEqual([6, 8]);
    expect(sorted).toContainEqual([7, 9]);
    const numeric = sorted.filter((g) => g.every((i) => i < 6));
    expect(numeric.flat().sort()).toEqual([0, 1, 2, 3, 4, 5]);
    // The four 1s stay together.
    expect(numeric.find((g) => g.includes(0))).toEqual(expect.arrayContaining([0, 1, 2, 3]));
    expect(numeric.length).toBeGreaterThanOrEqual(2);
  });
});

describe('parameterImportance', () => {
  it('finds the parameter the objective depends on, and gives an irrelevant one almost nothing', () => {
    const n = 40;
    const trials = Array.from({ length: n }, (_, i) => ({
      parameters: { x1: i / n, x2: ((i * 17) % n) / n, c: i % 2 === 0 ? 'a' : 'b' },
      value: (i / n) ** 2,
    }));
    const imp = parameterImportance(['x1', 'x2', 'c'], trials);
    expect(imp[0].name).toBe('x1');
    expect(imp[0].importance).toBeGreaterThan(0.9);
    for (const other of imp.slice(1)) expect(other.importance).toBeLessThan(0.15);
    expect(imp.reduce((a, p) => a + p.share, 0)).toBeCloseTo(1, 12);
  });

  it('gives a categorical parameter that decides the objective importance 1', () => {
    const trials = Array.from({ length: 12 }, (_, i) => ({ parameters: { c: ['a', 'b', 'c'][i % 3], x: i }, value: [0, 10, 3][i % 3] }));
    const imp = parameterImportance(['c', 'x'], trials);
    expect(imp[0]).toMatchObject({ name: 'c', importance: 1, groups: 3 });
  });

  it('says nothing with fewer than 5 finite values, and ignores NaN', () => {
    const trials = [1, 2, 3, 4].map((v) => ({ parameters: { x: v }, value: v }));
    expect(parameterImportance(['x'], trials)).toEqual([]);
    expect(parameterImportance(['x'], [...trials, { parameters: { x: 5 }, value: NaN }])).toEqual([]);
  });
});

describe('main effects and pairwise interactions (functional ANOVA on a known function)', () => {
  // x and y on 4 levels, z (irrelevant) on 16, full factorial: 256 trials. With f = x + 2y + (x − 1.5)(y − 1.5)
  // the variance splits exactly: x main 1.25, y main 5, interaction 1.5625, z nothing (total 7.8125), so the
  // fractions are x 0.16, y 0.64, x×y 0.2.
  const grid = (f: (x: number, y: number, z: number) => number) => {
    const out: Array<{ parameters: { x: number; y: number; z: number }; value: number }> = [];
    for (let x = 0; x < 4; x++) for (let y = 0; y < 4; y++) for (let z = 0; z < 16; z++) out.push({ parameters: { x, y, z: z / 15 }, value: f(x, y, z / 15) });
    return out;
  };
  const names = ['x', 'y', 'z'];

  it('attributes an interaction to its pair and nothing to the other pairs', () => {
    const trials = grid((x, y) => x + 2 * y + (x - 1.5) * (y - 1.5));
    const pairs = parameterInteractions(names, trials);
    expect(pairs).toHaveLength(1);
    expect(pairs[0].names).toEqual(['x', 'y']);
    // No noise and every cell full: the interaction's share is exact.
    expect(pairs[0].importance).toBeCloseTo(0.2, 12);
    expect(pairs[0].cells).toBe(16);
    const main = Object.fromEntries(parameterImportance(names, trials).map((p) => [p.name, p.importance]));
    // ε² counts the other effects as noise and is conservative by (k − 1)·MS_within / SS_total: 0.15 and 0.636.
    expect(main.x).toBeCloseTo(0.16, 1);
    expect(main.y).toBeCloseTo(0.64, 1);
    expect(main.z).toBe(0);
    expect(main.x + main.y + pairs[0].importance).toBeLessThanOrEqual(1);
  });

  it('finds no interaction in an additive function, whose main effects explain everything', () => {
    const trials = grid((x, y, z) => x + 2 * y + 0.5 * z);
    expect(parameterInteractions(names, trials)).toEqual([]);
    const main = parameterImportance(names, trials);
    expect(main.map((p) => p.name)).toEqual(['y', 'x', 'z']);
  });

  it('ranks the interacting pair first on randomly sampled noisy trials, the same every time', () => {
    let s = 7;
    const rand = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
    const trials = Array.from({ length: 400 }, () => {
      const p = { a: rand(), b: rand(), c: rand(), d: ['u', 'v'][Math.floor(rand() * 2)] };
      return { parameters: p, value: p.a + 4 * (p.b - 0.5) * (p.c - 0.5) + (p.d === 'u' ? 0.2 : 0) + 0.05 * (rand() - 0.5) };
    });
    const pairs = parameterInteractions(['a', 'b', 'c', 'd'], trials);
    expect(pairs[0].names).toEqual(['b', 'c']);
    expect(pairs[0].importance).toBeGreaterThan(0.1);
    for (const p of pairs.slice(1)) expect(p.importance).toBeLessThan(0.02);
    expect(parameterInteractions(['a', 'b', 'c', 'd'], trials)).toEqual(pairs);
  });

  it('needs 12 finite values', () => {
    expect(parameterInteractions(['x', 'y'], grid((x, y) => x * y).slice(0, 11))).toEqual([]);
  });
});

describe('study summary', () => {
  const study: StudyRecord = { id: 7, tenantId: 1, displayName: 'demo', config: config('MINIMIZE', 10), createdAt: 900, llmTokensUsed: 0, policyStateJson: null };

  it('reports the best value by the goal, counts and last activity', () => {
    const trials = [
      trial(1, { finalMeasurement: { step: 10, metrics: { loss: 0.5 }, elapsedSeconds: 1 }, completeTime: 1500 }),
      trial(2, { finalMeasurement: { step: 10, metrics: { loss: 0.2 }, elapsedSeconds: 1 }, completeTime: 1600 }),
      trial(3, { state: 'ACTIVE', measurements: [{ step: 1, metrics: { loss: 0.1 }, elapsedSeconds: 1 }] }),
    ];
    const counts = { ...emptyCounts(), SUCCEEDED: 2, ACTIVE: 1 };
    const s = summarizeStudy(study, counts, trials);
    expect(s).toMatchObject({ bestValue: 0.2, bestTrialId: 2, done: 2, active: 1, paused: 0, lastActivity: 1600, state: 'ACTIVE', maxStep: 10 });
    const max = summarizeStudy({ ...study, config: config('MAXIMIZE') }, counts, trials);
    expect(max.bestValue).toBe(0.5);
  });

  it('lists the Pareto-optimal trials of a two-metric study', () => {
    const two: StudyRecord = { ...study, config: { ...config('MINIMIZE'), metrics: [{ name: 'loss', goal: 'MINIMIZE' }, { name: 'ms', goal: 'MINIMIZE' }] } };
    const fm = (loss: number, ms: number) => ({ step: 1, metrics: { loss, ms }, elapsedSeconds: 1 });
    const trials = [trial(1, { finalMeasurement: fm(0.1, 50) }), trial(2, { finalMeasurement: fm(0.3, 10) }), trial(3, { finalMeasurement: fm(0.3, 60) })];
    const s = summarizeStudy(two, { ...emptyCounts(), SUCCEEDED: 3 }, trials);
    expect(s).toMatchObject({ bestValue: null, bestTrialId: null, paretoSize: 2, paretoTrialIds: [1, 2] });
    // Reference: the worst of each objective (loss 0.3, ms 60). Trial 1: (0.3 − 0.1)·(60 − 50) = 2; trial 2
    // sits on the reference's loss (no volume), trial 3 is dominated.
    const history = hypervolumeHistory(two.config, trials);
    expect(history.map((p) => p.trialId)).toEqual([1, 2, 3]);
    for (const p of history) expect(p.hypervolume).toBeCloseTo(2, 12);
  });

  it('tracks the feasible front\'s hypervolume after each completed trial, never falling', () => {
    const three: StudyRecord = { ...study, config: { ...config('MINIMIZE'), metrics: [
      { name: 'loss', goal: 'MINIMIZE', referencePoint: 1 }, { name: 'acc', goal: 'MAXIMIZE', referencePoint: 0 },
      { name: 'ms', goal: 'MINIMIZE', role: 'CONSTRAINT', threshold: 20 }, { name: 'note', goal: 'MINIMIZE', role: 'TRACKED' },
    ] } };
    const fm = (loss: number, acc: number, ms: number) => ({ step: 1, metrics: { loss, acc, ms, note: 0 }, elapsedSeconds: 1 });
    const trials = [
      trial(1, { finalMeasurement: fm(0.5, 0.5, 10), completeTime: 10 }),
      trial(2, { finalMeasurement: fm(0.1, 0.9, 30), completeTime: 20 }), // infeasible: left out
      trial(4, { finalMeasurement: fm(0.6, 0.4, 5), completeTime: 30 }), // dominated by 1
      trial(3, { finalMeasurement: fm(0.2, 0.3, 5), completeTime: 40 }),
    ];
    const history = hypervolumeHistory(three.config, trials);
    // (1 − 0.5)·0.5 = 0.25; then the union with (1 − 0.2)·0.3 = 0.24 overlapping 0.5·0.3 = 0.15: 0.34.
    expect(history.map((p) => p.trialId)).toEqual([1, 4, 3]);
    const hv = history.map((p) => p.hypervolume);
    expect(hv[0]).toBeCloseTo(0.25, 12);
    expect(hv[1]).toBeCloseTo(0.25, 12);
    expect(hv[2]).toBeCloseTo(0.34, 12);
    expect(hypervolumeHistory(study.config, trials)).toEqual([]);
  });

  it('reduces a trial to its objective curve, with the latest value when not final', () => {
    const t = trial(3, {
      state: 'PAUSED',
      lastStep: 2,
      measurements: [
        { step: 1, metrics: { loss: 0.9, acc: 0.1 }, elapsedSeconds: 1 },
        { step: 2, metrics: { loss: 0.7 }, elapsedSeconds: 2 },
      ],
    });
    expect(trialToDashboard(study.config, t)).toMatchObject({ value: 0.7, final: false, curve: [[1, 0.9], [2, 0.7]], elapsedSeconds: 2 });
    const done = trial(4, { finalMeasurement: { step: 3, metrics: { loss: 0.3 }, elapsedSeconds: 3 } });
    expect(trialToDashboard(study.config, done)).toMatchObject({ value: 0.3, final: true });
  });
});

describe('CSV export', () => {
  it('quotes per RFC 4180 and defuses spreadsheet formulas in text', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField(-1.5)).toBe('-1.5');
    expect(csvField(NaN)).toBe('');
    expect(csvField(undefined)).toBe('');
  });

  it('has one column a parameter (conditional ones too) and metric, one row a trial', () => {
    const csv = trialsToCsv(config(), [
      trial(1, { parameters: { lr: 0.1, opt: 'sgd', momentum: 0.9 }, finalMeasurement: { step: 1, metrics: { loss: 0.25 }, elapsedSeconds: 1 }, note: 'best, so far' }),
      trial(2, { state: 'ACTIVE' }),
    ]);
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0].split(',').slice(0, 6)).toEqual(['trial_id', 'state', 'param_lr', 'param_opt', 'param_momentum', 'value_loss']);
    expect(lines[1].startsWith('1,SUCCEEDED,0.1,sgd,0.9,0.25,')).toBe(true);
    expect(lines[1].endsWith(',"best, so far"')).toBe(true);
    expect(lines[2].startsWith('2,ACTIVE,0.01,adam,,,')).toBe(true);
    expect(lines).toHaveLength(3);
  });
});

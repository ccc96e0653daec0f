/** The dashboard front end's pure parts, in node: axis ticks, the EDF, the contour's interpolation and
 *  iso-lines, the timeline's pause intervals, brushing ranges and the trials filter. */
import { empiricalDistribution } from '../dashboard-ui/src/charts/edf';
import { interpolateGrid, isoSegments } from '../dashboard-ui/src/charts/pairwise';
import { brushRange } from '../dashboard-ui/src/charts/parallel-coordinates';
import { timeTicks, trialSegments } from '../dashboard-ui/src/charts/timeline';
import { categoricalScale, logTicks, niceTicks, numericScale } from '../dashboard-ui/src/scale';
import { OBJECTIVE_KEY, TrialFilter } from '../dashboard-ui/src/trial-filter';
import type { DashboardTrial } from '../src/dashboard/study-summary';

function trial(over: Partial<DashboardTrial>): DashboardTrial {
  return {
    id: 1, state: 'SUCCEEDED', parameters: {}, value: null, final: true, finalMetrics: null, curve: [], lastStep: 0, elapsedSeconds: null,
    clientId: 'w', statusReason: '', infeasibleReason: '', resumeFromStep: 0, resumeElapsedSeconds: null, note: '', createTime: 0, startTime: null, completeTime: null,
    ...over,
  } as DashboardTrial;
}

describe('ticks', () => {
  it('are round numbers (1, 2, 5 x 10^k) inside the range', () => {
    expect(niceTicks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0.52696, 0.75096, 5)).toEqual([0.55, 0.6, 0.65, 0.7, 0.75]);
    expect(niceTicks(1, 4, 5)).toEqual([1, 1.5, 2, 2.5, 3, 3.5, 4]);
    expect(niceTicks(3, 3)).toEqual([3]);
  });

  it('on a log axis are decades, with 3x when there are few of them', () => {
    expect(logTicks(1e-4, 1e-1)).toEqual([0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1]);
    expect(logTicks(1e-8, 1)).toEqual([1e-8, 1e-6, 1e-4, 0.01, 1]);
  });

  it('place values on a log scale by their logarithm, and categories in the middle of their band', () => {
    const s = numericScale(1e-4, 1e-1, true);
    expect(s.position(1e-4)).toBe(0);
    expect(s.position(1e-1)).toBe(1);
    expect(s.position(1e-3)).toBeCloseTo(1 / 3, 12);
    expect(s.invert(2 / 3)).toBeCloseTo(1e-2, 12);
    const c = categoricalScale(['sgd', 'adam']);
    expect(c.position('adam')).toBe(0.75);
    expect(c.position('lbfgs')).toBeNull();
  });

  it('on a time axis are round times in UTC', () => {
    const t0 = Date.UTC(2026, 11, 3, 14, 7, 0) / 1000;
    expect(timeTicks(t0, t0 + 3600, 6).map((t) => t[1])).toEqual(['14:10', '14:20', '14:30', '14:40', '14:50', '15:00']);
  });
});

describe('empirical distribution', () => {
  it('steps to the share of values at most each distinct value', () => {
    expect(empiricalDistribution([3, 1, 2, 2, NaN])).toEqual([
      [1, 0.25],
      [2, 0.75],
      [3, 1],
    ]);
  });
});

describe('contour', () => {
  it('interpolates exactly at a sample and between samples within their range', () => {
    const points = [
      { x: 0.5 / 4, y: 1 - 0.5 / 4, v: 10 },
      { x: 3.5 / 4, y: 0.5 / 4, v: 20 },
    ];
    const grid = interpolateGrid(points, 4, 2);
    expect(grid[0]).toBe(10); // the top-left cell centre is the first sample
    expect(grid[15]).toBe(20);
    for (const v of grid) expect(v).toBeGreaterThanOrEqual(10), expect(v).toBeLessThanOrEqual(20);
  });

  it('draws an iso-line where a linear field crosses the level', () => {
    // f = column index on a 3 x 3 grid: the level 0.5 is the vertical line halfway between columns 0 and 1.
    const field = [0, 1, 2, 0, 1, 2, 0, 1, 2];
    const segs = isoSegments(field, 3, 0.5);
    expect(segs).toHaveLength(2);
    for (const [x1, , x2] of segs) {
      expect(x1).toBeCloseTo(1 / 3, 12);
      expect(x2).toBeCloseTo(1 / 3, 12);
    }
    expect(isoSegments(field, 3, 5)).toEqual([]);
  });
});

describe('timeline', () => {
  it('draws a trial thawed after a pause as run, pause, run from its reported training time', () => {
    // Started at 1000, trained 48 s to step 4, resumed later and ended at 2000 after 72 s more.
    const t = trial({ startTime: 1000, completeTime: 2000, resumeFromStep: 4, resumeElapsedSeconds: 48, elapsedSeconds: 120 });
    expect(trialSegments(t, 5000)).toEqual([
      { from: 1000, to: 1048, kind: 'run' },
      { from: 1048, to: 1928, kind: 'paused' },
      { from: 1928, to: 2000, kind: 'run' },
    ]);
  });

  it('draws a trial still paused as paused until the study last moved, not until now', () => {
    const t = trial({ state: 'PAUSED', startTime: 1000, completeTime: null, elapsedSeconds: 30 });
    expect(trialSegments(t, 9000, 1500)).toEqual([
      { from: 1000, to: 1030, kind: 'run' },
      { from: 1030, to: 1500, kind: 'paused' },
    ]);
  });
});

describe('brushing and filters', () => {
  it('turns a brush into a value range (log axes in values) or the categories it covers', () => {
    const r = brushRange(numericScale(1e-4, 1e-1, true), 1 / 3, 2 / 3);
    expect(r).toMatchObject({ kind: 'range' });
    if (r?.kind !== 'range') throw new Error('range expected');
    expect(r.lo).toBeCloseTo(1e-3, 12);
    expect(r.hi).toBeCloseTo(1e-2, 12);
    expect(brushRange(categoricalScale(['a', 'b', 'c', 'd']), 0.3, 0.8)).toEqual({ kind: 'categories', values: ['b', 'c'] });
  });

  it('keeps trials in every range and of the chosen states', () => {
    const f = new TrialFilter();
    let changes = 0;
    f.onChange(() => changes++);
    const a = trial({ id: 1, parameters: { lr: 0.01, opt: 'adam' }, value: 0.9 });
    const b = trial({ id: 2, state: 'PAUSED', parameters: { lr: 0.5, opt: 'sgd' }, value: 0.7 });
    expect([a, b].filter((t) => f.matches(t))).toHaveLength(2);
    f.setRange('lr', { kind: 'range', lo: 0, hi: 0.1 });
    expect([a, b].filter((t) => f.matches(t))).toEqual([a]);
    f.setRange('lr', undefined);
    f.setRange(OBJECTIVE_KEY, { kind: 'range', lo: 0.6, hi: 0.8 });
    expect([a, b].filter((t) => f.matches(t))).toEqual([b]);
    f.toggleState('SUCCEEDED', true);
    expect([a, b].filter((t) => f.matches(t))).toEqual([]);
    f.clear();
    expect(f.active).toBe(false);
    expect(changes).toBe(5);
  });
});

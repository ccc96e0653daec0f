/** The held views of storage/study-history.ts when a replica serves more studies than it keeps views of:
 *  a view dropped (least recently used) while one of its study's reads is in flight must not turn that
 *  read's delta into the study's whole history. Before the fix the read returned only the delta (trial
 *  4 of 4 here) and kept it as the view, so every later suggestion on the study missed trials 1-3. */
import type { TrialState } from '@hpo/core';
import type { TrialRecord } from '../src/storage/storage';
import { StudyHistories } from '../src/storage/study-history';

function trial(id: number, state: TrialState): TrialRecord {
  return {
    studyId: 1,
    id,
    state,
    parameters: { x: id / 10 },
    measurements: [],
    clientId: '',
    leaseExpiresAt: null,
    resumeFromStep: 0,
    lastStep: -1,
    infeasibleReason: '',
    statusReason: '',
    origin: 'random',
    createTime: 0,
    startTime: null,
    completeTime: null,
    note: '',
  };
}

const ids = (trials: TrialRecord[]) => trials.map((t) => `${t.id}:${t.state}`);

describe('held study histories', () => {
  it('a read whose view was dropped meanwhile still returns, and keeps, the whole history', () => {
    const histories = new StudyHistories(2);
    histories.merge('a', histories.since('a'), [trial(1, 'SUCCEEDED'), trial(2, 'SUCCEEDED'), trial(3, 'ACTIVE')]).commit();

    const delta = histories.since('a');
    expect(delta).toMatchObject({ afterId: 3, unfinishedIds: [3] });
    // Two other studies read while study a's read is in flight: a's view is dropped.
    histories.merge('b', histories.since('b'), [trial(1, 'ACTIVE')]).commit();
    histories.merge('c', histories.since('c'), [trial(1, 'ACTIVE')]).commit();
    expect(histories.since('a')).toBeUndefined();

    const read = histories.merge('a', delta, [trial(3, 'SUCCEEDED'), trial(4, 'ACTIVE')]);
    expect(ids(read.trials)).toEqual(['1:SUCCEEDED', '2:SUCCEEDED', '3:SUCCEEDED', '4:ACTIVE']);
    expect(read.maxId).toBe(4);
    read.commit();

    const next = histories.since('a');
    expect(next).toMatchObject({ afterId: 4, unfinishedIds: [4] });
    expect(ids(histories.merge('a', next, [trial(4, 'ACTIVE'), trial(5, 'ACTIVE')]).trials)).toEqual(['1:SUCCEEDED', '2:SUCCEEDED', '3:SUCCEEDED', '4:ACTIVE', '5:ACTIVE']);
  });

  it("a full read's highest id is the study's; an empty study's is 0", () => {
    const histories = new StudyHistories();
    expect(histories.merge('a', undefined, []).maxId).toBe(0);
    expect(histories.merge('a', undefined, [trial(1, 'FAILED'), trial(2, 'ACTIVE')]).maxId).toBe(2);
  });
});

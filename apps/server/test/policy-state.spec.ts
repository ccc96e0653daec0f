/** The stored policy state document: unreadable or other-format documents read as empty (a cold fit),
 *  and writes merge by part so a report and a suggestion on one study do not undo each other's fits. */
import { mergePolicyState, MAX_POLICY_STATE_CHARS, readPolicyState, writePolicyStateJson } from '../src/suggestion/policy-state';

describe('stored policy state', () => {
  it('round-trips parts and reads anything else as empty', () => {
    const state = { gp: { version: 1, hyperparameters: { a: 1 } }, freezeThaw: { version: 2 } };
    expect(readPolicyState(writePolicyStateJson(state))).toEqual(state);
    for (const junk of [null, '', '{', '[]', '{"format":0,"parts":{}}', '{"format":1,"parts":[]}', '{"format":1}']) expect(readPolicyState(junk)).toEqual({});
    // A part without a version is not a model's state.
    expect(readPolicyState('{"format":1,"parts":{"gp":{"x":1},"ft":{"version":1}}}')).toEqual({ ft: { version: 1 } });
    expect(writePolicyStateJson({})).toBeNull();
    expect(writePolicyStateJson({ big: { version: 1, matrix: 'x'.repeat(MAX_POLICY_STATE_CHARS) } as never })).toBeNull();
  });

  it('merges by part: what the policy changed or dropped wins, what it passed through keeps the row', () => {
    const read = { gp: { version: 1, n: 5 }, freezeThaw: { version: 1, n: 5 } };
    // Meanwhile a report refitted the freeze-thaw model; the suggestion refitted the GP only.
    const current = { gp: { version: 1, n: 5 }, freezeThaw: { version: 1, n: 6 } };
    const returned = { gp: { version: 1, n: 7 }, freezeThaw: { version: 1, n: 5 } };
    expect(mergePolicyState(current, read, returned)).toEqual({ gp: { version: 1, n: 7 }, freezeThaw: { version: 1, n: 6 } });
    // A failed policy returns an empty state: every part it read is dropped (the next call fits cold).
    expect(mergePolicyState(current, read, {})).toEqual({});
  });
});

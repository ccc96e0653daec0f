/** The study's policy state as the server stores it: one JSON document in the study's row, read in the
 *  first transaction of a suggestion (or report) and written in its last, so a restart or any replica
 *  continues from the same fit (Vizier's designers dump their state into study metadata the same way).
 *
 *  The envelope has its own format number; each model's part carries its own version, which the model
 *  checks. Anything unreadable here is an empty state: a cold fit, never an error. */
import type { PolicyState } from '@hpo/core';
import type { StudyTransaction } from '../storage/storage';

/** Bumped when the envelope changes; an older document reads as empty (one cold fit per study). */
export const POLICY_STATE_FORMAT = 1;
/** A stored state larger than this is not written (it would be a matrix, not hyperparameters): the next
 *  call fits cold rather than every read of the study paying for it. */
export const MAX_POLICY_STATE_CHARS = 64 * 1024;

interface Envelope {
  format: number;
  parts: Record<string, unknown>;
}

export function readPolicyState(json: string | null | undefined): PolicyState {
  if (!json) return {};
  try {
    const e = JSON.parse(json) as Partial<Envelope>;
    if (e?.format !== POLICY_STATE_FORMAT || typeof e.parts !== 'object' || e.parts === null || Array.isArray(e.parts)) return {};
    const state: Record<string, PolicyState[string]> = {};
    for (const [model, part] of Object.entries(e.parts)) {
      if (part && typeof part === 'object' && typeof (part as { version?: unknown }).version === 'number') state[model] = part as PolicyState[string];
    }
    return state;
  } catch {
    return {};
  }
}

/** The document to store, or null for an empty (or oversized) state. */
export function writePolicyStateJson(state: PolicyState): string | null {
  const parts = Object.fromEntries(Object.entries(state).filter(([, part]) => part !== undefined));
  if (Object.keys(parts).length === 0) return null;
  const json = JSON.stringify({ format: POLICY_STATE_FORMAT, parts } satisfies Envelope);
  return json.length <= MAX_POLICY_STATE_CHARS ? json : null;
}

/** Three-way merge by part: `returned` is what a policy made of `read`; `current` is what the row holds
 *  now (another call on the study, e.g. a report during a suggestion, may have written since `read`).
 *  A part the policy changed (or dropped) takes the policy's value; a part it passed through keeps the
 *  row's, so concurrent suggestion and report calls do not undo each other's fits. */
export function mergePolicyState(current: PolicyState, read: PolicyState, returned: PolicyState): PolicyState {
  const merged: Record<string, PolicyState[string]> = { ...current };
  for (const model of new Set([...Object.keys(read), ...Object.keys(returned)])) {
    if (JSON.stringify(read[model]) === JSON.stringify(returned[model])) continue;
    if (returned[model] === undefined) delete merged[model];
    else merged[model] = returned[model];
  }
  return merged;
}

/** Writes what a policy returned (merged as above) inside the study's transaction, if anything changed. */
export async function storePolicyState(tx: StudyTransaction, read: PolicyState, returned: PolicyState): Promise<void> {
  const json = writePolicyStateJson(mergePolicyState(readPolicyState(tx.study.policyStateJson), read, returned));
  if (json !== tx.study.policyStateJson) await tx.writePolicyState(json);
}

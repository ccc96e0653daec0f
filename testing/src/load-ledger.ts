/** What the clients saw, checked against what the server stored. The invariants of a study under load
 *  and faults:
 *  1. every trial was handed to one client only (a client may get its own trial back);
 *  2. every CompleteTrial the server acknowledged is stored, SUCCEEDED with the acknowledged value;
 *  3. counts add up: every trial the server holds was handed out (no trial nobody saw), SUCCEEDED ones
 *     are at least the acknowledged ones (a lost reply may leave a stored but unacknowledged result),
 *     and a finished study has exactly max_trials SUCCEEDED + INFEASIBLE trials. */
export interface ServerTrial {
  name: string;
  state: string;
  /** The objective of the final measurement (SUCCEEDED trials). */
  finalValue?: number;
}

export class Ledger {
  /** trial name → client ids it was handed to. */
  readonly handedTo = new Map<string, Set<string>>();
  /** trial name → acknowledged objective value. */
  readonly acked = new Map<string, number>();
  /** Calls that failed, by status name (RESOURCE_EXHAUSTED answers included). */
  readonly errors = new Map<string, number>();

  handedOut(trialName: string, clientId: string): void {
    let s = this.handedTo.get(trialName);
    if (!s) this.handedTo.set(trialName, (s = new Set()));
    s.add(clientId);
  }

  acknowledged(trialName: string, value: number): void {
    this.acked.set(trialName, value);
  }

  error(code: string): void {
    this.errors.set(code, (this.errors.get(code) ?? 0) + 1);
  }

  errorCounts(): Record<string, number> {
    return Object.fromEntries([...this.errors.entries()].sort());
  }
}

export interface InvariantReport {
  ok: boolean;
  problems: string[];
  counts: Record<string, number>;
  handedOut: number;
  acknowledged: number;
}

/** Checks the invariants for the trials of the studies the ledger covers. `maxTrials` (total over those
 *  studies) is checked only when given (the studies ran to completion). */
export function checkInvariants(ledger: Ledger, serverTrials: ServerTrial[], options: { maxTrials?: number } = {}): InvariantReport {
  const problems: string[] = [];
  const byName = new Map(serverTrials.map((t) => [t.name, t]));
  const counts: Record<string, number> = {};
  for (const t of serverTrials) counts[t.state] = (counts[t.state] ?? 0) + 1;
  for (const [name, clients] of ledger.handedTo) {
    if (clients.size > 1) problems.push(`${name} was handed to ${clients.size} clients: ${[...clients].join(', ')}`);
    if (!byName.has(name)) problems.push(`${name} was handed out but the server does not have it`);
  }
  for (const [name, value] of ledger.acked) {
    const t = byName.get(name);
    if (!t) problems.push(`${name}: acknowledged but missing on the server`);
    else if (t.state !== 'SUCCEEDED') problems.push(`${name}: acknowledged but ${t.state} on the server`);
    else if (t.finalValue !== value) problems.push(`${name}: acknowledged value ${value}, stored ${t.finalValue}`);
  }
  for (const t of serverTrials) {
    if (!ledger.handedTo.has(t.name) && t.state !== 'REQUESTED') problems.push(`${t.name} (${t.state}) was never handed to any client`);
  }
  const succeeded = counts.SUCCEEDED ?? 0;
  if (succeeded < ledger.acked.size) problems.push(`${succeeded} SUCCEEDED on the server < ${ledger.acked.size} acknowledged`);
  if (options.maxTrials !== undefined) {
    const finished = succeeded + (counts.INFEASIBLE ?? 0);
    if (finished !== options.maxTrials) problems.push(`finished trials ${finished} != max_trials ${options.maxTrials}`);
  }
  return { ok: problems.length === 0, problems: problems.slice(0, 20), counts, handedOut: ledger.handedTo.size, acknowledged: ledger.acked.size };
}

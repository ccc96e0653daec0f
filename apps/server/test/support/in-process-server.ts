/** The real server inside the test process (gRPC, Nest, storage, policies inline, no dist/): an in-memory
 *  SQLite database with the same migrations and a ManualClock unless told otherwise. Seconds to start,
 *  nothing to build; the child-process launcher (@hpo/testing startServerProcess) stays for what needs a
 *  process (crashes, replicas, PostgreSQL, the dashboard in a browser). */
import { ManualClock } from '@hpo/testing';
import { startServer, type RunningServer, type ServerOptions } from '../../src/main';
import { InlinePolicyRunner } from '../../src/suggestion/policy-runner';

export function startInProcessServer(options: ServerOptions = {}): Promise<RunningServer> {
  return startServer({
    port: 0,
    dataDir: ':memory:',
    clock: new ManualClock(),
    policyRunner: new InlinePolicyRunner(),
    imports: [],
    logLevel: 'error',
    // The reaper sweeps on the given clock's time; an hour keeps it out of the way unless a test sets
    // its own interval (leases otherwise expire lazily, in SuggestTrials).
    leaseCheckIntervalMs: 3_600_000,
    shutdownGraceMs: 100,
    ...options,
  });
}

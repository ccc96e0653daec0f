/** The usual e2e setup in one line: a server (child process, @hpo/testing's launcher) and a StudyClient on
 *  it for one describe block, started in beforeAll and closed in afterAll. `server` and `client` are
 *  stand-ins that forward to the real ones once beforeAll has run, so a suite can destructure them at
 *  the top:  const { server, client } = serverSuite(() => fresh().env); */
import { createStudyClient, startServerProcess, type ServerProcess, type StudyClient } from '@hpo/testing';
import { HpoClient } from '../../../client-sdk/src/client';
import type { RunningServer, ServerOptions } from '../../src/main';
import { startInProcessServer } from './in-process-server';

function forwardTo<T extends object>(current: () => T | undefined, what: string): T {
  return new Proxy({} as T, {
    get(_, prop) {
      const target = current();
      if (!target) throw new Error(`${what} is used before beforeAll started it`);
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

export function serverSuite(env: () => Record<string, string>): { server: ServerProcess; client: StudyClient } {
  return suiteWith(env, (address) => createStudyClient(address));
}

/** The same with the TypeScript SDK's HpoClient (30 s deadlines) instead of the raw StudyClient. */
export function sdkServerSuite(env: () => Record<string, string>): { server: ServerProcess; client: HpoClient } {
  return suiteWith(env, (address) => new HpoClient({ address, timeoutMs: 30_000 }));
}

/** The same with the server inside the test process (in-process-server.ts: in-memory SQLite, a
 *  ManualClock unless `options` say otherwise). */
export function inProcessSuite(options?: ServerOptions): { server: RunningServer; client: StudyClient } {
  return suiteOf(() => startInProcessServer(options), (s) => s.close(), (address) => createStudyClient(address));
}

function suiteWith<C extends { close(): void }>(env: () => Record<string, string>, connect: (address: string) => C): { server: ServerProcess; client: C } {
  return suiteOf(() => startServerProcess(env()), (s) => s.stop(), connect);
}

function suiteOf<S extends { address: string }, C extends { close(): void }>(
  start: () => Promise<S>, stop: (server: S) => Promise<void>, connect: (address: string) => C,
): { server: S; client: C } {
  let server: S | undefined;
  let client: C | undefined;
  beforeAll(async () => {
    server = await start();
    client = connect(server.address);
  }, 60_000);
  afterAll(async () => {
    client?.close();
    if (server) await stop(server);
  });
  return { server: forwardTo(() => server, 'server'), client: forwardTo(() => client, 'client') };
}

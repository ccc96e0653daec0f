/** The usual e2e setup in one line: a server (child process, @hpo/testing's launcher) and a StudyClient on
 *  it for one describe block, started in beforeAll and closed in afterAll. `server` and `client` are
 *  stand-ins that forward to the real ones once beforeAll has run, so a suite can destructure them at
 *  the top:  const { server, client } = serverSuite(() => fresh().env); */
import { createStudyClient, startServerProcess, type ServerProcess, type StudyClient } from '@hpo/testing';
import { HpoClient } from '../../../client-sdk/src/client';

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

function suiteWith<C extends { close(): void }>(env: () => Record<string, string>, connect: (address: string) => C): { server: ServerProcess; client: C } {
  let server: ServerProcess | undefined;
  let client: C | undefined;
  beforeAll(async () => {
    server = await startServerProcess(env());
    client = connect(server.address);
  }, 60_000);
  afterAll(async () => {
    client?.close();
    await server?.stop();
  });
  return { server: forwardTo(() => server, 'server'), client: forwardTo(() => client, 'client') };
}

/** TLS with real certificates made in the test (openssl): the server presents a certificate for
 *  127.0.0.1 signed by a test CA; with a client CA configured it also demands a client certificate
 *  signed by that CA (mutual TLS). Plain-text and untrusted peers are refused both ways. */
import * as fs from 'node:fs';
import { HpoClient, HpoClientOptions } from '../../../client-sdk/src/client';
import { HpoClientError } from '../../../client-sdk/src/errors';
import { startServerProcess, ServerProcess, freshSqliteBackend } from '@hpo/testing';
import { makeTestPki, TestPki } from './support/certs';

const CONFIG = { parameters: [{ name: 'x', type: 'DOUBLE' as const, min: 0, max: 1 }], metrics: [{ name: 'y', goal: 'MAXIMIZE' as const }], algorithm: 'RANDOM_SEARCH' as const };

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'OK';
  } catch (e) {
    return e instanceof HpoClientError ? e.code : `CLIENT: ${(e as Error).message}`;
  }
}

function client(address: string, tls: HpoClientOptions['tls']): HpoClient {
  // The certificate names localhost (and 127.0.0.1); no retries, so a refused handshake fails fast.
  return new HpoClient({ address, tls, retry: false, timeoutMs: 5000, channelOptions: { 'grpc.ssl_target_name_override': 'localhost' } });
}

describe('TLS', () => {
  let pki: TestPki;
  beforeAll(() => {
    pki = makeTestPki();
  });
  afterAll(() => fs.rmSync(pki.dir, { recursive: true, force: true }));

  describe('server certificate', () => {
    let server: ServerProcess;
    beforeAll(async () => {
      server = await startServerProcess({ ...freshSqliteBackend().env, HPO_TLS_CERT: pki.serverCert, HPO_TLS_KEY: pki.serverKey });
    });
    afterAll(() => server?.stop());

    it('serves a client that trusts the CA, over TLS', async () => {
      const c = client(`127.0.0.1:${server.port}`, { ca: pki.caCert });
      const study = await c.createStudy({ displayName: 'tls', config: CONFIG });
      const { trials } = await study.suggest('tls-worker');
      expect(trials).toHaveLength(1);
      await c.completeTrial({ name: trials[0].name, finalMeasurement: { metrics: { y: 1 } } });
      expect((await c.getTrial(trials[0].name)).state).toBe('SUCCEEDED');
      c.close();
    });

    it('refuses plain text and clients that do not trust its certificate', async () => {
      const plain = new HpoClient({ address: `127.0.0.1:${server.port}`, retry: false, timeoutMs: 5000 });
      expect(await codeOf(plain.listStudies())).toBe('UNAVAILABLE');
      plain.close();
      const wrongCa = client(`127.0.0.1:${server.port}`, { ca: pki.otherCaCert });
      expect(await codeOf(wrongCa.listStudies())).toBe('UNAVAILABLE');
      wrongCa.close();
    });

    it('refuses to start with a certificate but no key', async () => {
      await expect(startServerProcess({ ...freshSqliteBackend().env, HPO_TLS_CERT: pki.serverCert })).rejects.toThrow(/TLS needs both/);
    });
  });

  describe('mutual TLS (client CA configured)', () => {
    let server: ServerProcess;
    beforeAll(async () => {
      server = await startServerProcess({
        ...freshSqliteBackend().env,
        HPO_TLS_CERT: pki.serverCert,
        HPO_TLS_KEY: pki.serverKey,
        HPO_TLS_CLIENT_CA: pki.caCert,
      });
    });
    afterAll(() => server?.stop());

    it('serves a client with a certificate signed by the client CA', async () => {
      const c = client(`127.0.0.1:${server.port}`, { ca: pki.caCert, cert: pki.clientCert, key: pki.clientKey });
      expect((await c.createStudy({ displayName: 'mtls', config: CONFIG })).displayName).toBe('mtls');
      c.close();
    });

    it('refuses a client without a certificate, and one signed by another CA', async () => {
      const none = client(`127.0.0.1:${server.port}`, { ca: pki.caCert });
      expect(await codeOf(none.listStudies())).toBe('UNAVAILABLE');
      none.close();
      const stranger = client(`127.0.0.1:${server.port}`, { ca: pki.caCert, cert: pki.strangerCert, key: pki.strangerKey });
      expect(await codeOf(stranger.listStudies())).toBe('UNAVAILABLE');
      stranger.close();
    });
  });
});

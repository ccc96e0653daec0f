/** TLS end to end: `hpo serve --tls-cert --tls-key` with a certificate made here by openssl, and the
 *  SDK's `tls: { ca }` option. A plain-text client, or one that does not trust the certificate, fails. */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { HpoClient, HpoClientError } from '../src';
import { quadraticConfig } from './support/configs';
import { ServeProcess, startServe, tempDir } from './support/hpo-serve';

const opensslReady = spawnSync('openssl', ['version']).status === 0;
if (!opensslReady) console.warn('Skipping the TLS test: the openssl command is not available to make a certificate');

(opensslReady ? describe : describe.skip)('TLS', () => {
  let dir: string;
  let server: ServeProcess;
  beforeAll(async () => {
    dir = tempDir('hpo-tls-');
    const made = spawnSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'),
        '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'],
      { encoding: 'utf8' },
    );
    if (made.status !== 0) throw new Error(`openssl failed: ${made.stderr}`);
    server = await startServe({ args: ['--tls-cert', path.join(dir, 'cert.pem'), '--tls-key', path.join(dir, 'key.pem')] });
  });
  afterAll(async () => {
    await server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('serves over TLS to a client that trusts the certificate (path or PEM)', async () => {
    const byPath = new HpoClient({ address: server.address, tls: { ca: path.join(dir, 'cert.pem') } });
    const study = await byPath.createStudy({ displayName: 'tls', config: quadraticConfig() });
    byPath.close();
    const byPem = new HpoClient({ address: server.address, tls: { ca: fs.readFileSync(path.join(dir, 'cert.pem'), 'utf8') } });
    expect((await byPem.getStudy(study.name)).displayName).toBe('tls');
    byPem.close();
  });

  it('refuses plain-text clients and clients that do not trust the certificate', async () => {
    for (const tls of [undefined, true] as const) {
      const client = new HpoClient({ address: server.address, tls, retry: { maxAttempts: 2, initialDelayMs: 10 } });
      const err = (await client.listStudies({}, { timeoutMs: 3000 }).catch((e: unknown) => e)) as HpoClientError;
      expect(err).toBeInstanceOf(HpoClientError);
      expect(err.code).toBe('UNAVAILABLE');
      client.close();
    }
  });
});

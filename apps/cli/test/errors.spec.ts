/** Errors that say what to do, through the `hpo` process: no server at the address, address forms,
 *  and a busy port. */
import { ServeProcess, startServe, tempDir } from '../../client-sdk/test/support/hpo-serve';
import { hpo } from './support/run-hpo';
import { freePort } from '@hpo/testing';

describe('errors that say what to do', () => {
  let server: ServeProcess;
  beforeAll(async () => {
    server = await startServe();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('no server at the address: one line naming it and `hpo serve`, without seconds of retries', async () => {
    const port = await freePort();
    const run = await hpo(['studies', 'list', '--address', `127.0.0.1:${port}`]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`hpo: UNAVAILABLE: no server at 127.0.0.1:${port} — is \`hpo serve\` running? (connection refused)\n`);
    // Node start-up included (about 1 s on a loaded machine); that no retry is made is asserted in the
    // SDK's retry.spec.
    expect(run.ms).toBeLessThan(5000);
  });

  it('takes http://HOST:PORT and a bare host (port 50051), and refuses other forms listing the accepted ones', async () => {
    const viaHttp = await hpo(['studies', 'list', '--address', `http://localhost:${server.port}`]);
    expect(viaHttp.code).toBe(0);
    expect(viaHttp.stdout).toBe('no studies\n');
    const bare = await hpo(['studies', 'list', '--address', 'localhost']);
    // Whatever is on 50051 here, the target is localhost:50051, never grpc-js's port 443.
    expect(bare.stderr).not.toMatch(/443/);
    if (bare.code !== 0) expect(bare.stderr).toContain('localhost:50051');
    const bad = await hpo(['studies', 'list', '--address', 'ftp://localhost:1']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^hpo: INVALID_ARGUMENT: server address "ftp:\/\/localhost:1" has scheme ftp:\/\/; accepted forms: HOST:PORT \(e\.g\. 127\.0\.0\.1:50051\), HOST \(port 50051\), \[IPv6\]:PORT, http:\/\/HOST:PORT, https:\/\/HOST:PORT \(TLS\)/);
  });

  it('a busy gRPC port is named as such', async () => {
    const run = await hpo(['serve', '--port', String(server.port), '--data-dir', tempDir('hpo-busy-'), '--log-level', 'warn']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      `hpo: port ${server.port} on 127.0.0.1 is already in use (another \`hpo serve\`?): stop it, or choose another --port (0: any free port)\n`,
    );
  });

  it('a busy dashboard port is named as such', async () => {
    const run = await hpo(['serve', '--port', '0', '--dashboard-port', String(server.port), '--data-dir', tempDir('hpo-busy-'), '--log-level', 'warn']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`hpo: HTTP port ${server.port} on 127.0.0.1 is already in use (another \`hpo serve\` or dashboard?): stop it, or choose another --dashboard-port (0: any free port)\n`);
  });
});

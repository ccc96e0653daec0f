/** A TCP port on 127.0.0.1 that nothing listens on right now (bound, read, released): for tests that
 *  need an address where no server is, or a port to start one on. */
import * as net from 'node:net';

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

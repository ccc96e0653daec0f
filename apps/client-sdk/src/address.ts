/** The server address as people write it, turned into a grpc-js target: "host:port", "host" (port
 *  50051, the server's default, instead of grpc-js's 443), "[::1]:port", "http://host:port" (plain) and
 *  "https://host:port" (TLS). Anything else is refused with the accepted forms, rather than reaching the
 *  resolver as "dns:http://…" and failing with a name-resolution error. */
import { HpoClientError } from './errors';

export const DEFAULT_PORT = 50051;

export const ACCEPTED_ADDRESS_FORMS = 'HOST:PORT (e.g. 127.0.0.1:50051), HOST (port 50051), [IPv6]:PORT, http://HOST:PORT, https://HOST:PORT (TLS), or a gRPC target such as dns:///HOST:PORT or unix:PATH';

export interface ServerAddress {
  /** What grpc-js dials. */
  target: string;
  /** An https:// address asks for TLS. */
  tls: boolean;
}

const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])$/;

export function parseServerAddress(address: string): ServerAddress {
  const refuse = (why: string): never => {
    throw new HpoClientError('INVALID_ARGUMENT', `server address ${JSON.stringify(address)} ${why}; accepted forms: ${ACCEPTED_ADDRESS_FORMS}`, 'HpoClient');
  };
  const text = address.trim();
  // gRPC's own target syntax is passed through untouched.
  if (/^(dns|unix|unix-abstract|ipv4|ipv6):/i.test(text)) return { target: text, tls: false };
  let rest = text;
  let tls = false;
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(text);
  if (scheme) {
    const name = scheme[1].toLowerCase();
    if (name !== 'http' && name !== 'https' && name !== 'grpc' && name !== 'grpcs') refuse(`has scheme ${scheme[1]}://`);
    tls = name === 'https' || name === 'grpcs';
    rest = text.slice(scheme[0].length).replace(/\/$/, '');
  }
  if (rest === '') refuse('is empty');
  if (rest.includes('/')) refuse('has a path (the service needs none)');
  let host: string;
  let port: string | undefined;
  if (rest.startsWith('[')) {
    const m = /^(\[[^\]]+\])(?::(.*))?$/.exec(rest);
    if (!m) return refuse('has an unclosed [IPv6] host');
    [, host, port] = m;
  } else if ((rest.match(/:/g) ?? []).length > 1) {
    host = `[${rest}]`; // a bare IPv6 address ("::1"): no port
  } else {
    const colon = rest.lastIndexOf(':');
    host = colon < 0 ? rest : rest.slice(0, colon);
    port = colon < 0 ? undefined : rest.slice(colon + 1);
  }
  if (!HOST.test(host)) refuse(`has no valid host`);
  if (port !== undefined) {
    const n = Number(port);
    if (port === '' || !Number.isInteger(n) || n < 1 || n > 65535) refuse('has a port that is not a number in 1..65535');
  }
  return { target: `${host}:${port ?? DEFAULT_PORT}`, tls };
}

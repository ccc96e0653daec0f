/** Channel credentials (plain or TLS, optionally with a client certificate) and the per-call
 *  `authorization: Bearer` metadata. The key travels as call metadata rather than call credentials
 *  because grpc-js refuses call credentials on an insecure channel, and the loopback default is
 *  insecure. */
import * as fs from 'node:fs';
import * as grpc from '@grpc/grpc-js';

export interface TlsOptions {
  /** PEM of the CA that signed the server's certificate (or a path to it); system roots when omitted. */
  ca?: string | Buffer;
  /** Client certificate and key (PEM or paths), for servers that ask for mutual TLS. */
  cert?: string | Buffer;
  key?: string | Buffer;
}

/** Strings that look like PEM are PEM; other strings are file paths. */
function readPem(value: string | Buffer | undefined): Buffer | null {
  if (value === undefined) return null;
  if (Buffer.isBuffer(value)) return value;
  return value.includes('-----BEGIN') ? Buffer.from(value) : fs.readFileSync(value);
}

export function channelCredentials(tls: TlsOptions | boolean | undefined): grpc.ChannelCredentials {
  if (!tls) return grpc.credentials.createInsecure();
  const options = tls === true ? {} : tls;
  return grpc.credentials.createSsl(readPem(options.ca), readPem(options.key), readPem(options.cert));
}

export function authMetadata(apiKey: string | undefined): grpc.Metadata {
  const metadata = new grpc.Metadata();
  if (apiKey) metadata.set('authorization', `Bearer ${apiKey}`);
  return metadata;
}

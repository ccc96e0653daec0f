/** The options every client command shares (--address, --api-key, TLS) and the client they make. */
import { Command, Option } from 'commander';
import { HpoClient } from '../../client-sdk/src';

export interface ClientFlags {
  address: string;
  apiKey?: string;
  tlsCa?: string;
  tls?: boolean;
  timeout: string;
}

export function addClientOptions(command: Command): Command {
  return command
    .addOption(new Option('--address <host:port>', 'server address: HOST:PORT, HOST (port 50051), http://HOST:PORT or https://HOST:PORT (TLS)').env('HPO_ADDRESS').default('127.0.0.1:50051'))
    .addOption(new Option('--api-key <key>', "the tenant's API key (sent as Bearer)").env('HPO_API_KEY'))
    .addOption(new Option('--tls', 'connect with TLS (system roots)'))
    .addOption(new Option('--tls-ca <file>', 'connect with TLS, trusting this CA (PEM)').env('HPO_TLS_CA'))
    .addOption(new Option('--timeout <ms>', 'deadline of each call').default('30000'));
}

export function clientFrom(flags: ClientFlags): HpoClient {
  const timeoutMs = Number(flags.timeout);
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new Error(`--timeout must be a positive number of milliseconds, got ${flags.timeout}`);
  return new HpoClient({
    address: flags.address,
    apiKey: flags.apiKey,
    tls: flags.tlsCa ? { ca: flags.tlsCa } : flags.tls === true,
    timeoutMs,
    // A person is waiting: fail after a few seconds of UNAVAILABLE rather than the SDK's default; a
    // refused connection (no server there) is said at once.
    retry: { maxAttempts: 3 },
  });
}

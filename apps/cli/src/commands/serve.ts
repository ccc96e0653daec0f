/** `hpo serve`: the server in the foreground. Logs (JSON, pino) go to stderr; stdout gets one line,
 *  "listening on HOST:PORT", once the port is bound. SIGINT/SIGTERM finish in-flight calls and exit;
 *  a second signal exits at once. */
import { Command, Option } from 'commander';
import type * as ServerMain from '../../../server/src/main';
import { choiceOption } from '../choice-option';
import { runAction, UsageError } from '../run-action';
import { addStorageOptions, StorageFlags } from './storage-options';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

interface ServeFlags extends StorageFlags {
  host: string;
  port: string;
  tlsCert?: string;
  tlsKey?: string;
  tlsClientCa?: string;
  logLevel: string;
  dashboardPort?: string;
}

export function serveCommand(): Command {
  return addStorageOptions(new Command('serve').description('run the HPO server in the foreground'))
    .addOption(new Option('--host <host>', 'bind address (a non-loopback bind requires API keys)').env('HPO_HOST').default('127.0.0.1'))
    .addOption(new Option('--port <port>', 'port (0: any free port)').env('HPO_PORT').default('50051'))
    .addOption(new Option('--tls-cert <file>', 'TLS certificate chain (PEM)').env('HPO_TLS_CERT'))
    .addOption(new Option('--tls-key <file>', 'TLS private key (PEM)').env('HPO_TLS_KEY'))
    .addOption(new Option('--tls-client-ca <file>', 'require client certificates signed by this CA').env('HPO_TLS_CLIENT_CA'))
    .addOption(choiceOption('--log-level <level>', 'log level', LOG_LEVELS, 'info').env('HPO_LOG_LEVEL'))
    .addOption(new Option('--dashboard-port <port>', 'web dashboard, /metrics and /healthz on this HTTP port (0: any free port; off when unset)').env('HPO_DASHBOARD_PORT'))
    .action(
      runAction(async (flags: ServeFlags) => {
        const port = Number(flags.port);
        if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be an integer in 0..65535, got ${flags.port}`);
        const dashboardPort = flags.dashboardPort === undefined ? undefined : Number(flags.dashboardPort);
        if (dashboardPort !== undefined && (!Number.isInteger(dashboardPort) || dashboardPort < 0 || dashboardPort > 65535)) {
          throw new UsageError(`--dashboard-port must be an integer in 0..65535, got ${flags.dashboardPort}`);
        }
        // Loaded here, not at the top: client commands should not pay for starting Nest.
        const { startServer } = require('../../../server/src/main') as typeof ServerMain;
        const server = await startServer({
          host: flags.host,
          port,
          dataDir: flags.dataDir,
          databaseUrl: flags.databaseUrl,
          postgresSchema: flags.postgresSchema,
          tlsCertFile: flags.tlsCert,
          tlsKeyFile: flags.tlsKey,
          tlsClientCaFile: flags.tlsClientCa,
          logLevel: flags.logLevel as ServerMain.ServerOptions['logLevel'],
          logDestination: 2,
          ...(dashboardPort !== undefined ? { dashboardPort } : {}),
        });
        process.stdout.write(`listening on ${server.address}\n`);
        if (server.dashboardUrl) process.stdout.write(`dashboard on ${server.dashboardUrl}\n`);
        await new Promise<void>((resolve) => {
          let stopping = false;
          const stop = (signal: NodeJS.Signals): void => {
            if (stopping) {
              process.stderr.write(`hpo: ${signal} again, exiting without waiting\n`);
              process.exit(130);
            }
            stopping = true;
            process.stderr.write(`hpo: ${signal}, finishing in-flight calls\n`);
            server.close().then(resolve, (err: unknown) => {
              process.stderr.write(`hpo: shutdown failed: ${err instanceof Error ? err.message : String(err)}\n`);
              process.exitCode = 1;
              resolve();
            });
          };
          process.on('SIGINT', stop);
          process.on('SIGTERM', stop);
        });
      }),
    );
}

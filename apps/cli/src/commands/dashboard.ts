/** `hpo dashboard`: the web dashboard alone on a database, without the gRPC server (to look at a
 *  finished run: the demo's ./.hpo-demo, or a team's PostgreSQL). Reads only: nothing is migrated. */
import { Command, Option } from 'commander';
import type * as Standalone from '../../../server/src/dashboard/standalone-dashboard';
import { runAction, UsageError } from '../run-action';
import { addStorageOptions, StorageFlags } from './storage-options';

export function dashboardCommand(): Command {
  return addStorageOptions(new Command('dashboard').description('open the web dashboard on a database, without running the gRPC server'))
    .addOption(new Option('--host <host>', 'bind address (a non-loopback bind requires API keys)').default('127.0.0.1'))
    .addOption(new Option('--port <port>', 'HTTP port (0: any free port)').default('8080'))
    .action(
      runAction(async (flags: StorageFlags & { host: string; port: string }) => {
        const port = Number(flags.port);
        if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be an integer in 0..65535, got ${flags.port}`);
        const { startStandaloneDashboard } = require('../../../server/src/dashboard/standalone-dashboard') as typeof Standalone;
        const dashboard = await startStandaloneDashboard({
          host: flags.host,
          port,
          dataDir: flags.dataDir,
          databaseUrl: flags.databaseUrl,
          postgresSchema: flags.postgresSchema,
        });
        process.stdout.write(`dashboard on ${dashboard.url}\n`);
        await new Promise<void>((resolve) => {
          const stop = (): void => {
            dashboard.close().then(resolve, resolve);
          };
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
        });
      }),
    );
}

/** `node dist/apps/server/src/standalone.js`: the server in the foreground, configured by HPO_*
 *  environment variables (tests and containers use it; people use `hpo serve`). Prints one JSON line
 *  {"listening": "host:port", "port", "dashboardPort"?, "metricsPort"?} on stdout when ready; SIGINT/SIGTERM close it gracefully. */
import { serverOptionsFromEnv, startServer } from './main';

async function main(): Promise<void> {
  const server = await startServer({ ...serverOptionsFromEnv(), logDestination: 2 });
  process.stdout.write(JSON.stringify({ listening: server.address, port: server.port, dashboardPort: server.dashboardPort, metricsPort: server.metricsPort }) + '\n');
  const stop = (): void => {
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error) => {
  process.stderr.write(`hpo server failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

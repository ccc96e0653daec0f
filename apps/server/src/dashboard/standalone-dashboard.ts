/** The dashboard alone on a database (`hpo dashboard --data-dir/--database-url`): no gRPC server and no
 *  Nest, so the results of a finished run (the demo's data dir, a team's PostgreSQL) can be looked at
 *  afterwards. It opens the database without migrating it, and stopping a trial needs a running server
 *  (the trial's worker learns of it through its gRPC reports). */
import * as net from 'node:net';
import { FailedPreconditionError } from '@hpo/core';
import { AppLogger, createPino, LogLevel } from '../logging/pino-logger.service';
import { openStorage, StorageOptions } from '../storage/open-storage';
import type { TrialStopper } from './dashboard-api';
import { RunningHttpServer, startDashboardServer } from './dashboard-server';

export interface StandaloneDashboardOptions extends StorageOptions {
  host: string;
  port: number;
  logLevel?: LogLevel;
}

export interface StandaloneDashboard extends RunningHttpServer {
  url: string;
}

function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || (net.isIPv4(h) && h.startsWith('127.'));
}

const noStopping: TrialStopper = {
  stop: () =>
    Promise.reject(new FailedPreconditionError('this dashboard runs without the gRPC server (`hpo dashboard`): stop trials from `hpo serve --dashboard-port`')),
};

export async function startStandaloneDashboard(o: StandaloneDashboardOptions): Promise<StandaloneDashboard> {
  const storage = await openStorage({ ...o, migrate: false });
  try {
    const server = await startDashboardServer({
      host: o.host,
      port: o.port,
      storage,
      trials: noStopping,
      localModeAllowed: isLoopbackHost(o.host),
      logger: new AppLogger(createPino(o.logLevel ?? 'warn', 2)),
    });
    return {
      ...server,
      url: `http://${server.address}/`,
      close: async () => {
        await server.close();
        await storage.close();
      },
    };
  } catch (error) {
    await storage.close();
    const e = error as { code?: string };
    if (e?.code === 'EADDRINUSE') throw new Error(`HTTP port ${o.port} on ${o.host} is already in use: choose another --port (0: any free port)`);
    throw error;
  }
}

/** Starts the server's HTTP side next to gRPC: the dashboard (with /metrics and /healthz) on
 *  dashboardPort, and/or a metrics-only listener (/metrics, /healthz) on metricsPort. Either is off
 *  unless its port is given. */
import type { AppLogger } from '../logging/pino-logger.service';
import type { ServerMetrics } from '../metrics/metrics.service';
import type { Storage } from '../storage/storage';
import type { TrialStopper } from './dashboard-api';
import { RunningHttpServer, startDashboardServer } from './dashboard-server';

export interface HttpEndpointOptions {
  dashboardPort?: number;
  dashboardHost: string;
  metricsPort?: number;
  metricsHost: string;
  /** Expose /metrics on the dashboard port as well (default true). */
  metricsOnDashboard: boolean;
  storage: Storage;
  trials: TrialStopper;
  localModeAllowed: boolean;
  logger: AppLogger;
  metrics: ServerMetrics;
}

export interface HttpEndpoints {
  dashboard?: RunningHttpServer;
  metrics?: RunningHttpServer;
  close(): Promise<void>;
}

export function validHttpPort(port: number | undefined, name: string): number | undefined {
  if (port === undefined) return undefined;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`${name} must be an integer in 0..65535 (got ${port})`);
  return port;
}

export async function startHttpEndpoints(o: HttpEndpointOptions): Promise<HttpEndpoints> {
  const dashboardPort = validHttpPort(o.dashboardPort, 'dashboardPort');
  const metricsPort = validHttpPort(o.metricsPort, 'metricsPort');
  const common = { storage: o.storage, trials: o.trials, localModeAllowed: o.localModeAllowed, logger: o.logger };
  const out: HttpEndpoints = {
    async close() {
      await Promise.all([out.dashboard?.close(), out.metrics?.close()]);
    },
  };
  try {
    if (dashboardPort !== undefined) {
      out.dashboard = await startDashboardServer({ ...common, host: o.dashboardHost, port: dashboardPort, metrics: o.metricsOnDashboard ? o.metrics : undefined });
      o.logger.log({ msg: 'hpo dashboard listening', url: `http://${out.dashboard.address}/` });
    }
    if (metricsPort !== undefined) {
      out.metrics = await startDashboardServer({ ...common, host: o.metricsHost, port: metricsPort, metrics: o.metrics, dashboard: false });
      o.logger.log({ msg: 'hpo metrics listening', url: `http://${out.metrics.address}/metrics` });
    }
  } catch (error) {
    await out.close();
    const e = error as { code?: string; address?: string; port?: number };
    if (e?.code === 'EADDRINUSE') {
      const which = e.port === dashboardPort ? '--dashboard-port' : 'the metrics port (HPO_METRICS_PORT)';
      throw new Error(`HTTP port ${e.port} on ${e.address} is already in use (another \`hpo serve\` or dashboard?): stop it, or choose another ${which} (0: any free port)`);
    }
    throw error;
  }
  return out;
}

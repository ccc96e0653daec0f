#!/usr/bin/env node
/** `hpo`: the HPO service's command line. Server-side commands (serve, tenants, demo) load the server
 *  lazily, so client commands start fast. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command } from 'commander';
import { dashboardCommand } from './commands/dashboard';
import { demoCommand } from './commands/demo';
import { exportCommand } from './commands/export';
import { serveCommand } from './commands/serve';
import { studiesCommand } from './commands/studies';
import { tenantsCommand } from './commands/tenants';
import { trialsCommand } from './commands/trials';

/** The version in the repository's package.json, found from src/ or dist/. */
function packageVersion(): string {
  for (let dir = __dirname; path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'hpo-service') return pkg.version ?? '0.0.0';
    }
  }
  return '0.0.0';
}

export function buildProgram(): Command {
  return new Command('hpo')
    .description('Self-hostable Bayesian hyperparameter optimization over gRPC')
    .version(packageVersion())
    .addCommand(serveCommand())
    .addCommand(dashboardCommand())
    .addCommand(tenantsCommand())
    .addCommand(studiesCommand())
    .addCommand(trialsCommand())
    .addCommand(exportCommand())
    .addCommand(demoCommand())
    .showHelpAfterError();
}

if (require.main === module) {
  buildProgram()
    .parseAsync(process.argv)
    .catch((err: unknown) => {
      process.stderr.write(`hpo: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    });
}

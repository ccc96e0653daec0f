/** Runs the built `hpo` command line from dist/ as a child process, with the HPO_* variables of the
 *  test's environment cleared so a developer's shell cannot change the outcome. */
import { execFile } from 'node:child_process';
import { CLI_ENTRY, requireBuiltCli } from '../../../client-sdk/test/support/hpo-serve';

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

export function hpo(args: string[], env: Record<string, string> = {}, timeout = 60_000): Promise<Run> {
  requireBuiltCli();
  const started = Date.now();
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI_ENTRY, ...args],
      {
        env: { ...process.env, HPO_ADDRESS: '', HPO_API_KEY: '', HPO_DATABASE_URL: '', HPO_DATA_DIR: '', ...env },
        timeout,
        maxBuffer: 16 * 1024 * 1024,
      },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr, ms: Date.now() - started }),
    );
  });
}

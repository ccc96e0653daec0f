/** Wraps a command's action: errors become one line on stderr and exit code 1 (2 for usage errors);
 *  an HpoClientError shows its status code, which says what to do (UNAUTHENTICATED: check the key). */
import { HpoClientError } from '../../client-sdk/src';

export class UsageError extends Error {}

/** The server's domain errors (tenant administration runs in-process) carry a status name as `code`. */
function statusCodeOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && /^[A-Z_]+$/.test(code) ? code : undefined;
}

export function runAction<A extends unknown[]>(action: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await action(...args);
    } catch (err) {
      const message = err instanceof HpoClientError ? err.details : err instanceof Error ? err.message : String(err);
      const code = err instanceof HpoClientError ? err.code : statusCodeOf(err);
      process.stderr.write(code ? `hpo: ${code}: ${message}\n` : `hpo: ${message}\n`);
      process.exitCode = err instanceof UsageError ? 2 : 1;
    }
  };
}

/** Database failures that are the infrastructure's, not the caller's or ours: a connection dropped
 *  (PostgreSQL restarted, a failover, pg_terminate_backend, a network blip), the server refusing
 *  connections, SQLite's busy timeout. The caller should retry, so they answer UNAVAILABLE (which the
 *  SDK retries with backoff) instead of INTERNAL. */

/** SQLSTATE codes: class 08 (connection exception), 57P01-03 (admin/crash shutdown, cannot connect
 *  now), 53300 (too many connections), 40001/40P01 (serialisation failure, deadlock: retry the whole
 *  transaction). */
const RETRYABLE_SQLSTATES = /^(08...|57P0[123]|53300|40001|40P01)$/;
const RETRYABLE_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'SQLITE_BUSY']);
/** node-postgres reports a lost socket with these messages rather than a code. */
const RETRYABLE_MESSAGES = /Connection terminated|connection error and is not queryable|timeout exceeded when trying to connect|Client was closed and is not queryable/i;

export function isDatabaseUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { code?: unknown; message?: unknown };
  if (typeof e.code === 'string' && (RETRYABLE_SQLSTATES.test(e.code) || RETRYABLE_NODE_CODES.has(e.code))) return true;
  return typeof e.message === 'string' && RETRYABLE_MESSAGES.test(e.message);
}

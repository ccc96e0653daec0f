/** Which database errors answer UNAVAILABLE (retry) rather than INTERNAL: connection loss, shutdown,
 *  too many connections, serialisation failures, SQLite's busy timeout; not constraint violations or
 *  programming errors. */
import { isDatabaseUnavailable } from '../../src/storage/connection-errors';

describe('isDatabaseUnavailable', () => {
  it.each([
    [{ code: '57P01', message: 'terminating connection due to administrator command' }],
    [{ code: '57P03', message: 'the database system is starting up' }],
    [{ code: '08006', message: 'connection failure' }],
    [{ code: '53300', message: 'sorry, too many clients already' }],
    [{ code: '40001', message: 'could not serialize access' }],
    [{ code: '40P01', message: 'deadlock detected' }],
    [Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    [Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' })],
    [new Error('Connection terminated unexpectedly')],
    [new Error('Client has encountered a connection error and is not queryable')],
  ])('%p is retryable', (error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    [{ code: '23505', message: 'duplicate key value violates unique constraint' }],
    [{ code: '42P01', message: 'relation "trials" does not exist' }],
    [Object.assign(new Error('UNIQUE constraint failed'), { code: 'SQLITE_CONSTRAINT_UNIQUE' })],
    [new TypeError('value.endsWith is not a function')],
    ['a string'],
    [null],
    [undefined],
  ])('%p is not', (error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});

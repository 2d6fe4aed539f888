import { describe, expect, it } from 'vitest';
import { isDependencyOutage } from './outage.js';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('isDependencyOutage', () => {
  it.each([
    ['a refused connection', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    ['PostgreSQL shutting down', withCode('terminating connection due to administrator command', '57P01')],
    ['a lost PostgreSQL connection', withCode('connection failure', '08006')],
    ['too many PostgreSQL connections', withCode('sorry, too many clients already', '53300')],
    ['a full PostgreSQL disk', withCode('could not extend file: No space left on device', '53100')],
    ['a full SQLite database', withCode('database or disk is full', 'SQLITE_FULL')],
    ['a SQLite write error', withCode('disk I/O error', 'SQLITE_IOERR_WRITE')],
    ['a SQLite file gone read-only', withCode('attempt to write a readonly database', 'SQLITE_READONLY')],
    ['a SQLite lock held past busy_timeout', withCode('database is locked', 'SQLITE_BUSY')],
    ['an exhausted pg pool', new Error('timeout exceeded when trying to connect')],
    ['ioredis giving up', Object.assign(new Error('Reached the max retries per request limit'), { name: 'MaxRetriesPerRequestError' })],
    ['a closed Redis connection', new Error('Connection is closed.')],
    ['a Redis command timing out', new Error('Command timed out')],
    ['every address refused', new AggregateError([withCode('a', 'ECONNREFUSED'), withCode('b', 'ECONNREFUSED')])],
  ])('is true for %s', (_name, error) => {
    expect(isDependencyOutage(error)).toBe(true);
  });

  it.each([
    ['a bug', new TypeError('cannot read properties of undefined')],
    ['a bad query', withCode('syntax error at or near "SELEC"', '42601')],
    ['a unique violation', withCode('duplicate key value', '23505')],
    ['a SQLite constraint', withCode('UNIQUE constraint failed: users.username', 'SQLITE_CONSTRAINT_UNIQUE')],
    ['a SQLite bad query', withCode('no such table: boards', 'SQLITE_ERROR')],
    ['a code that only starts alike', withCode('made up', 'SQLITE_FULLNESS')],
    ['a thrown string', 'ECONNREFUSED'],
    ['an empty aggregate', new AggregateError([])],
  ])('is false for %s', (_name, error) => {
    expect(isDependencyOutage(error)).toBe(false);
  });
});

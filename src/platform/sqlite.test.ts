import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { temporaryDirectory } from '../../test/helpers.js';
import { openSqliteDatabase } from './sqlite.js';

describe('openSqliteDatabase', () => {
  // PRAGMA synchronous: 1 = NORMAL (the WAL reaches the disk at checkpoints), 2 = FULL (at every commit).
  it.each([
    ['fsync', 2],
    ['os', 1],
  ] as const)('with DURABILITY=%s runs WAL with synchronous = %i', (durability, synchronous) => {
    const db = openSqliteDatabase(path.join(temporaryDirectory(), 'test.db'), durability);
    onTestFinished(() => void db.close());
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(synchronous);
  });
});

import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { scratchDatabase, temporaryDirectory } from '../../test/helpers.js';
import { openSqliteDatabase, withoutDiskFlush, type SqliteDatabase } from './sqlite.js';

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

describe('withoutDiskFlush', () => {
  const level = (db: SqliteDatabase) => db.pragma('synchronous', { simple: true });

  it('commits the write under synchronous = NORMAL, then puts FULL back', () => {
    const db = scratchDatabase();
    const seen = withoutDiskFlush(db, () => {
      db.prepare('INSERT INTO t (x) VALUES (1)').run();
      return level(db);
    });
    expect(seen).toBe(1);
    expect(level(db)).toBe(2);
    expect(db.prepare('SELECT count(*) FROM t').pluck().get()).toBe(1);
  });

  it('puts FULL back when the write throws', () => {
    const db = scratchDatabase();
    expect(() => withoutDiskFlush(db, () => db.prepare('INSERT INTO missing (x) VALUES (1)').run())).toThrow(/no such table/);
    expect(level(db)).toBe(2);
  });

  it("leaves the level alone inside a caller's transaction (its commit decides) and under DURABILITY=os", () => {
    const db = scratchDatabase();
    const inside = db.transaction(() => withoutDiskFlush(db, () => level(db)))();
    expect(inside).toBe(2);
    const os = scratchDatabase('os');
    expect(withoutDiskFlush(os, () => level(os))).toBe(1);
    expect(level(os)).toBe(1);
  });
});

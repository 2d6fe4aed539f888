import fs from 'node:fs';
import { describe, expect, it, onTestFinished } from 'vitest';
import { scratchDatabase } from '../../test/helpers.js';
import { isDependencyOutage } from './outage.js';
import { openSqliteDatabase, type SqliteDatabase } from './sqlite.js';
import { WalFlush, WalFlushError } from './wal-flush.js';

// PRAGMA synchronous: 1 = NORMAL (the commit only appends to the WAL), 2 = FULL (it flushes too).
const level = (db: SqliteDatabase) => db.pragma('synchronous', { simple: true });

const insert = (db: SqliteDatabase) => () => {
  db.prepare('INSERT INTO t (x) VALUES (1)').run();
  return level(db);
};

describe('WalFlush', () => {
  it('commits without flushing on the event loop, then flushes the WAL file on its own', async () => {
    const db = scratchDatabase();
    const flushed: string[] = [];
    const walFlush = new WalFlush(db, async (walFile) => void flushed.push(walFile));

    expect(walFlush.commit(insert(db))).toBe(1);
    expect(level(db)).toBe(2);
    expect(flushed).toEqual([]);
    await walFlush.flush();
    expect(flushed).toEqual([`${db.name}-wal`]);
  });

  it("answers a flush only once the disk has: a caller waits for the flush it started", async () => {
    const db = scratchDatabase();
    let finishFlush = () => {};
    const walFlush = new WalFlush(db, () => new Promise<void>((resolve) => (finishFlush = resolve)));
    walFlush.commit(insert(db));
    let done = false;
    const flushing = walFlush.flush().then(() => (done = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(done).toBe(false);
    finishFlush();
    await flushing;
    expect(done).toBe(true);
  });

  it('flushes the real WAL file with fdatasync, and lets it go on close', async () => {
    const db = scratchDatabase();
    const walFlush = new WalFlush(db);
    walFlush.commit(insert(db));
    await walFlush.flush();
    await walFlush.flush();
    expect(fs.statSync(`${db.name}-wal`).size).toBeGreaterThan(0);
    await walFlush.close();
    expect(db.prepare('SELECT count(*) FROM t').pluck().get()).toBe(1);
  });

  it('turns a failed flush into a storage outage (503), naming the cause', async () => {
    const db = scratchDatabase();
    const walFlush = new WalFlush(db, async () => {
      throw Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' });
    });
    walFlush.commit(insert(db));
    const error = await walFlush.flush().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(WalFlushError);
    expect((error as WalFlushError).message).toContain('EIO');
    expect(isDependencyOutage(error)).toBe(true);
  });

  it('leaves commits as they are under DURABILITY=os and for an in-memory database: nothing to wait for', async () => {
    const flushed: string[] = [];
    const record = async (walFile: string) => void flushed.push(walFile);
    const os = scratchDatabase('os');
    const osFlush = new WalFlush(os, record);
    expect(osFlush.commit(insert(os))).toBe(1);
    await osFlush.flush();

    const memory = openSqliteDatabase(':memory:');
    onTestFinished(() => void memory.close());
    memory.exec('CREATE TABLE t (x INTEGER)');
    const memoryFlush = new WalFlush(memory, record);
    memoryFlush.commit(insert(memory));
    await memoryFlush.flush();
    expect(flushed).toEqual([]);
  });
});

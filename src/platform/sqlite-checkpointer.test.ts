import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SqliteCheckpointer } from './sqlite-checkpointer.js';
import { openSqliteDatabase, type SqliteDatabase } from './sqlite.js';

const ROWS = 3_000;
const BLOB_BYTES = 200;

function fileSize(file: string): number {
  return fs.existsSync(file) ? fs.statSync(file).size : 0;
}

function autocheckpoint(db: SqliteDatabase): unknown {
  return db.pragma('wal_autocheckpoint', { simple: true });
}

/** A few thousand rows of 200-byte blobs, in a few transactions: about 150 pages in the WAL. */
function writeRows(db: SqliteDatabase): void {
  db.exec('CREATE TABLE IF NOT EXISTS blobs (id INTEGER PRIMARY KEY, data BLOB NOT NULL)');
  const insert = db.prepare<[number, Buffer]>('INSERT INTO blobs (id, data) VALUES (?, ?)');
  const insertMany = db.transaction((from: number, to: number) => {
    for (let id = from; id < to; id++) insert.run(id, Buffer.alloc(BLOB_BYTES, id % 251));
  });
  for (let from = 0; from < ROWS; from += 500) insertMany(from, from + 500);
}

describe('SqliteCheckpointer', () => {
  let dir: string;
  let file: string;
  let db: SqliteDatabase;
  let checkpointer: SqliteCheckpointer | undefined;
  const logger = pino({ level: 'silent' });

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'checkpointer-'));
    file = path.join(dir, 'leaderboard.sqlite');
    db = openSqliteDatabase(file);
  });

  afterEach(async () => {
    await checkpointer?.stop();
    checkpointer = undefined;
    if (db.open) db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('turns off the automatic checkpoint of the main connection while it runs', () => {
    expect(autocheckpoint(db)).toBe(1000);

    checkpointer = new SqliteCheckpointer(db, logger, { intervalMs: 20 });

    expect(autocheckpoint(db)).toBe(0);
  });

  it('copies the WAL into the main database file from its worker, while the main connection never checkpoints', async () => {
    checkpointer = new SqliteCheckpointer(db, logger, { intervalMs: 20 });
    const initialSize = fileSize(file);

    writeRows(db);

    // With automatic checkpoints off on this connection, only the worker can grow the main file.
    expect(autocheckpoint(db)).toBe(0);
    await vi.waitFor(() => expect(fileSize(file)).toBeGreaterThan(initialSize + ROWS * BLOB_BYTES), {
      timeout: 5_000,
      interval: 20,
    });
    expect(autocheckpoint(db)).toBe(0);
  });

  it('stop() truncates the WAL, keeps every row readable from a fresh connection, and can be called twice', async () => {
    checkpointer = new SqliteCheckpointer(db, logger, { intervalMs: 60_000 });
    writeRows(db);
    // The worker's timer has not fired: the rows are only in the WAL so far.
    expect(fileSize(`${file}-wal`)).toBeGreaterThan(ROWS * BLOB_BYTES);

    await checkpointer.stop();

    expect(fileSize(`${file}-wal`)).toBe(0);
    expect(fileSize(file)).toBeGreaterThan(ROWS * BLOB_BYTES);
    await expect(checkpointer.stop()).resolves.toBeUndefined();

    const fresh = openSqliteDatabase(file);
    try {
      expect(fresh.prepare('SELECT COUNT(*) AS n FROM blobs').get()).toEqual({ n: ROWS });
      const row = fresh.prepare<[number], { data: Buffer }>('SELECT data FROM blobs WHERE id = ?').get(ROWS - 1);
      expect(row?.data).toEqual(Buffer.alloc(BLOB_BYTES, (ROWS - 1) % 251));
    } finally {
      fresh.close();
    }
    // The main connection still works after the worker is gone.
    expect(db.prepare('SELECT COUNT(*) AS n FROM blobs').get()).toEqual({ n: ROWS });
  });

  it('turns automatic checkpoints back on if its worker dies', async () => {
    const moved = path.join(dir, 'moved');
    const nested = path.join(dir, 'nested');
    db.close();
    file = path.join(nested, 'leaderboard.sqlite');
    db = openSqliteDatabase(file);
    const warn = vi.fn();

    const checkpointer = new SqliteCheckpointer(db, { warn }, { intervalMs: 20 });
    // The worker opens the file by name once it has started: with its directory gone, it fails and exits.
    fs.renameSync(nested, moved);
    expect(autocheckpoint(db)).toBe(0);

    await vi.waitFor(() => expect(autocheckpoint(db)).toBe(1000), { timeout: 5_000, interval: 20 });
    expect(warn).toHaveBeenCalledWith(expect.objectContaining({ err: expect.any(Error) as unknown }), 'checkpoint worker failed');
    // stop() after the worker has died resolves rather than waiting for an exit that happened.
    await checkpointer.stop();
  });
});

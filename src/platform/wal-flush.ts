import fs from 'node:fs/promises';
import { flushesOnCommit, withoutDiskFlush, type SqliteDatabase } from './sqlite.js';

/**
 * A group commit's disk flush, moved off the event loop. With `synchronous = FULL` SQLite
 * calls `fsync` on the WAL inside the commit, and the whole process waits: every request in
 * flight, every WebSocket write. Here the commit runs under `NORMAL` (it only appends to the
 * WAL), and `flush` then `fdatasync`s the WAL file on libuv's thread pool; the caller answers
 * only after that, so a `201` still survives a power loss. The event loop meanwhile parses,
 * checks and queues the next actions, which join the next batch.
 *
 * Why this is the same promise as `FULL`: the WAL is append-only and flushed as a whole, so
 * a flush started after a commit carries that commit (and everything before it) to the disk.
 * SQLite deletes the WAL file only when the last connection closes and otherwise reuses it
 * in place, so the descriptor opened here stays on the file SQLite writes.
 *
 * Under `DURABILITY=os`, or for an in-memory database, there is nothing to wait for: commits
 * run as they are and `flush` returns at once.
 */
export class WalFlush {
  private readonly flushesOffLoop: boolean;
  private wal: Promise<fs.FileHandle> | undefined;
  /** The flush on the disk now, and the one that waits to start after it. */
  private running: Promise<void> | undefined;
  private next: Promise<void> | undefined;

  constructor(
    private readonly db: SqliteDatabase,
    /** How the WAL reaches the disk; a test passes its own. */
    private readonly datasync: (walFile: string) => Promise<void> = (walFile) => this.datasyncWal(walFile),
  ) {
    this.flushesOffLoop = flushesOnCommit(db);
  }

  /** Runs a write transaction, leaving its disk flush to `flush`. */
  commit<T>(write: () => T): T {
    return this.flushesOffLoop ? withoutDiskFlush(this.db, write) : write();
  }

  /**
   * Resolves once everything committed so far is on the disk. One flush runs at a time: a
   * call while one runs (it may have started before this caller's commit) waits for it, then
   * shares a single fresh flush with every other caller that came meanwhile — so batches
   * committed during a flush cost one more flush between them, not one each.
   */
  flush(): Promise<void> {
    if (!this.flushesOffLoop) return Promise.resolve();
    if (!this.running) {
      this.running = this.flushNow().finally(() => (this.running = undefined));
      return this.running;
    }
    this.next ??= this.running
      .catch(() => undefined)
      .then(() => {
        this.next = undefined;
        return this.flush();
      });
    return this.next;
  }

  private async flushNow(): Promise<void> {
    try {
      await this.datasync(`${this.db.name}-wal`);
    } catch (error) {
      throw new WalFlushError(error);
    }
  }

  async close(): Promise<void> {
    const wal = this.wal;
    this.wal = undefined;
    if (wal) await (await wal.catch(() => undefined))?.close();
  }

  private async datasyncWal(walFile: string): Promise<void> {
    // Opened on the first flush: the WAL file exists from the first write on.
    this.wal ??= fs.open(walFile, 'r+');
    const handle = await this.wal.catch((error: unknown) => {
      this.wal = undefined; // try again at the next flush
      throw error;
    });
    await handle.datasync();
  }
}

/**
 * A commit that is in the database but whose disk flush failed (an I/O error): not known to
 * survive a power loss, so its callers get `503` (the code SQLite would have given) and a
 * retry with the same idempotency key finds the committed action.
 */
export class WalFlushError extends Error {
  readonly code = 'SQLITE_IOERR_FSYNC';

  constructor(cause: unknown) {
    super(`the write-ahead log could not be flushed to the disk: ${String(cause)}`, { cause });
    this.name = 'WalFlushError';
  }
}

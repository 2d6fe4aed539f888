import fs from 'node:fs';
import Database from 'better-sqlite3';
import { dataDirFiles } from './data-dir.js';

/** Another process holds the data dir. */
export class DataDirInUseError extends Error {
  override readonly name = 'DataDirInUseError';
}

/**
 * Claims `dataDir` for this process until `release()`. Embedded mode keeps its rank index
 * and event bus in memory, so two processes on one data dir (a second `npm start` on another
 * port, a process manager's cluster mode) would each see only their own players' updates:
 * the boards would silently differ by process. The second one is refused instead.
 *
 * The claim is an exclusive SQLite lock on a small file of its own: an OS file lock, which
 * the kernel drops when the process dies however it dies, so a `kill -9` leaves no stale
 * lock to clean up. (A PID file would need a liveness guess that containers get wrong.)
 * The main database is not locked this way, so `npm run backup` can read it meanwhile.
 * @throws DataDirInUseError when another process holds it
 */
export function lockDataDir(dataDir: string): { release: () => void } {
  fs.mkdirSync(dataDir, { recursive: true });
  // timeout 0: a held lock is an answer, not something to wait for.
  const db = new Database(dataDirFiles(dataDir).lock, { timeout: 0 });
  try {
    // In exclusive locking mode the lock taken by the first write is kept until close.
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('CREATE TABLE IF NOT EXISTS holder (pid INTEGER NOT NULL, since TEXT NOT NULL); DELETE FROM holder;');
    db.prepare('INSERT INTO holder (pid, since) VALUES (?, ?)').run(process.pid, new Date().toISOString());
  } catch (error) {
    db.close();
    if ((error as { code?: unknown }).code === 'SQLITE_BUSY') {
      throw new DataDirInUseError(
        `DATA_DIR ${dataDir} is in use by another live-leaderboard process; embedded mode runs one process per data dir (for several processes, run distributed)`,
      );
    }
    throw error;
  }
  return { release: () => db.close() };
}

import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Logger } from './logger.js';
import type { SqliteDatabase } from './sqlite.js';

// The worker is a CommonJS string so it runs the same under tsc output, tsx and vitest;
// it gets the driver's resolved path rather than resolving it from an unknown cwd.
const WORKER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 5000');
const checkpoint = (mode) => {
  try { db.pragma('wal_checkpoint(' + mode + ')'); } catch (error) { parentPort.postMessage(String(error)); }
};
const timer = setInterval(() => checkpoint('PASSIVE'), workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  checkpoint('TRUNCATE');
  db.close();
  parentPort.close();
});
`;

export interface SqliteCheckpointerOptions {
  /** @default 100 */
  intervalMs?: number;
}

/**
 * Moves WAL checkpoints off the event loop. SQLite normally checkpoints inside the commit
 * that crosses 1,000 WAL pages, copying pages and fsyncing on the request path; here a
 * worker thread with its own connection runs passive checkpoints (which never block the
 * writer) every `intervalMs`, and the main connection's automatic checkpoint is off. If
 * the worker dies, automatic checkpoints come back on so the WAL cannot grow unbounded.
 */
export class SqliteCheckpointer {
  private readonly worker: Worker;
  private stopped = false;
  private readonly exited: Promise<void>;

  constructor(
    private readonly db: SqliteDatabase,
    logger: Pick<Logger, 'warn'>,
    options: SqliteCheckpointerOptions = {},
  ) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { driver, file: db.name, intervalMs: options.intervalMs ?? 100 },
    });
    this.worker.unref();
    this.worker.on('message', (message: string) => logger.warn({ message }, 'background checkpoint failed'));
    this.worker.on('error', (error) => logger.warn({ err: error }, 'checkpoint worker failed'));
    this.exited = new Promise((resolve) =>
      this.worker.on('exit', () => {
        // Whatever ended the worker, SQLite's own checkpoints take over again.
        if (db.open) db.pragma('wal_autocheckpoint = 1000');
        resolve();
      }),
    );
    db.pragma('wal_autocheckpoint = 0');
  }

  /** Runs a final truncating checkpoint and stops the worker. */
  async stop(): Promise<void> {
    if (!this.stopped) {
      this.stopped = true;
      // Unreferenced, the worker would not keep the process alive long enough to finish.
      this.worker.ref();
      this.worker.postMessage('stop');
    }
    // Resolves at once if the worker had already died.
    await this.exited;
  }
}

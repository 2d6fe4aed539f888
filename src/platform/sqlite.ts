import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Durability } from './config.js';

export type SqliteDatabase = Database.Database;

/** One versioned schema step of one component. Versions only ever grow; a shipped step never changes. */
export interface SqliteMigration {
  version: number;
  name: string;
  sql: string;
}

/**
 * Opens (creating if needed) the embedded database. WAL lets readers run beside the one
 * writer. `durability` (`DURABILITY`) picks what a commit survives: with `fsync`
 * (`synchronous = FULL`) the WAL is flushed to the disk at every commit — once per group
 * commit, not once per action — so a power loss loses nothing acknowledged; with `os`
 * (`synchronous = NORMAL`) only checkpoints wait for the disk, so a crash of the process
 * loses nothing (the OS holds the pages) but a power loss may lose the last commits.
 */
export function openSqliteDatabase(file: string, durability: Durability = 'fsync'): SqliteDatabase {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma(durability === 'fsync' ? 'synchronous = FULL' : 'synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  return db;
}

/**
 * Runs `write` without waiting for the disk: for writes whose loss in a power cut costs
 * nothing but repeated work (deleting published outbox rows, expired tickets; totals the
 * ledger can count again). With `synchronous = FULL` every commit flushes the WAL on the
 * event loop — a few ms on a slow disk, which every request in flight waits for. Under
 * `NORMAL` the commit only appends to the WAL, and the next flushed commit carries it to
 * the disk (the WAL is flushed in order), so nothing is ever lost out of order.
 */
export function withoutDiskFlush<T>(db: SqliteDatabase, write: () => T): T {
  // OFF or NORMAL already; or inside a caller's transaction, whose commit decides (SQLite
  // refuses to change the level there).
  if (!flushesOnCommit(db) || db.inTransaction) return write();
  const level = flushLevel(db);
  // `db.exec`, not prepared statements: SQLite applies this PRAGMA when it compiles it.
  db.exec('PRAGMA synchronous = NORMAL');
  try {
    return write();
  } finally {
    db.exec(`PRAGMA synchronous = ${level}`);
  }
}

/** Whether a commit waits for the disk: `synchronous` FULL (2) or EXTRA (3), an on-disk database. */
export function flushesOnCommit(db: SqliteDatabase): boolean {
  return !db.memory && flushLevel(db) >= 2;
}

/**
 * A database's `synchronous` level, read once: the group commit asks on every batch, and the
 * level is the one `openSqliteDatabase` set, which nothing changes afterwards.
 */
const FLUSH_LEVELS = new WeakMap<SqliteDatabase, number>();
function flushLevel(db: SqliteDatabase): number {
  let level = FLUSH_LEVELS.get(db);
  if (level === undefined) {
    level = db.pragma('synchronous', { simple: true }) as number;
    FLUSH_LEVELS.set(db, level);
  }
  return level;
}

/**
 * Applies the steps of `component` that this database has not seen, each in its own
 * transaction. Components (auth, score, …) migrate independently, so a process that runs
 * only some services creates only their tables.
 */
export function applySqliteMigrations(db: SqliteDatabase, component: string, migrations: readonly SqliteMigration[]): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    component TEXT NOT NULL,
    version INTEGER NOT NULL,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL,
    PRIMARY KEY (component, version)
  )`);
  const applied = new Set(
    db
      .prepare<[string], { version: number }>('SELECT version FROM schema_migrations WHERE component = ?')
      .all(component)
      .map((row) => row.version),
  );
  const record = db.prepare('INSERT INTO schema_migrations (component, version, name, applied_at) VALUES (?, ?, ?, ?)');
  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
    if (applied.has(migration.version)) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      record.run(component, migration.version, migration.name, new Date().toISOString());
    }).immediate();
  }
}

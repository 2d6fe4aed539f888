import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

export type SqliteDatabase = Database.Database;

/** One versioned schema step of one component. Versions only ever grow; a shipped step never changes. */
export interface SqliteMigration {
  version: number;
  name: string;
  sql: string;
}

/**
 * Opens (creating if needed) the embedded database. WAL lets readers run beside the one
 * writer; `synchronous = NORMAL` in WAL mode keeps every committed transaction across a
 * crash of the process (the OS still holds the pages) and loses at most the last
 * transactions on power loss — the trade every WAL deployment makes for group commit speed.
 */
export function openSqliteDatabase(file: string): SqliteDatabase {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  return db;
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

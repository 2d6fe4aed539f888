import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { temporaryDirectory } from '../../test/helpers.js';
import { applySqliteMigrations, openSqliteDatabase } from '../platform/sqlite.js';
import { AUTH_SQLITE_MIGRATIONS } from './sqlite-migrations.js';

/** A SQLite file in a temp dir with auth's migrations alone applied. */
function migratedDatabase(): ReturnType<typeof openSqliteDatabase> {
  const db = openSqliteDatabase(path.join(temporaryDirectory(), 'test.db'));
  onTestFinished(() => {
    db.close();
  });
  applySqliteMigrations(db, 'auth', AUTH_SQLITE_MIGRATIONS);
  return db;
}

describe('SQLite migrations', () => {
  it('apply once: a second run over the same file changes nothing', () => {
    const db = migratedDatabase();
    applySqliteMigrations(db, 'auth', AUTH_SQLITE_MIGRATIONS);
    const rows = db.prepare('SELECT component, version FROM schema_migrations').all();
    expect(rows).toEqual([{ component: 'auth', version: 1 }]);
  });

  it('run the database in WAL mode', () => {
    expect(migratedDatabase().pragma('journal_mode', { simple: true })).toBe('wal');
  });
});

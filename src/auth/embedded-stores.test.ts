import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { temporaryDirectory } from '../../test/helpers.js';
import { applySqliteMigrations, openSqliteDatabase } from '../platform/sqlite.js';
import { FileKeyStore } from './file-key-store.js';
import { describeKeyStore } from './key-store.contract.js';
import { describeRefreshTokenStore } from './refresh-token-store.contract.js';
import { AUTH_SQLITE_MIGRATIONS } from './sqlite-migrations.js';
import { SqliteRefreshTokenStore } from './sqlite-refresh-token-store.js';
import { SqliteUserStore } from './sqlite-user-store.js';
import { describeUserStore } from './user-store.contract.js';

/** A migrated SQLite file in a temp dir: the real adapter on a real file, as production runs it. */
function migratedDatabase(): ReturnType<typeof openSqliteDatabase> {
  const db = openSqliteDatabase(path.join(temporaryDirectory(), 'test.db'));
  onTestFinished(() => {
    db.close();
  });
  applySqliteMigrations(db, 'auth', AUTH_SQLITE_MIGRATIONS);
  return db;
}

describeUserStore('SQLite', () => new SqliteUserStore(migratedDatabase()));

describeRefreshTokenStore('SQLite', async () => {
  const db = migratedDatabase();
  const users = new SqliteUserStore(db);
  return {
    store: new SqliteRefreshTokenStore(db),
    addUser: async () => {
      const id = randomUUID();
      await users.create({ id, username: `u${id.slice(0, 8)}`, passwordHash: 'x', createdAt: new Date() });
      return id;
    },
  };
});

describeKeyStore('file under DATA_DIR', async () => {
  const file = path.join(temporaryDirectory(), 'nested', 'signing-keys.json');
  return { store: new FileKeyStore(file), reopen: () => new FileKeyStore(file) };
});

describe('FileKeyStore', () => {
  it('keeps the private key readable by its owner only', async () => {
    const file = path.join(temporaryDirectory(), 'signing-keys.json');
    await new FileKeyStore(file).activeSigningKey();
    expect(fs.statSync(file).mode & 0o077).toBe(0);
  });
});

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

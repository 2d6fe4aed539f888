import path from 'node:path';
import { onTestFinished } from 'vitest';
import { temporaryDirectory } from '../../test/helpers.js';
import { postgresAvailable, postgresTestPool } from '../../test/infrastructure.js';
import { openSqliteDatabase } from '../platform/sqlite.js';
import { migrateEmbeddedSchema, migratePostgresSchema } from '../storage/schema.js';
import { PostgresUserDirectory } from './postgres-user-directory.js';
import { SqliteUserDirectory } from './sqlite-user-directory.js';
import { describeUserDirectory } from './user-directory.contract.js';

describeUserDirectory('SQLite', async () => {
  const db = openSqliteDatabase(path.join(temporaryDirectory(), 'directory.db'));
  onTestFinished(() => void db.close());
  migrateEmbeddedSchema(db);
  const insert = db.prepare("INSERT INTO users (id, username, username_key, password_hash, created_at) VALUES (?, ?, ?, 'x', '2026-11-27')");
  return { directory: new SqliteUserDirectory(db), addUser: async (id, username) => void insert.run(id, username, username.toLowerCase()) };
});

if (postgresAvailable) {
  const pool = await postgresTestPool();
  await migratePostgresSchema(pool);
  describeUserDirectory('PostgreSQL', async () => {
    await pool.query('TRUNCATE users CASCADE');
    return {
      directory: new PostgresUserDirectory(pool),
      addUser: async (id, username) =>
        void (await pool.query("INSERT INTO users (id, username, username_key, password_hash, created_at) VALUES ($1, $2, $3, 'x', now())", [id, username, username.toLowerCase()])),
    };
  });
}

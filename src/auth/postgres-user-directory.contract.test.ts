import { describe } from 'vitest';
import { emptied, migratedPostgresPool } from '../../test/infrastructure.js';
import { PostgresUserDirectory } from './postgres-user-directory.js';
import { describeUserDirectory } from './user-directory.contract.js';

const pool = await migratedPostgresPool();

describe.skipIf(!pool)('PostgresUserDirectory', () => {
  describeUserDirectory('PostgreSQL', async () => {
    const db = await emptied(pool, 'users CASCADE');
    return {
      directory: new PostgresUserDirectory(db),
      addUser: async (id, username) =>
        void (await db.query("INSERT INTO users (id, username, username_key, password_hash, created_at) VALUES ($1, $2, $3, 'x', now())", [id, username, username.toLowerCase()])),
    };
  });
});

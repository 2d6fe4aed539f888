import type { SqliteMigration } from '../platform/sqlite.js';

/** The auth service's tables in the embedded database. */
export const AUTH_SQLITE_MIGRATIONS: readonly SqliteMigration[] = [
  {
    version: 1,
    name: 'users and refresh-token families',
    sql: `
      CREATE TABLE users (
        id TEXT PRIMARY KEY,
        username TEXT NOT NULL,
        username_key TEXT NOT NULL UNIQUE,
        password_hash TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE TABLE refresh_token_families (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users (id),
        revoked_at INTEGER
      );
      CREATE TABLE refresh_tokens (
        token_hash TEXT PRIMARY KEY,
        family_id TEXT NOT NULL REFERENCES refresh_token_families (id),
        user_id TEXT NOT NULL,
        expires_at INTEGER NOT NULL,
        spent_at INTEGER
      );
      CREATE INDEX refresh_tokens_by_family ON refresh_tokens (family_id);
    `,
  },
];

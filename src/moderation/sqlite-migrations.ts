import type { SqliteMigration } from '../platform/sqlite.js';

/**
 * The moderation service's own tables in the embedded database. (The ban list and the audit
 * log were created by the score component's first steps, and shipped steps never change.)
 */
export const MODERATION_SQLITE_MIGRATIONS: readonly SqliteMigration[] = [
  {
    version: 1,
    name: 'server credentials',
    sql: `
      CREATE TABLE server_credentials (
        name TEXT PRIMARY KEY,
        secret_hash TEXT NOT NULL UNIQUE,
        created_at INTEGER NOT NULL,
        last_used_at INTEGER
      ) WITHOUT ROWID;
    `,
  },
];

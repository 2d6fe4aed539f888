import type { PostgresMigration } from '../platform/postgres.js';

/**
 * The moderation service's own tables in PostgreSQL. (The ban list and the audit log were
 * created by the score component's first steps, and shipped steps never change.)
 */
export const MODERATION_POSTGRES_MIGRATIONS: readonly PostgresMigration[] = [
  {
    version: 1,
    name: 'server credentials',
    sql: `
      CREATE TABLE server_credentials (
        name TEXT PRIMARY KEY,
        secret_hash TEXT NOT NULL UNIQUE,
        created_at BIGINT NOT NULL,
        last_used_at BIGINT
      );
    `,
  },
];

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
  {
    version: 2,
    name: 'webhook deliveries, closed periods',
    // One row per event and receiver, in order per receiver (the id); the partial index is
    // the queue of each receiver. Message ids are random (128 bits): an index keeping them
    // unique would cost a random b-tree insert per row for nothing. A period is closed once:
    // its row's key says so.
    sql: `
      CREATE TABLE webhook_deliveries (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        message_id TEXT NOT NULL,
        url TEXT NOT NULL,
        type TEXT NOT NULL,
        body TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        status TEXT NOT NULL DEFAULT 'pending',
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL,
        last_error TEXT,
        delivered_at INTEGER
      );
      CREATE INDEX webhook_deliveries_pending ON webhook_deliveries (url, id) WHERE status = 'pending';
      CREATE TABLE closed_periods (
        board TEXT NOT NULL,
        period TEXT NOT NULL,
        closed_at INTEGER NOT NULL,
        PRIMARY KEY (board, period)
      ) WITHOUT ROWID;
      CREATE TABLE period_watch (
        board TEXT PRIMARY KEY,
        since INTEGER NOT NULL
      ) WITHOUT ROWID;
    `,
  },
];

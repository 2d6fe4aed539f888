import type { SqliteMigration } from '../platform/sqlite.js';

/** The score service's tables in the embedded database. */
export const SCORE_SQLITE_MIGRATIONS: readonly SqliteMigration[] = [
  {
    version: 1,
    name: 'ledger, board totals, outbox, action state, tickets, bans, audit log',
    sql: `
      -- INTEGER PRIMARY KEY is the rowid: monotonic ids keep inserts appending to the b-tree.
      CREATE TABLE ledger (
        id INTEGER PRIMARY KEY,
        user_id TEXT NOT NULL,
        type TEXT NOT NULL,
        points INTEGER NOT NULL,
        at INTEGER NOT NULL,
        idempotency_key TEXT NOT NULL,
        totals TEXT NOT NULL,
        UNIQUE (user_id, idempotency_key)
      );
      CREATE TABLE board_totals (
        board TEXT NOT NULL,
        period TEXT NOT NULL,
        user_id TEXT NOT NULL,
        score INTEGER NOT NULL,
        reached_at INTEGER NOT NULL,
        PRIMARY KEY (board, period, user_id)
      ) WITHOUT ROWID;
      CREATE TABLE outbox (
        id INTEGER PRIMARY KEY,
        event TEXT NOT NULL
      );
      CREATE TABLE action_state (
        user_id TEXT NOT NULL,
        type TEXT NOT NULL,
        last_at INTEGER NOT NULL,
        day TEXT NOT NULL,
        day_count INTEGER NOT NULL,
        PRIMARY KEY (user_id, type)
      ) WITHOUT ROWID;
      CREATE TABLE used_tickets (
        ticket_id TEXT PRIMARY KEY,
        used_at INTEGER NOT NULL
      ) WITHOUT ROWID;
      CREATE TABLE banned_users (
        user_id TEXT PRIMARY KEY,
        banned_at INTEGER NOT NULL
      ) WITHOUT ROWID;
      CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY,
        at INTEGER NOT NULL,
        event TEXT NOT NULL,
        user_id TEXT,
        ip TEXT,
        action_type TEXT,
        code TEXT,
        detail TEXT
      );
      CREATE INDEX audit_log_by_user ON audit_log (user_id, at);
    `,
  },
  {
    version: 2,
    name: 'outbox ids never reused',
    // A plain INTEGER PRIMARY KEY reuses ids once the relay has emptied the table, and the
    // relay skips ids it has already published: AUTOINCREMENT keeps them growing for ever.
    sql: `
      CREATE TABLE outbox_next (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        event TEXT NOT NULL
      );
      INSERT INTO outbox_next (id, event) SELECT id, event FROM outbox;
      DROP TABLE outbox;
      ALTER TABLE outbox_next RENAME TO outbox;
    `,
  },
  {
    version: 3,
    name: "audit log read back per user, newest first",
    // An index on user_id alone is (user_id, rowid) in SQLite: one user's entries in id order.
    sql: `
      DROP INDEX audit_log_by_user;
      CREATE INDEX audit_log_by_user ON audit_log (user_id);
      CREATE INDEX audit_log_by_event ON audit_log (event);
    `,
  },
  {
    version: 4,
    name: 'spent tickets by time, to forget expired ones',
    sql: 'CREATE INDEX used_tickets_by_time ON used_tickets (used_at);',
  },
  {
    version: 5,
    name: 'metric values, versioned totals, filled board definitions',
    // Rows and totals of 0.1.0 stay as they are: a NULL metric_values means points only,
    // version 0 is older than any action's sequence, and every board is filled afresh at
    // the first start (board_definitions starts empty).
    sql: `
      ALTER TABLE ledger ADD COLUMN metric_values TEXT;
      ALTER TABLE board_totals ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
      CREATE TABLE board_definitions (
        board TEXT PRIMARY KEY,
        signature TEXT NOT NULL,
        filled_at INTEGER NOT NULL
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 6,
    name: 'held actions',
    // A held action (a game server's value above its review threshold) is in the ledger but
    // counts on no board until a person approves it.
    sql: "ALTER TABLE ledger ADD COLUMN status TEXT NOT NULL DEFAULT 'accepted';",
  },
  {
    version: 7,
    name: 'review decisions',
    // Why an action was held, for the reviewer, and the version its approval counted under
    // (the next ledger id must stay above it after a restart). Only held and decided rows
    // are indexed: the queue is read without scanning the ledger.
    sql: `
      ALTER TABLE ledger ADD COLUMN review_reason TEXT;
      ALTER TABLE ledger ADD COLUMN approved_version INTEGER;
      CREATE INDEX ledger_reviewed ON ledger (status) WHERE status <> 'accepted';
    `,
  },
  {
    version: 8,
    name: 'board totals written behind the ledger',
    // The ledger writes a batch of totals at a time; this is the last ledger id they include.
    // Every total written so far includes every row, so the checkpoint starts at the last one.
    sql: `
      CREATE TABLE totals_checkpoint (id INTEGER NOT NULL);
      INSERT INTO totals_checkpoint (id) SELECT coalesce(max(id), 0) FROM ledger;
    `,
  },
];

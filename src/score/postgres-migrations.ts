import type { PostgresMigration } from '../platform/postgres.js';

/** The score service's tables in PostgreSQL: the same shape as the embedded ones. */
export const SCORE_POSTGRES_MIGRATIONS: readonly PostgresMigration[] = [
  {
    version: 1,
    name: 'ledger, board totals, outbox, action state, tickets, bans, audit log',
    sql: `
      -- Ids come from the sequence in batches (one nextval round trip per group commit)
      -- and grow, so inserts append to the primary key's b-tree.
      CREATE TABLE ledger (
        id BIGINT PRIMARY KEY,
        user_id TEXT NOT NULL,
        type TEXT NOT NULL,
        points BIGINT NOT NULL,
        at BIGINT NOT NULL,
        idempotency_key TEXT NOT NULL,
        totals TEXT NOT NULL,
        UNIQUE (user_id, idempotency_key)
      );
      CREATE SEQUENCE ledger_id_seq OWNED BY ledger.id;
      CREATE TABLE board_totals (
        board TEXT NOT NULL,
        period TEXT NOT NULL,
        user_id TEXT NOT NULL,
        score BIGINT NOT NULL,
        reached_at BIGINT NOT NULL,
        PRIMARY KEY (board, period, user_id)
      );
      -- Each score node relays the rows it wrote (owner); rows of a node that died are
      -- swept up by another after a grace period.
      CREATE TABLE outbox (
        id BIGINT PRIMARY KEY,
        owner TEXT NOT NULL,
        created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        event TEXT NOT NULL
      );
      CREATE SEQUENCE outbox_id_seq OWNED BY outbox.id;
      CREATE INDEX outbox_by_owner ON outbox (owner, id);
      CREATE TABLE action_state (
        user_id TEXT NOT NULL,
        type TEXT NOT NULL,
        last_at BIGINT NOT NULL,
        day TEXT NOT NULL,
        day_count INTEGER NOT NULL,
        PRIMARY KEY (user_id, type)
      );
      CREATE TABLE used_tickets (
        ticket_id TEXT PRIMARY KEY,
        used_at BIGINT NOT NULL
      );
      CREATE TABLE banned_users (
        user_id TEXT PRIMARY KEY,
        banned_at BIGINT NOT NULL
      );
      CREATE TABLE audit_log (
        id BIGSERIAL PRIMARY KEY,
        at BIGINT NOT NULL,
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
    name: 'audit log read back per user, newest first',
    sql: `
      DROP INDEX audit_log_by_user;
      CREATE INDEX audit_log_by_user ON audit_log (user_id, id);
      CREATE INDEX audit_log_by_event ON audit_log (event, id);
    `,
  },
  {
    version: 3,
    name: 'spent tickets by time, to forget expired ones',
    sql: 'CREATE INDEX used_tickets_by_time ON used_tickets (used_at);',
  },
  {
    version: 4,
    name: 'metric values, versioned totals of any value, filled board definitions',
    // Rows and totals of 0.1.0 stay as they are: a NULL metric_values means points only,
    // version 0 is older than any action's sequence, and every board is filled afresh at
    // the first start (board_definitions starts empty).
    sql: `
      ALTER TABLE ledger ADD COLUMN metric_values TEXT;
      ALTER TABLE board_totals ADD COLUMN version BIGINT NOT NULL DEFAULT 0;
      ALTER TABLE board_totals ALTER COLUMN score TYPE DOUBLE PRECISION;
      CREATE TABLE board_definitions (
        board TEXT PRIMARY KEY,
        signature TEXT NOT NULL,
        filled_at BIGINT NOT NULL
      );
    `,
  },
  {
    version: 5,
    name: 'held actions',
    // A held action (a game server's value above its review threshold) is in the ledger but
    // counts on no board until a person approves it.
    sql: "ALTER TABLE ledger ADD COLUMN status TEXT NOT NULL DEFAULT 'accepted';",
  },
  {
    version: 6,
    name: 'review decisions',
    // Why an action was held, for the reviewer, and the version its approval counted under.
    // Only held and decided rows are indexed: the queue is read without scanning the ledger.
    sql: `
      ALTER TABLE ledger ADD COLUMN review_reason TEXT;
      ALTER TABLE ledger ADD COLUMN approved_version BIGINT;
      CREATE INDEX ledger_reviewed ON ledger (status, id) WHERE status <> 'accepted';
    `,
  },
];

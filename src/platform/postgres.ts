import pg from 'pg';
import type { Durability } from './config.js';

export type PostgresPool = pg.Pool;
export type PostgresClient = pg.PoolClient;

/** One versioned schema step of one component, as in SQLite: versions only grow, shipped steps never change. */
export interface PostgresMigration {
  version: number;
  name: string;
  sql: string;
}

export interface PostgresPoolOptions {
  /** @default 10 */
  max?: number;
  /** Every connection works in this schema (tests isolate themselves this way). */
  schema?: string;
  /**
   * `os` turns `synchronous_commit` off for this pool's sessions: a commit is answered before
   * its WAL reaches the disk, so a crash of PostgreSQL or the machine may lose the last
   * fraction of a second of commits (never corrupting anything). `fsync`: PostgreSQL's default.
   * @default 'fsync'
   */
  durability?: Durability;
}

/**
 * A connection pool. Failing fast matters more than waiting: a request that cannot get a
 * connection within 5 s answers 503 `unavailable` instead of hanging its client.
 */
export function createPostgresPool(url: string, options: PostgresPoolOptions = {}): PostgresPool {
  const sessionSettings = [
    ...(options.schema === undefined ? [] : [`-c search_path=${quoteIdentifier(options.schema)}`]),
    ...(options.durability === 'os' ? ['-c synchronous_commit=off'] : []),
  ];
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    application_name: 'live-leaderboard',
    ...(sessionSettings.length === 0 ? {} : { options: sessionSettings.join(' ') }),
  });
  // An idle client losing its server (PostgreSQL restart) must not crash the process: the
  // pool drops it and the next query reconnects.
  pool.on('error', () => {});
  return pool;
}

/** Quotes an SQL identifier (schema names come from configuration and tests). */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Runs `work` in one transaction on one pooled connection; rolls back when it throws. */
export async function inTransaction<T>(pool: PostgresPool, work: (client: PostgresClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  // The pool listens for errors only on idle clients: PostgreSQL going away while this one
  // is checked out would otherwise be an unhandled 'error' event that kills the process.
  // The query in progress rejects by itself; the broken connection is destroyed on release.
  let broken: Error | undefined;
  const onError = (error: Error): void => {
    broken = error;
  };
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    // Once the connection broke, later queries fail with pg's "not queryable": report the
    // cause (a connection error, which answers 503), not that symptom (which reads as a bug).
    throw broken ?? error;
  } finally {
    client.removeListener('error', onError);
    client.release(broken);
  }
}

/** Arbitrary, fixed: the advisory lock every process takes while it migrates. */
const MIGRATION_LOCK = 7_246_915_301;

/**
 * Runs `work` while holding a session-level advisory lock on its own connection: processes
 * starting at once run it one after another.
 */
export async function withAdvisoryLock<T>(pool: PostgresPool, key: number, work: () => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [key]);
    try {
      return await work();
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [key]);
    }
  } finally {
    client.release();
  }
}

/**
 * Runs `work` only if no other session holds the advisory lock `key` (a 64-bit key, as a
 * string or number), holding it meanwhile on its own connection; otherwise does nothing.
 * @returns whether `work` ran
 */
export async function withTryAdvisoryLock(pool: PostgresPool, key: string | number, work: () => Promise<void>): Promise<boolean> {
  const client = await pool.connect();
  try {
    const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS locked', [key]);
    if (!rows[0]?.locked) return false;
    try {
      await work();
      return true;
    } finally {
      await client.query('SELECT pg_advisory_unlock($1::bigint)', [key]);
    }
  } finally {
    client.release();
  }
}

/**
 * Applies the steps of `component` the database has not seen. Several processes start at
 * once in a deployment: a transaction-scoped advisory lock makes the others wait and then
 * find the steps applied, instead of racing to create the same tables.
 */
export async function applyPostgresMigrations(pool: PostgresPool, component: string, migrations: readonly PostgresMigration[]): Promise<void> {
  await inTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      component TEXT NOT NULL,
      version INTEGER NOT NULL,
      name TEXT NOT NULL,
      applied_at TIMESTAMPTZ NOT NULL DEFAULT now(),
      PRIMARY KEY (component, version)
    )`);
    const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations WHERE component = $1', [component]);
    const applied = new Set(rows.map((row) => row.version));
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (applied.has(migration.version)) continue;
      await client.query(migration.sql);
      await client.query('INSERT INTO schema_migrations (component, version, name) VALUES ($1, $2, $3)', [component, migration.version, migration.name]);
    }
  });
}

/** Socket-level failures: the dependency is away, not wrong. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'EAI_AGAIN']);

/**
 * PostgreSQL SQLSTATEs of a server that is down, restarting or out of room (disk, memory,
 * connections) — not of a bad query.
 */
const POSTGRES_OUTAGE_STATES = /^(08|57P0[123]|53[123]00)/;

/**
 * SQLite result codes (better-sqlite3's `SqliteError.code`, extended codes included) of
 * storage that cannot take a write right now: the disk or the database is full, the disk
 * failed or went read-only, another process holds the lock past `busy_timeout`.
 */
const SQLITE_OUTAGE_CODES = /^SQLITE_(FULL|IOERR|BUSY|READONLY|CANTOPEN|NOMEM)(_|$)/;

/** Messages of pg and ioredis when they have no connection to give (they carry no code). */
const OUTAGE_MESSAGES = [
  'timeout exceeded when trying to connect', // pg pool
  'Connection terminated', // pg
  'Connection is closed', // ioredis
  "Stream isn't writeable", // ioredis, offline queue off
  'Command timed out', // ioredis commandTimeout
];

/**
 * Whether `error` means storage is unavailable right now: PostgreSQL or Redis unreachable,
 * or a database (PostgreSQL or the embedded SQLite file) that cannot take writes. Such a
 * request gets 503 `unavailable` (retry later, nothing was acknowledged: a failed
 * transaction commits nothing), never a 500 that reads like a bug.
 */
export function isDependencyOutage(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { code, name } = error as Error & { code?: unknown };
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || POSTGRES_OUTAGE_STATES.test(code) || SQLITE_OUTAGE_CODES.test(code))) return true;
  if (name === 'MaxRetriesPerRequestError') return true; // ioredis gave up while Redis is away
  if (OUTAGE_MESSAGES.some((message) => error.message.includes(message))) return true;
  // Aggregates (a failed connect tries every address) are an outage when every part is.
  return error instanceof AggregateError && error.errors.length > 0 && error.errors.every(isDependencyOutage);
}

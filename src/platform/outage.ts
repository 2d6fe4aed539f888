/** Socket-level failures: the dependency is away, not wrong. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'EAI_AGAIN']);

/** PostgreSQL SQLSTATEs of a server that is down, restarting or full — not of a bad query. */
const POSTGRES_OUTAGE_STATES = /^(08|57P0[123]|53300)/;

/** Messages of pg and ioredis when they have no connection to give (they carry no code). */
const OUTAGE_MESSAGES = [
  'timeout exceeded when trying to connect', // pg pool
  'Connection terminated', // pg
  'Connection is closed', // ioredis
  "Stream isn't writeable", // ioredis, offline queue off
  'Command timed out', // ioredis commandTimeout
];

/**
 * Whether `error` means PostgreSQL or Redis is unreachable right now. Such a request gets
 * 503 `unavailable` (retry later, nothing was acknowledged), never a 500 that reads like
 * a bug.
 */
export function isDependencyOutage(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { code, name } = error as Error & { code?: unknown };
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || POSTGRES_OUTAGE_STATES.test(code))) return true;
  if (name === 'MaxRetriesPerRequestError') return true; // ioredis gave up while Redis is away
  if (OUTAGE_MESSAGES.some((message) => error.message.includes(message))) return true;
  // Aggregates (a failed connect tries every address) are an outage when every part is.
  return error instanceof AggregateError && error.errors.length > 0 && error.errors.every(isDependencyOutage);
}

import { Redis } from 'ioredis';

export type RedisClient = Redis;

export interface RedisOptions {
  /** Shown by `CLIENT LIST`. */
  name?: string;
  /**
   * A connection for blocking reads (`XREADGROUP … BLOCK`) has no command timeout; every
   * other one fails a command after 1 s, so a request answers 503 `unavailable` quickly
   * while Redis is away instead of waiting for reconnects.
   */
  blocking?: boolean;
}

/**
 * A Redis connection. Commands fail after one retry (and, unless blocking, after 1 s)
 * instead of queueing without bound while Redis is away.
 */
export function createRedis(url: string, { name = 'live-leaderboard', blocking = false }: RedisOptions = {}): RedisClient {
  const redis = new Redis(url, {
    connectionName: name,
    ...(blocking ? {} : { commandTimeout: 1_000 }),
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
    // Commands issued in one tick go out as one pipeline: a board flush asking 500 ranks
    // costs one round trip, not 500.
    enableAutoPipelining: true,
  });
  // Connection errors are retried by ioredis and surface as failed commands; an unhandled
  // 'error' event would crash the process instead.
  redis.on('error', () => {});
  return redis;
}

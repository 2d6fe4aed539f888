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
  /**
   * A pub/sub connection: its SUBSCRIBE waits for Redis however long it is away (queued,
   * never failed by a timeout or a retry limit), since a subscription given up on leaves the
   * node deaf for good; ioredis subscribes again after every reconnect. It skips the ready
   * check: an `INFO` sent after a SUBSCRIBE that went out while connecting is refused in
   * subscriber mode, and ioredis then fails the connection and the subscription with it
   * (ioredis#2037, fixed in ioredis 6).
   */
  subscriber?: boolean;
}

/**
 * A Redis connection. Commands fail after one retry (and, unless blocking, after 1 s)
 * instead of queueing without bound while Redis is away.
 */
export function createRedis(url: string, { name = 'live-leaderboard', blocking = false, subscriber = false }: RedisOptions = {}): RedisClient {
  const redis = new Redis(url, {
    connectionName: name,
    ...(blocking || subscriber ? {} : { commandTimeout: 1_000 }),
    maxRetriesPerRequest: subscriber ? null : 1,
    enableReadyCheck: !subscriber,
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

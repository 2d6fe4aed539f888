import { Redis } from 'ioredis';

export type RedisClient = Redis;

/**
 * A Redis connection. Commands fail after one retry instead of queueing without bound while
 * Redis is away, so a request answers 503 `unavailable` rather than hanging.
 */
export function createRedis(url: string, name = 'live-leaderboard'): RedisClient {
  const redis = new Redis(url, {
    connectionName: name,
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

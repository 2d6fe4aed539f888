import { randomBytes } from 'node:crypto';
import { onTestFinished } from 'vitest';
import { createRedis, type RedisClient } from '../../src/platform/redis.js';
import { RedisKeys } from '../../src/platform/redis-keys.js';
import { deleteNamespace, freshDatabase, REDIS_URL } from '../infrastructure.js';

export interface Deployment {
  /** The environment every process of the deployment shares. */
  env: Record<string, string>;
  databaseUrl: string;
  keys: RedisKeys;
  /** A connection to the deployment's Redis, for looking at streams. */
  redis: RedisClient;
}

/**
 * A distributed deployment's shared settings on a fresh database and a fresh key prefix,
 * both removed when the test ends. Rate limits are off unless `env` sets them.
 */
export async function freshDeployment({ postgresUrl, redisUrl = REDIS_URL, env = {} }: { postgresUrl?: string; redisUrl?: string; env?: Record<string, string> } = {}): Promise<Deployment> {
  const prefix = `fault_${randomBytes(5).toString('hex')}`;
  const keys = new RedisKeys(prefix);
  const redis = createRedis(redisUrl, { name: 'live-leaderboard-fault-test' });
  onTestFinished(async () => {
    await deleteNamespace(redis, keys).catch(() => {});
    redis.disconnect();
  });
  const databaseUrl = await freshDatabase(postgresUrl);
  return {
    env: { DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, REDIS_KEY_PREFIX: prefix, RATE_LIMIT_USER_PER_SEC: '0', RATE_LIMIT_IP_PER_SEC: '0', ...env },
    databaseUrl,
    keys,
    redis,
  };
}

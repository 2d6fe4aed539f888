import { randomBytes } from 'node:crypto';
import { createRedis } from '../src/platform/redis.js';
import { RedisKeys } from '../src/platform/redis-keys.js';
import { createScratchDatabase, deleteNamespace } from '../test/scratch-stores.js';

export interface DistributedBenchEnv {
  env: Record<string, string>;
  /** Drops the database and deletes the Redis keys this run made. */
  dispose: () => Promise<void>;
}

/**
 * A fresh PostgreSQL database and Redis key prefix for one benchmark run, so runs never
 * measure a ledger grown by earlier ones, and nothing is left behind.
 */
export async function distributedBenchEnv(postgresUrl: string, redisUrl: string): Promise<DistributedBenchEnv> {
  const name = `llbench_${randomBytes(4).toString('hex')}`;
  const database = await createScratchDatabase(postgresUrl, name);
  return {
    env: { DATABASE_URL: database.url, REDIS_URL: redisUrl, REDIS_KEY_PREFIX: name },
    dispose: async () => {
      await database.drop();
      const redis = createRedis(redisUrl, { name: 'live-leaderboard-bench' });
      await deleteNamespace(redis, new RedisKeys(name));
      redis.disconnect();
    },
  };
}

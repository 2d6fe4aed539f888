import { randomBytes } from 'node:crypto';
import { createRedis } from '../src/platform/redis.js';
import { RedisKeys } from '../src/platform/redis-keys.js';
import { createScratchDatabase, deleteNamespace } from '../test/support/scratch-stores.js';

export interface DistributedBenchEnv {
  env: Record<string, string>;
  /** Drops the database and deletes the Redis keys this run made. */
  dispose: () => Promise<void>;
}

/** `DATABASE_URL`'s server (where scratch databases are made) and `REDIS_URL`, or the local defaults. */
export const BENCH_POSTGRES_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const BENCH_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * A fresh PostgreSQL database and Redis key prefix for one benchmark run, so runs never
 * measure a ledger grown by earlier ones, and nothing is left behind.
 */
async function distributedBenchEnv(postgresUrl: string, redisUrl: string): Promise<DistributedBenchEnv> {
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

/** Runs `work` with the server environment of a fresh database and key prefix, dropped after. */
export async function withDistributedBenchEnv<T>(work: (env: Record<string, string>) => Promise<T>, redisUrl = BENCH_REDIS_URL): Promise<T> {
  const fresh = await distributedBenchEnv(BENCH_POSTGRES_URL, redisUrl);
  try {
    return await work(fresh.env);
  } finally {
    await fresh.dispose();
  }
}

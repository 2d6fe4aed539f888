import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { Redis } from 'ioredis';

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
  const admin = async <T>(work: (client: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: postgresUrl });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };
  await admin((client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(postgresUrl);
  url.pathname = `/${name}`;
  return {
    env: { DATABASE_URL: url.href, REDIS_URL: redisUrl, REDIS_KEY_PREFIX: name },
    dispose: async () => {
      await admin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
      const redis = new Redis(redisUrl);
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${name}:*`, 'COUNT', 1000);
        cursor = next;
        if (keys.length > 0) await redis.del(...keys);
      } while (cursor !== '0');
      redis.disconnect();
    },
  };
}

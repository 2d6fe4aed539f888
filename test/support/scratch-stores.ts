import pg from 'pg';
import { quoteIdentifier } from '../../src/platform/postgres.js';
import type { RedisClient } from '../../src/platform/redis.js';
import type { RedisKeys } from '../../src/platform/redis-keys.js';

/**
 * Throwaway PostgreSQL databases and Redis key namespaces, shared by the tests and the
 * benchmarks (so it imports nothing from vitest).
 */

/** Runs `work` on one connection to `url`, closed afterwards. */
export async function withPostgresClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Creates database `name` on the server of `serverUrl`; answers its URL and how to drop it. */
export async function createScratchDatabase(serverUrl: string, name: string): Promise<{ url: string; drop: () => Promise<void> }> {
  await withPostgresClient(serverUrl, (client) => client.query(`CREATE DATABASE ${quoteIdentifier(name)}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.href,
    drop: async () => void (await withPostgresClient(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`))),
  };
}

/** Deletes every key of a namespace. */
export async function deleteNamespace(redis: RedisClient, keys: RedisKeys): Promise<void> {
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', keys.all(), 'COUNT', 1000);
    cursor = next;
    if (found.length > 0) await redis.del(...found);
  } while (cursor !== '0');
}

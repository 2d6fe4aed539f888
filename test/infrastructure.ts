import { randomBytes } from 'node:crypto';
import { afterAll, onTestFinished } from 'vitest';
import pg from 'pg';
import { Redis } from 'ioredis';
import { createPostgresPool, quoteIdentifier, type PostgresPool } from '../src/platform/postgres.js';
import { createRedis, type RedisClient } from '../src/platform/redis.js';
import { RedisKeys } from '../src/platform/redis-keys.js';
import { migratePostgresSchema } from '../src/storage/schema.js';
import { createScratchDatabase, deleteNamespace } from './support/scratch-stores.js';

export { deleteNamespace } from './support/scratch-stores.js';

/**
 * Real PostgreSQL and Redis for the adapter tests. On a developer's machine without them
 * the tests skip; in CI (`CI=true`) an unreachable server fails the run instead.
 */
export const POSTGRES_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function reachable(check: () => Promise<unknown>): Promise<boolean> {
  try {
    await check();
    return true;
  } catch (error) {
    if (process.env.CI === 'true') throw new Error(`CI=true and a test server is unreachable: ${String(error)}`);
    return false;
  }
}

export const postgresAvailable = await reachable(async () => {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 2_000 });
  await client.connect();
  await client.end();
});

export const redisAvailable = await reachable(async () => {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, connectTimeout: 2_000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  // The failed connect rejects below; unheard, its 'error' event would be printed as unhandled too.
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
  } finally {
    redis.disconnect();
  }
});

function uniqueName(prefix: string): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`;
}

/** A pool on a fresh schema of its own, dropped after the test file. */
export async function postgresTestPool(): Promise<PostgresPool> {
  const schema = uniqueName('t');
  const admin = createPostgresPool(POSTGRES_URL, { max: 1 });
  await admin.query(`CREATE SCHEMA ${quoteIdentifier(schema)}`);
  const pool = createPostgresPool(POSTGRES_URL, { schema, max: 4 });
  afterAll(async () => {
    await pool.end();
    await admin.query(`DROP SCHEMA ${quoteIdentifier(schema)} CASCADE`);
    await admin.end();
  });
  return pool;
}

/**
 * For an adapter's runner: a schema of the file's own at the current schema
 * (`migratePostgresSchema`), dropped after the file; undefined when PostgreSQL is
 * unreachable, and the file's suites are then skipped (`describe.skipIf(!pool)`).
 */
export async function migratedPostgresPool(): Promise<PostgresPool | undefined> {
  if (!postgresAvailable) return undefined;
  const pool = await postgresTestPool();
  await migratePostgresSchema(pool);
  return pool;
}

/**
 * `pool` with `tables` emptied: a fresh store per test for the price of one TRUNCATE instead
 * of a schema and its migrations. Tests in a file run one at a time.
 */
export async function emptied(pool: PostgresPool | undefined, tables: string): Promise<PostgresPool> {
  await present(pool).query(`TRUNCATE ${tables}`);
  return present(pool);
}

/** For an adapter's runner: `redisTestNamespace()`, or undefined when Redis is unreachable (`describe.skipIf(!redis)`). */
export function redisRunnerNamespace(): { redis: RedisClient; keys: RedisKeys } | undefined {
  return redisAvailable ? redisTestNamespace() : undefined;
}

/** A server's connection, which only a suite that was not skipped asks for. */
export function present<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('the test server is unreachable; these suites should have been skipped');
  return value;
}

/** A Redis connection and a key namespace of its own, whose keys are deleted after the test file. */
export function redisTestNamespace(): { redis: RedisClient; keys: RedisKeys } {
  const redis = createRedis(REDIS_URL, { name: 'live-leaderboard-test' });
  const keys = new RedisKeys(uniqueName('test'));
  afterAll(async () => {
    await deleteNamespace(redis, keys);
    redis.disconnect();
  });
  return { redis, keys };
}


/**
 * A database of its own on the PostgreSQL server at `serverUrl` (for a whole multi-process
 * deployment), dropped when the calling test finishes. Answers its URL.
 */
export async function freshDatabase(serverUrl: string = POSTGRES_URL): Promise<string> {
  const database = await createScratchDatabase(serverUrl, uniqueName('ll_e2e'));
  onTestFinished(database.drop);
  return database.url;
}

/** A second pool on `on`'s schema: its connections are another process's, as far as locks go. */
export async function anotherPostgresProcess(on: PostgresPool): Promise<PostgresPool> {
  const { rows } = await on.query<{ schema: string }>('SELECT current_schema() AS schema');
  const other = createPostgresPool(POSTGRES_URL, { schema: rows[0]?.schema ?? 'public', max: 4 });
  onTestFinished(() => other.end());
  return other;
}

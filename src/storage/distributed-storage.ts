import { randomUUID } from 'node:crypto';
import { PostgresKeyStore } from '../auth/postgres-key-store.js';
import { PostgresRefreshTokenStore } from '../auth/postgres-refresh-token-store.js';
import { PostgresUserDirectory } from '../auth/postgres-user-directory.js';
import { PostgresUserStore } from '../auth/postgres-user-store.js';
import { PostgresSeqFloor } from '../leaderboard/postgres-seq-floor.js';
import { RedisBoardStore } from '../leaderboard/redis-board-store.js';
import { PostgresAuditLog } from '../moderation/postgres-audit-log.js';
import { PostgresBanList } from '../moderation/postgres-ban-list.js';
import { PostgresCredentialStore } from '../moderation/postgres-credential-store.js';
import { PostgresWebhookOutbox } from '../moderation/postgres-webhook-outbox.js';
import type { BackgroundJob } from '../platform/background-jobs.js';
import { ConfigError } from '../platform/config.js';
import { createPostgresPool, withAdvisoryLock, type PostgresPool } from '../platform/postgres.js';
import { loadOrCreatePostgresSecret } from '../platform/postgres-secret.js';
import { createRedis, type RedisClient } from '../platform/redis.js';
import { RedisEventBus } from '../platform/redis-event-bus.js';
import { RedisKeys } from '../platform/redis-keys.js';
import { RedisRateLimiter } from '../platform/redis-rate-limiter.js';
import { PostgresBoardTotalsReader } from '../score/postgres-board-totals-reader.js';
import { PostgresLedger } from '../score/postgres-ledger.js';
import { SPENT_TICKET_SWEEP_INTERVAL_MS, SpentTicketJanitor } from '../score/spent-ticket-janitor.js';
import { fillChangedBoards } from './fill-boards.js';
import { migratePostgresSchema } from './schema.js';
import { CREDENTIAL_USES_INTERVAL_MS, type Storage, type StorageFactory } from './storage.js';

/** The advisory lock of the board fill at start (any constant no other lock uses). */
const FILL_LOCK = 0x6c6c_6266; // "llbf"

/** How often a leaderboard node checks that Redis still holds its boards. */
const BOARD_CHECK_INTERVAL_MS = 5_000;

/** The distributed storage set, with what tests look into. */
export interface DistributedStorage extends Storage {
  readonly pool: PostgresPool;
  readonly redis: RedisClient;
}

/**
 * Distributed mode: PostgreSQL holds users, keys, the ledger and its outbox, bans and the
 * audit log; Redis holds the ranks, the event bus, the fan-out and the rate limits. Every
 * process shares all state through those two, so any number of them can run behind a load
 * balancer.
 */
export const distributedStorage: StorageFactory<DistributedStorage> = async (config, { logger, metrics, boards, now }) => {
  if (config.databaseUrl === undefined || config.redisUrl === undefined) {
    throw new ConfigError('distributed mode needs DATABASE_URL and REDIS_URL');
  }
  // How long a crashed node's stream entries and outbox rows wait before another node takes them.
  const { takeoverAfterMs } = config;
  const pool = createPostgresPool(config.databaseUrl, { max: 20, durability: config.durability });
  const redis = createRedis(config.redisUrl);
  const keys = new RedisKeys(config.redisKeyPrefix);
  const bus = new RedisEventBus(config.redisUrl, { keys, logger, group: 'leaderboard', claimIdleMs: takeoverAfterMs });
  const audit = new PostgresAuditLog(pool, { metrics });
  let bans: PostgresBanList | undefined;
  let credentials: PostgresCredentialStore | undefined;

  let closed: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closed ??= (async () => {
      bans?.close();
      await credentials?.flush().catch((error: unknown) => logger.error({ err: error }, 'server credential uses lost at shutdown'));
      credentials?.close();
      await audit.close().catch((error: unknown) => logger.error({ err: error }, 'audit entries lost at shutdown'));
      await bus.close();
      redis.disconnect();
      await pool.end();
    })());
  const webhooks = new PostgresWebhookOutbox(pool, config.webhookUrls);
  const ledger = new PostgresLedger(pool, { owner: randomUUID(), boards, webhooks });
  try {
    await migratePostgresSchema(pool);
    // One process fills boards while the others starting beside it wait, then find them filled.
    const filled = await withAdvisoryLock(pool, FILL_LOCK, () => fillChangedBoards(ledger, boards, (now ?? Date.now)(), logger));
    // A refilled period's sorted set in Redis is stale: without its marker, a leaderboard node rebuilds it.
    if (filled.length > 0) await redis.unlink(...filled.map(({ board, period }) => keys.boardLoaded(board, period)));
    bans = await PostgresBanList.open(pool, bus, { webhooks });
    credentials = await PostgresCredentialStore.open(pool, bus);
  } catch (error) {
    await close();
    throw error;
  }
  // A const the closures below see as set (they would see the `let` as possibly undefined).
  const credentialStore = credentials;
  const rateLimiter = (limit: { perSec: number; burst: number }) => new RedisRateLimiter(redis, keys, { ...limit, now });

  return {
    pool,
    redis,
    bus,
    users: new PostgresUserStore(pool),
    refreshTokens: new PostgresRefreshTokenStore(pool),
    keys: new PostgresKeyStore(pool),
    directory: new PostgresUserDirectory(pool),
    ledger,
    totals: new PostgresBoardTotalsReader(pool),
    // Board seqs are handed out from Redis and reserved in PostgreSQL, which outlives it.
    boardStore: new RedisBoardStore(redis, keys, new PostgresSeqFloor(pool)),
    bans,
    audit,
    credentials: credentialStore,
    webhooks,
    rateLimiter,
    ticketSecret: () => loadOrCreatePostgresSecret(pool, 'ticket-hmac'),
    // Every flush costs Redis round trips and a published top: 20 ms batches many actions
    // per flush and stays well inside the realtime window (50 ms).
    leaderboardFlushIntervalMs: 20,
    pipelinedCommits: false,
    readinessChecks: {
      postgres: async () => void (await pool.query('SELECT 1')),
      redis: async () => void (await redis.ping()),
    },
    backgroundJobs: ({ score, leaderboard }) => {
      const jobs: BackgroundJob[] = [
        // Uses written in batches; the hashes re-read, in case a revocation's message was lost.
        { name: 'server credentials', intervalMs: CREDENTIAL_USES_INTERVAL_MS, run: async () => (await credentialStore.flush(), await credentialStore.reload()) },
      ];
      if (score) {
        jobs.push(
          { name: 'forget spent tickets', intervalMs: SPENT_TICKET_SWEEP_INTERVAL_MS, run: () => new SpentTicketJanitor(ledger, score.catalog, { now }).sweep() },
          // Outbox rows of a score node that died between commit and publish: any other
          // node publishes them once they are older than the takeover delay.
          {
            name: 'outbox takeover',
            intervalMs: Math.max(1_000, takeoverAfterMs / 3),
            run: () => ledger.sweepOrphans((event) => bus.publish(event), takeoverAfterMs),
          },
        );
      }
      if (leaderboard) {
        // Redis keeps nothing across its own restart: whenever a board's marker is gone,
        // the boards come back from PostgreSQL's totals.
        jobs.push({ name: 'lost-board check', intervalMs: BOARD_CHECK_INTERVAL_MS, run: () => leaderboard.rebuildLost() });
      }
      return jobs;
    },
    // Ready only once the pub/sub subscriptions (bans, board changes, ranks) are active.
    ready: () => bus.ready(),
    close,
  };
};

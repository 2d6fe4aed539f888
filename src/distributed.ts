import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { createApp } from './app.js';
import { createAuthService } from './auth/create-auth-service.js';
import { keyStoreResolver, remoteJwksResolver } from './auth/key-resolvers.js';
import type { PasswordHasher } from './auth/password-hasher.js';
import { PostgresKeyStore } from './auth/postgres-key-store.js';
import { AUTH_POSTGRES_MIGRATIONS } from './auth/postgres-migrations.js';
import { PostgresRefreshTokenStore } from './auth/postgres-refresh-token-store.js';
import { PostgresUserStore } from './auth/postgres-user-store.js';
import { TokenVerifier } from './auth/token-verifier.js';
import { createLeaderboardService } from './leaderboard/create-leaderboard-service.js';
import type { LeaderboardService } from './leaderboard/leaderboard-service.js';
import { PostgresBoardTotalsReader } from './leaderboard/postgres-board-totals-reader.js';
import { PostgresUserDirectory } from './leaderboard/postgres-user-directory.js';
import { RedisBoardStore } from './leaderboard/redis-board-store.js';
import { loadBoards } from './platform/boards.js';
import { ConfigError, type Config } from './platform/config.js';
import { createLogger, type Logger } from './platform/logger.js';
import { createMetricsRegistry } from './platform/metrics.js';
import { applyPostgresMigrations, createPostgresPool } from './platform/postgres.js';
import { LEADERBOARD_POSTGRES_MIGRATIONS } from './leaderboard/postgres-migrations.js';
import { PostgresSeqFloor } from './leaderboard/postgres-seq-floor.js';
import { loadOrCreatePostgresSecret, PLATFORM_POSTGRES_MIGRATIONS } from './platform/postgres-secret.js';
import { createRedis } from './platform/redis.js';
import { RedisEventBus } from './platform/redis-event-bus.js';
import { RedisKeys } from './platform/redis-keys.js';
import type { Service } from './platform/service.js';
import { createRealtimeService } from './realtime/create-realtime-service.js';
import type { RealtimeHub, RealtimeOptions } from './realtime/realtime-hub.js';
import { createScoreService } from './score/create-score-service.js';
import { PostgresAuditLog } from './score/postgres-audit-log.js';
import { PostgresBanList } from './score/postgres-ban-list.js';
import { PostgresLedger } from './score/postgres-ledger.js';
import { SCORE_POSTGRES_MIGRATIONS } from './score/postgres-migrations.js';
import { RedisRateLimiter } from './platform/redis-rate-limiter.js';
import type { ScoreService } from './score/score-service.js';

export interface DistributedOptions {
  logger?: Logger;
  passwordHasher?: PasswordHasher;
  /** @default true */
  groupCommit?: boolean;
  now?: () => number;
  realtime?: RealtimeOptions;
  /** How long a crashed node's stream entries and outbox rows wait before another takes them. @default config.takeoverAfterMs (`TAKEOVER_AFTER_MS`) */
  takeoverAfterMs?: number;
  /** How often a leaderboard node checks that Redis still holds its boards. @default 5000 */
  boardCheckIntervalMs?: number;
}

export interface Distributed {
  app: FastifyInstance;
  score: ScoreService | undefined;
  leaderboard: LeaderboardService | undefined;
  realtime: RealtimeHub | undefined;
  close: () => Promise<void>;
}

/**
 * The composition root of distributed mode, the twin of `embedded.ts`: PostgreSQL holds
 * users, keys, the ledger and its outbox; Redis holds the ranks, the event bus, the
 * fan-out and the rate limits. Every process runs the services `SERVICES` names and shares
 * all state through those two, so any number of them can run behind a load balancer.
 */
export async function composeDistributed(config: Config, options: DistributedOptions = {}): Promise<Distributed> {
  if (config.databaseUrl === undefined || config.redisUrl === undefined) {
    throw new ConfigError('distributed mode needs DATABASE_URL and REDIS_URL');
  }
  const logger = options.logger ?? createLogger(config.logLevel);
  const { now } = options;
  const takeoverAfterMs = options.takeoverAfterMs ?? config.takeoverAfterMs;
  const boards = loadBoards(config.boardConfig);

  const pool = createPostgresPool(config.databaseUrl, { max: 20 });
  const redis = createRedis(config.redisUrl);
  const keys = new RedisKeys(config.redisKeyPrefix);
  const bus = new RedisEventBus(config.redisUrl, { keys, logger, group: 'leaderboard', claimIdleMs: takeoverAfterMs });
  const metrics = createMetricsRegistry();
  const timers: NodeJS.Timeout[] = [];
  const services: Service[] = [];
  let bans: PostgresBanList | undefined;
  let audit: PostgresAuditLog | undefined;

  const shutDown = async (): Promise<void> => {
    for (const timer of timers) clearInterval(timer);
    for (const service of [...services].reverse()) await service.stop?.();
    bans?.close();
    await audit?.close().catch((error: unknown) => logger.error({ err: error }, 'audit entries lost at shutdown'));
    await bus.close();
    redis.disconnect();
    await pool.end();
  };
  try {
    // Every process migrates everything it may read: a leaderboard-only node reads users and
    // totals. The advisory lock inside makes simultaneous starts safe.
    await applyPostgresMigrations(pool, 'platform', PLATFORM_POSTGRES_MIGRATIONS);
    await applyPostgresMigrations(pool, 'auth', AUTH_POSTGRES_MIGRATIONS);
    await applyPostgresMigrations(pool, 'score', SCORE_POSTGRES_MIGRATIONS);
    await applyPostgresMigrations(pool, 'leaderboard', LEADERBOARD_POSTGRES_MIGRATIONS);
    const keyStore = new PostgresKeyStore(pool);
    const verifier = new TokenVerifier(config.authUrl ? remoteJwksResolver(config.authUrl) : keyStoreResolver(keyStore), { now });
    bans = await PostgresBanList.open(pool, bus);
    audit = new PostgresAuditLog(pool, { metrics });
    // Board seqs are handed out from Redis and reserved in PostgreSQL, which outlives it.
    const boardStore = new RedisBoardStore(redis, keys, new PostgresSeqFloor(pool));

    if (config.services.has('auth')) {
      services.push(
        await createAuthService({
          users: new PostgresUserStore(pool),
          refreshTokens: new PostgresRefreshTokenStore(pool),
          keys: keyStore,
          verifier,
          adminUsers: config.adminUsers,
          hasher: options.passwordHasher,
          rateLimiter: (limit) => new RedisRateLimiter(redis, keys, { ...limit, now }),
          loginRateLimitUser: config.loginRateLimitUser,
          loginRateLimitIp: config.loginRateLimitIp,
          metrics,
          now,
        }),
      );
    }

    let score: ReturnType<typeof createScoreService> | undefined;
    if (config.services.has('score')) {
      const ledger = new PostgresLedger(pool, { owner: randomUUID(), boards });
      score = createScoreService({
        ledger,
        ticketSecret: await loadOrCreatePostgresSecret(pool, 'ticket-hmac'),
        rateLimiter: (limit) => new RedisRateLimiter(redis, keys, { ...limit, now }),
        bus,
        verifier,
        metrics,
        logger,
        bans,
        audit,
        boards,
        catalogPath: config.actionCatalog,
        rateLimitUser: config.rateLimitUser,
        rateLimitIp: config.rateLimitIp,
        groupCommit: options.groupCommit,
        now,
      });
      services.push(score);
      // Outbox rows of a score node that died between commit and publish: any other node
      // publishes them once they are older than the takeover delay.
      const sweep = setInterval(() => {
        ledger.sweepOrphans((event) => bus.publish(event), takeoverAfterMs).catch((error: unknown) => logger.warn({ err: error }, 'outbox sweep failed'));
      }, Math.max(1_000, takeoverAfterMs / 3));
      sweep.unref();
      timers.push(sweep);
    }

    let leaderboard: Awaited<ReturnType<typeof createLeaderboardService>> | undefined;
    if (config.services.has('leaderboard')) {
      leaderboard = await createLeaderboardService({
        store: boardStore,
        totals: new PostgresBoardTotalsReader(pool),
        directory: new PostgresUserDirectory(pool),
        bus,
        verifier,
        bans,
        audit,
        boards,
        now,
        logger,
        // Every flush costs Redis round trips and a published top: 20 ms batches many
        // actions per flush and stays well inside the realtime window (50 ms).
        minFlushIntervalMs: 20,
      });
      services.push(leaderboard);
      // Redis keeps nothing across its own restart: whenever a board's marker is gone, the
      // boards come back from PostgreSQL's totals.
      const service = leaderboard.leaderboard;
      const check = setInterval(() => {
        service.rebuildLost().catch((error: unknown) => logger.warn({ err: error }, 'board check failed'));
      }, options.boardCheckIntervalMs ?? 5_000);
      check.unref();
      timers.push(check);
    }

    let realtime: Awaited<ReturnType<typeof createRealtimeService>> | undefined;
    if (config.services.has('realtime')) {
      realtime = await createRealtimeService({
        boards,
        bus,
        verifier,
        metrics,
        logger,
        // The last change each board published, kept in Redis: a new realtime node starts from it.
        initialTop: (board) => boardStore.lastTop(board),
        options: { windowMs: config.realtimeWindowMs, allowedOrigins: config.wsAllowedOrigins, now, ...options.realtime },
      });
      services.push(realtime);
    }

    // Ready only once the pub/sub subscriptions (bans, board changes, ranks) are active.
    await bus.ready();
    const app = await createApp({
      logger,
      metrics,
      services,
      trustProxy: config.trustProxy,
      readinessChecks: {
        postgres: async () => void (await pool.query('SELECT 1')),
        redis: async () => void (await redis.ping()),
      },
    });
    let closed: Promise<void> | undefined;
    const close = (): Promise<void> =>
      (closed ??= (async () => {
        await app.close();
        await shutDown();
      })());
    return { app, score: score?.score, leaderboard: leaderboard?.leaderboard, realtime: realtime?.hub, close };
  } catch (error) {
    await shutDown();
    throw error;
  }
}

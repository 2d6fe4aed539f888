import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { createApp } from './app.js';
import { createEmbeddedAuthService } from './auth/create-auth-service.js';
import { FileKeyStore } from './auth/file-key-store.js';
import { keyStoreResolver, remoteJwksResolver } from './auth/key-resolvers.js';
import type { PasswordHasher } from './auth/password-hasher.js';
import { AUTH_SQLITE_MIGRATIONS } from './auth/sqlite-migrations.js';
import { TokenVerifier } from './auth/token-verifier.js';
import { createEmbeddedLeaderboardService } from './leaderboard/create-leaderboard-service.js';
import { TOP_SIZE, type LeaderboardService } from './leaderboard/leaderboard-service.js';
import { loadBoards } from './platform/boards.js';
import { ConfigError, type Config } from './platform/config.js';
import { lockDataDir } from './platform/data-dir-lock.js';
import { InProcessEventBus } from './platform/in-process-event-bus.js';
import { createLogger, type Logger } from './platform/logger.js';
import { createMetricsRegistry } from './platform/metrics.js';
import type { Service } from './platform/service.js';
import { SqliteCheckpointer } from './platform/sqlite-checkpointer.js';
import { applySqliteMigrations, openSqliteDatabase, type SqliteDatabase } from './platform/sqlite.js';
import type { AuditLog } from './score/audit-log.js';
import type { BanList } from './score/ban-list.js';
import { createEmbeddedScoreService } from './score/create-score-service.js';
import type { ScoreService } from './score/score-service.js';
import { createRealtimeService } from './realtime/create-realtime-service.js';
import type { RealtimeHub, RealtimeOptions } from './realtime/realtime-hub.js';
import { SqliteAuditLog } from './score/sqlite-audit-log.js';
import { SqliteBanList } from './score/sqlite-ban-list.js';
import { SCORE_SQLITE_MIGRATIONS } from './score/sqlite-migrations.js';

export const SQLITE_FILE_NAME = 'live-leaderboard.db';
export const KEY_FILE_NAME = 'signing-keys.json';

export interface EmbeddedOptions {
  logger?: Logger;
  /** Tests pass a cheap hasher; the default is production-strength scrypt. */
  passwordHasher?: PasswordHasher;
  /** The benchmark compares with group commit off. @default true */
  groupCommit?: boolean;
  /** A clock tests move. @default Date.now */
  now?: () => number;
  /** Realtime limits beyond what the environment configures (tests shorten heartbeats). */
  realtime?: RealtimeOptions;
}

/** Everything one embedded process runs, built but not listening. */
export interface Embedded {
  app: FastifyInstance;
  db: SqliteDatabase;
  bus: InProcessEventBus;
  bans: BanList;
  audit: AuditLog;
  score: ScoreService | undefined;
  leaderboard: LeaderboardService | undefined;
  realtime: RealtimeHub | undefined;
  /** Drains in-flight requests, stops the services in reverse, closes storage. Idempotent. */
  close: () => Promise<void>;
}

/**
 * The composition root of embedded mode (its twin is `distributed.ts`; nothing else picks
 * adapters): SQLite under DATA_DIR, the in-process bus and rank index. Builds the services
 * named in `SERVICES`; `main.ts` listens, tests inject.
 */
export async function composeEmbedded(config: Config, options: EmbeddedOptions = {}): Promise<Embedded> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const { now } = options;
  if (config.databaseUrl !== undefined || config.redisUrl !== undefined) {
    // Refuse rather than silently run embedded while the operator believes it is distributed.
    throw new ConfigError('DATABASE_URL / REDIS_URL are set: that is distributed mode (see distributed.ts), not embedded');
  }
  // Configuration files first: a mistake there stops the process before it touches storage.
  const boards = loadBoards(config.boardConfig);

  const dataDirLock = lockDataDir(config.dataDir);
  let db: SqliteDatabase;
  try {
    db = openSqliteDatabase(path.join(config.dataDir, SQLITE_FILE_NAME));
  } catch (error) {
    dataDirLock.release();
    throw error;
  }
  const checkpointer = new SqliteCheckpointer(db, logger);
  const keys = new FileKeyStore(path.join(config.dataDir, KEY_FILE_NAME));
  const verifier = new TokenVerifier(config.authUrl ? remoteJwksResolver(config.authUrl) : keyStoreResolver(keys), { now });
  const bus = new InProcessEventBus(logger);
  const metrics = createMetricsRegistry();
  // One embedded database holds every service's tables; the leaderboard reads users and
  // totals and the admin routes write bans, so all schemas exist whatever SERVICES says.
  applySqliteMigrations(db, 'auth', AUTH_SQLITE_MIGRATIONS);
  applySqliteMigrations(db, 'score', SCORE_SQLITE_MIGRATIONS);
  const bans = new SqliteBanList(db);
  const audit = new SqliteAuditLog(db, { metrics });

  const services: Service[] = [];
  const shutDown = async (): Promise<void> => {
    for (const service of [...services].reverse()) await service.stop?.();
    await audit.close();
    await bus.close();
    await checkpointer.stop();
    db.close();
    dataDirLock.release();
  };
  try {
    if (config.services.has('auth')) {
      services.push(
        await createEmbeddedAuthService({
          db,
          keys,
          verifier,
          adminUsers: config.adminUsers,
          hasher: options.passwordHasher,
          loginRateLimitUser: config.loginRateLimitUser,
          loginRateLimitIp: config.loginRateLimitIp,
          metrics,
          now,
        }),
      );
    }
    const score = config.services.has('score')
      ? createEmbeddedScoreService({
          db,
          dataDir: config.dataDir,
          bus,
          verifier,
          metrics,
          logger,
          catalogPath: config.actionCatalog,
          rateLimitUser: config.rateLimitUser,
          rateLimitIp: config.rateLimitIp,
          groupCommit: options.groupCommit,
          bans,
          audit,
          boards,
          now,
        })
      : undefined;
    if (score) services.push(score);
    const leaderboard = config.services.has('leaderboard')
      ? await createEmbeddedLeaderboardService({ db, bus, verifier, bans, audit, boards, now, logger })
      : undefined;
    if (leaderboard) services.push(leaderboard);
    const realtime = config.services.has('realtime')
      ? await createRealtimeService({
          boards,
          bus,
          verifier,
          metrics,
          logger,
          initialTop: leaderboard && (async (board) => {
            const page = await leaderboard.leaderboard.page(board, 0, TOP_SIZE);
            return page && { seq: page.seq, top: page.entries };
          }),
          options: { windowMs: config.realtimeWindowMs, allowedOrigins: config.wsAllowedOrigins, now, ...options.realtime },
        })
      : undefined;
    if (realtime) services.push(realtime);

    const app = await createApp({
      logger,
      metrics,
      services,
      trustProxy: config.trustProxy,
      readinessChecks: { sqlite: () => void db.prepare('SELECT 1').get() },
    });
    let closed: Promise<void> | undefined;
    const close = (): Promise<void> =>
      (closed ??= (async () => {
        await app.close();
        await shutDown();
      })());
    return { app, db, bus, bans, audit, score: score?.score, leaderboard: leaderboard?.leaderboard, realtime: realtime?.hub, close };
  } catch (error) {
    await shutDown();
    throw error;
  }
}

import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { createApp } from './app.js';
import { createEmbeddedAuthService } from './auth/create-auth-service.js';
import { FileKeyStore } from './auth/file-key-store.js';
import { keyStoreResolver, remoteJwksResolver } from './auth/key-resolvers.js';
import type { PasswordHasher } from './auth/password-hasher.js';
import { TokenVerifier } from './auth/token-verifier.js';
import { BoardConfigError, loadBoards } from './platform/boards.js';
import { ConfigError, loadConfig, type Config } from './platform/config.js';
import { createLogger, type Logger } from './platform/logger.js';
import { InProcessEventBus } from './platform/in-process-event-bus.js';
import { createMetricsRegistry } from './platform/metrics.js';
import type { Service } from './platform/service.js';
import { exitOnShutdownSignal } from './platform/shutdown.js';
import { SqliteCheckpointer } from './platform/sqlite-checkpointer.js';
import { applySqliteMigrations, openSqliteDatabase } from './platform/sqlite.js';
import { AUTH_SQLITE_MIGRATIONS } from './auth/sqlite-migrations.js';
import { createEmbeddedLeaderboardService } from './leaderboard/create-leaderboard-service.js';
import { SqliteAuditLog } from './score/sqlite-audit-log.js';
import { SqliteBanList } from './score/sqlite-ban-list.js';
import { SCORE_SQLITE_MIGRATIONS } from './score/sqlite-migrations.js';
import { CatalogError } from './score/catalog.js';
import { createEmbeddedScoreService } from './score/create-score-service.js';

export const SQLITE_FILE_NAME = 'live-leaderboard.db';
export const KEY_FILE_NAME = 'signing-keys.json';

export interface RunningServer {
  /** e.g. `http://127.0.0.1:3000` */
  url: string;
  app: FastifyInstance;
  /** Stops accepting, drains in-flight requests, stops services in reverse, closes storage. */
  stop(): Promise<void>;
}

export interface StartOptions {
  logger?: Logger;
  /** Tests pass a cheap hasher; the default is production-strength scrypt. */
  passwordHasher?: PasswordHasher;
  /** The benchmark compares with group commit off. @default true */
  groupCommit?: boolean;
}

/**
 * The composition root: the only place that picks adapters. Builds the services named
 * in `SERVICES` on embedded storage and starts listening.
 */
export async function startServer(config: Config, options: StartOptions = {}): Promise<RunningServer> {
  const logger = options.logger ?? createLogger(config.logLevel);
  if (config.databaseUrl !== undefined || config.redisUrl !== undefined) {
    // Refuse rather than silently run embedded while the operator believes it is distributed.
    throw new ConfigError('DATABASE_URL / REDIS_URL: distributed mode is not available in this version yet; unset them to run embedded');
  }

  // Configuration files first: a mistake there stops the process before it touches storage.
  const boards = loadBoards(config.boardConfig);
  const db = openSqliteDatabase(path.join(config.dataDir, SQLITE_FILE_NAME));
  const checkpointer = new SqliteCheckpointer(db, logger);
  const keys = new FileKeyStore(path.join(config.dataDir, KEY_FILE_NAME));
  const verifier = new TokenVerifier(config.authUrl ? remoteJwksResolver(config.authUrl) : keyStoreResolver(keys));
  const bus = new InProcessEventBus(logger);
  const metrics = createMetricsRegistry();
  // One embedded database holds every service's tables; the leaderboard reads users and
  // totals and the admin routes write bans, so all schemas exist whatever SERVICES says.
  applySqliteMigrations(db, 'auth', AUTH_SQLITE_MIGRATIONS);
  applySqliteMigrations(db, 'score', SCORE_SQLITE_MIGRATIONS);
  const bans = new SqliteBanList(db);
  const audit = new SqliteAuditLog(db, { metrics });

  const services: Service[] = [];
  try {
    if (config.services.has('auth')) {
      services.push(
        await createEmbeddedAuthService({ db, keys, verifier, adminUsers: config.adminUsers, hasher: options.passwordHasher }),
      );
    }
    if (config.services.has('score')) {
      services.push(
        createEmbeddedScoreService({
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
        }),
      );
    }
    if (config.services.has('leaderboard')) {
      services.push(await createEmbeddedLeaderboardService({ db, bus, verifier, bans, audit, boards }));
    }
    if (config.services.has('realtime')) logger.warn({ service: 'realtime' }, 'service realtime is not part of this version yet; skipping it');

    const app = await createApp({
      logger,
      metrics,
      services,
      readinessChecks: { sqlite: () => void db.prepare('SELECT 1').get() },
    });
    // Fastify logs this line once listening: the one line API.md promises, with the real port.
    const address = await app.listen({
      port: config.port,
      host: config.host,
      listenTextResolver: (listening) => `live-leaderboard ready on ${listening} (services: ${[...config.services].join(',')})`,
    });
    const url = address.replace('[::1]', 'localhost');

    let stopped: Promise<void> | undefined;
    const stop = (): Promise<void> =>
      (stopped ??= (async () => {
        await app.close();
        for (const service of [...services].reverse()) await service.stop?.();
        await audit.close();
        await bus.close();
        await checkpointer.stop();
        db.close();
      })());
    return { url, app, stop };
  } catch (error) {
    await checkpointer.stop();
    db.close();
    throw error;
  }
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) exitWithOneLine(error.message);
    throw error;
  }
  const logger = createLogger(config.logLevel);
  try {
    const server = await startServer(config, { logger });
    exitOnShutdownSignal(() => server.stop(), logger);
  } catch (error) {
    if (error instanceof ConfigError || error instanceof CatalogError || error instanceof BoardConfigError) exitWithOneLine(error.message);
    logger.fatal({ err: error }, 'failed to start');
    process.exit(1);
  }
}

/** Configuration mistakes are the operator's to fix: one clear line, no stack trace. */
function exitWithOneLine(message: string): never {
  process.stderr.write(`live-leaderboard: ${message}\n`);
  process.exit(1);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();

import type { FastifyInstance } from 'fastify';
import { createApp } from './app.js';
import { createAuthService } from './auth/index.js';
import { keyStoreResolver, remoteJwksResolver } from './auth/key-resolvers.js';
import type { PasswordHasher } from './auth/password-hasher.js';
import { TokenVerifier } from './auth/token-verifier.js';
import { aroundReader, createLeaderboardService, TOP_SIZE, type LeaderboardService } from './leaderboard/index.js';
import { createModerationService, ServerCredentials, type WebhookTimings } from './moderation/index.js';
import { BackgroundJobs, type BackgroundJob } from './platform/background-jobs.js';
import { BoardConfigError, loadBoards, type BoardDefinition } from './platform/boards.js';
import { ConfigError, type Config } from './platform/config.js';
import { createLogger, type Logger } from './platform/logger.js';
import { createMetricsRegistry } from './platform/metrics.js';
import type { Service } from './platform/service.js';
import { createRealtimeService, type RealtimeHub, type RealtimeOptions } from './realtime/index.js';
import { CatalogError, createScoreService, loadCatalog, type ActionCatalog, type ScoreService } from './score/index.js';
import type { Storage, StorageFactory } from './storage/storage.js';

export interface ComposeOptions {
  logger?: Logger;
  /** Tests pass a cheap hasher; the default is production-strength scrypt. */
  passwordHasher?: PasswordHasher;
  /** The benchmark compares with group commit off. @default true */
  groupCommit?: boolean;
  /** A clock tests move. @default Date.now */
  now?: () => number;
  /** Realtime limits beyond what the environment configures (tests shorten heartbeats). */
  realtime?: RealtimeOptions;
  /** Webhook polling, retries and timeouts (tests shorten them). */
  webhooks?: WebhookTimings;
}

/** One process's services, built and wired, not listening yet. */
export interface Composed<S extends Storage = Storage> {
  app: FastifyInstance;
  storage: S;
  score: ScoreService | undefined;
  leaderboard: LeaderboardService | undefined;
  realtime: RealtimeHub | undefined;
  /** Game servers' credentials (the admin routes and the server action route use them). */
  credentials: ServerCredentials;
  /** Drains in-flight requests, stops the jobs and the services in reverse, closes storage. Idempotent. */
  close: () => Promise<void>;
}

/**
 * The one wiring place, the same for both deployments: opens the storage set that
 * `openStorage` builds (`embeddedStorage` or `distributedStorage`, the only code that knows
 * SQLite, PostgreSQL or Redis), builds the services `SERVICES` names from its stores, starts
 * its background jobs and creates the app. `main.ts` listens; tests inject.
 *
 * The moderation service (bans, audit log, admin routes) runs wherever the leaderboard does:
 * a ban takes the player off the boards before it answers.
 */
export async function compose<S extends Storage>(config: Config, openStorage: StorageFactory<S>, options: ComposeOptions = {}): Promise<Composed<S>> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const { now } = options;
  // Configuration files first: a mistake there stops the process before it touches storage.
  const { boards, catalog } = readDefinitions(config);
  const metrics = createMetricsRegistry();
  const storage = await openStorage(config, { logger, metrics, boards, now });
  const verifier = new TokenVerifier(config.authUrl ? remoteJwksResolver(config.authUrl) : keyStoreResolver(storage.keys), { now });

  const credentials = new ServerCredentials(storage.credentials, storage.bus, now);
  const services: Service[] = [];
  const jobs = new BackgroundJobs(logger);
  const shutDown = async (): Promise<void> => {
    await jobs.stop();
    for (const service of [...services].reverse()) await service.stop?.();
    await storage.close();
  };
  try {
    if (config.services.has('auth')) {
      services.push(
        await createAuthService({
          users: storage.users,
          refreshTokens: storage.refreshTokens,
          keys: storage.keys,
          verifier,
          adminUsers: config.adminUsers,
          hasher: options.passwordHasher,
          rateLimiter: storage.rateLimiter,
          loginRateLimitUser: config.loginRateLimitUser,
          loginRateLimitIp: config.loginRateLimitIp,
          metrics,
          now,
        }),
      );
    }

    const score = config.services.has('score')
      ? createScoreService({
          ledger: storage.ledger,
          ticketSecret: await storage.ticketSecret(),
          rateLimiter: storage.rateLimiter,
          bus: storage.bus,
          verifier,
          servers: credentials,
          users: storage.directory,
          metrics,
          logger,
          bans: storage.bans,
          audit: storage.audit,
          boards,
          catalog,
          rateLimitUser: config.rateLimitUser,
          rateLimitIp: config.rateLimitIp,
          rateLimitServer: config.rateLimitServer,
          groupCommit: options.groupCommit,
          pipelinedCommits: storage.pipelinedCommits,
          now,
        })
      : undefined;
    if (score) services.push(score);

    const leaderboard = config.services.has('leaderboard')
      ? await createLeaderboardService({
          store: storage.boardStore,
          totals: storage.totals,
          directory: storage.directory,
          bus: storage.bus,
          verifier,
          bans: storage.bans,
          boards,
          now,
          logger,
          minFlushIntervalMs: storage.leaderboardFlushIntervalMs,
        })
      : undefined;
    let moderationJobs: BackgroundJob[] = [];
    if (leaderboard) {
      services.push(leaderboard);
      const moderation = createModerationService({
        bans: storage.bans,
        audit: storage.audit,
        directory: storage.directory,
        membership: leaderboard.leaderboard,
        bus: storage.bus,
        credentials,
        review: storage.ledger,
        webhooks: storage.webhooks,
        boards,
        standings: storage.totals,
        webhookUrls: config.webhookUrls,
        webhookSecret: config.webhookSecret,
        webhookTimings: options.webhooks,
        verifier,
        logger,
        metrics,
        now,
      });
      services.push(moderation);
      moderationJobs = moderation.jobs;
    }

    const realtime = config.services.has('realtime')
      ? await createRealtimeService({
          boards,
          bus: storage.bus,
          verifier,
          metrics,
          logger,
          // Each board's top to start from: the leaderboard in this process, or else the
          // last change a leaderboard node published to the shared store.
          initialTop: leaderboard
            ? async (board) => {
                const page = await leaderboard.leaderboard.page(board, 0, TOP_SIZE);
                return page && { seq: page.seq, top: page.entries };
              }
            : (board) => storage.boardStore.lastTop(board),
          options: {
            windowMs: config.realtimeWindowMs,
            // The pages allowed to call the API may open its socket too, unless told otherwise.
            allowedOrigins: config.wsAllowedOrigins ?? (config.corsOrigins === '*' ? undefined : config.corsOrigins),
            now,
            // Around-me windows from the rank store this process shares with the leaderboard.
            readWindow: aroundReader(storage.boardStore, storage.directory, boards, now),
            ...options.realtime,
          },
        })
      : undefined;
    if (realtime) services.push(realtime);

    jobs.start([...storage.backgroundJobs({ score, leaderboard: leaderboard?.leaderboard }), ...moderationJobs]);
    await storage.ready();
    const app = await createApp({
      logger,
      metrics,
      services,
      trustProxy: config.trustProxy,
      corsOrigins: config.corsOrigins,
      readinessChecks: storage.readinessChecks,
    });
    let closed: Promise<void> | undefined;
    const close = (): Promise<void> =>
      (closed ??= (async () => {
        await app.close();
        await shutDown();
      })());
    return { app, storage, score: score?.score, leaderboard: leaderboard?.leaderboard, realtime: realtime?.hub, credentials, close };
  } catch (error) {
    await shutDown();
    throw error;
  }
}

/**
 * Reads the board and catalog files and checks them against each other, naming every
 * problem of both in one line: a board must rank a metric some action yields.
 * @throws ConfigError
 */
export function readDefinitions(config: Pick<Config, 'boardConfig' | 'actionCatalog'>): { boards: BoardDefinition[]; catalog: ActionCatalog } {
  const problems: string[] = [];
  const attempt = <T>(read: () => T): T | undefined => {
    try {
      return read();
    } catch (error) {
      if (!(error instanceof BoardConfigError || error instanceof CatalogError)) throw error;
      problems.push(error.message);
      return undefined;
    }
  };
  const boards = attempt(() => loadBoards(config.boardConfig));
  const catalog = attempt(() => loadCatalog(config.actionCatalog));
  if (boards && catalog) {
    const yielded = catalog.metrics();
    const unranked = boards.filter((board) => !yielded.has(board.metric));
    if (unranked.length > 0) {
      problems.push(
        `boards rank metrics no action yields: ${unranked.map((board) => `"${board.id}" (${board.metric})`).join(', ')}; the catalog yields ${[...yielded].join(', ')} (add an action that yields each, or set BOARD_CONFIG to boards of your own)`,
      );
    }
  }
  if (problems.length > 0 || !boards || !catalog) throw new ConfigError(problems.join('; '));
  return { boards, catalog };
}

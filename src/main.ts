import { pathToFileURL } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { compose, type ComposeOptions } from './compose.js';
import { BoardConfigError } from './platform/boards.js';
import { ConfigError, type Config } from './platform/config.js';
import { configOrExit } from './platform/config-or-exit.js';
import { createLogger } from './platform/logger.js';
import { exitOnShutdownSignal } from './platform/shutdown.js';
import { CatalogError } from './score/catalog.js';
import { exitWithOneLine } from './platform/exit-with-one-line.js';
import { DataDirInUseError } from './storage/data-dir-lock.js';
import { distributedStorage } from './storage/distributed-storage.js';
import { embeddedStorage } from './storage/embedded-storage.js';

export interface RunningServer {
  /** e.g. `http://127.0.0.1:3000` */
  url: string;
  app: FastifyInstance;
  /** Stops accepting, drains in-flight requests, stops services in reverse, closes storage. */
  stop(): Promise<void>;
}

/**
 * Picks the storage — embedded (SQLite under DATA_DIR, everything in this process) unless
 * `DATABASE_URL` or `REDIS_URL` is set, then distributed (PostgreSQL and Redis) — composes
 * the services named in `SERVICES` on it and starts listening.
 */
export async function startServer(config: Config, options: ComposeOptions = {}): Promise<RunningServer> {
  const distributed = config.databaseUrl !== undefined || config.redisUrl !== undefined;
  const composed = distributed ? await compose(config, distributedStorage, options) : await compose(config, embeddedStorage, options);
  try {
    // Fastify logs this line once listening: the one ready line docs/API.md promises, with the real port.
    const address = await composed.app.listen({
      port: config.port,
      host: config.host,
      listenTextResolver: (listening) => `live-leaderboard ready on ${listening} (services: ${[...config.services].join(',')})`,
    });
    return { url: address.replace('[::1]', 'localhost'), app: composed.app, stop: composed.close };
  } catch (error) {
    await composed.close();
    throw error;
  }
}

async function main(): Promise<void> {
  const config = configOrExit();
  const logger = createLogger(config.logLevel);
  // A promise nobody awaited failing (a dependency dropping mid-operation) is logged loudly,
  // but must not take down every player's connection with it.
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled promise rejection'));
  try {
    const server = await startServer(config, { logger });
    exitOnShutdownSignal(() => server.stop(), logger);
  } catch (error) {
    if (error instanceof ConfigError || error instanceof CatalogError || error instanceof BoardConfigError || error instanceof DataDirInUseError) {
      exitWithOneLine(error.message);
    }
    logger.fatal({ err: error }, 'failed to start');
    process.exit(1);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();

import { pathToFileURL } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { composeDistributed, type DistributedOptions } from './distributed.js';
import { composeEmbedded, type EmbeddedOptions } from './embedded.js';
import { BoardConfigError } from './platform/boards.js';
import { ConfigError, loadConfig, type Config } from './platform/config.js';
import { DataDirInUseError } from './platform/data-dir-lock.js';
import { createLogger } from './platform/logger.js';
import { exitOnShutdownSignal } from './platform/shutdown.js';
import { CatalogError } from './score/catalog.js';
import { exitWithOneLine } from './platform/exit-with-one-line.js';

export { KEY_FILE_NAME, SQLITE_FILE_NAME } from './embedded.js';

export interface RunningServer {
  /** e.g. `http://127.0.0.1:3000` */
  url: string;
  app: FastifyInstance;
  /** Stops accepting, drains in-flight requests, stops services in reverse, closes storage. */
  stop(): Promise<void>;
}

/**
 * Builds the services named in `SERVICES` and starts listening: embedded (`embedded.ts`)
 * by default, distributed (`distributed.ts`) when `DATABASE_URL` and `REDIS_URL` are set.
 */
export async function startServer(config: Config, options: EmbeddedOptions & DistributedOptions = {}): Promise<RunningServer> {
  const embedded = config.databaseUrl === undefined ? await composeEmbedded(config, options) : await composeDistributed(config, options);
  try {
    // Fastify logs this line once listening: the one line API.md promises, with the real port.
    const address = await embedded.app.listen({
      port: config.port,
      host: config.host,
      listenTextResolver: (listening) => `live-leaderboard ready on ${listening} (services: ${[...config.services].join(',')})`,
    });
    return { url: address.replace('[::1]', 'localhost'), app: embedded.app, stop: embedded.close };
  } catch (error) {
    await embedded.close();
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

import type { Logger } from './logger.js';

export interface ShutdownOptions {
  /** Past this, the process exits with status 1 even if draining has not finished. @default 10000 */
  timeoutMs?: number;
  /** @default process.exit */
  exit?: (code: number) => void;
}

/**
 * On the first SIGTERM or SIGINT, runs `stop` (which drains and closes everything) and
 * exits 0; a second signal or the timeout exits at once with 1.
 */
export function exitOnShutdownSignal(stop: () => Promise<void>, logger: Logger, options: ShutdownOptions = {}): void {
  const { timeoutMs = 10_000, exit = (code: number) => process.exit(code) } = options;
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting without waiting');
      exit(1);
      return;
    }
    stopping = true;
    logger.info({ signal }, 'shutting down: draining in-flight work');
    const timer = setTimeout(() => {
      logger.error({ timeoutMs }, 'shutdown timed out');
      exit(1);
    }, timeoutMs);
    timer.unref();
    stop().then(
      () => {
        logger.info('stopped');
        exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

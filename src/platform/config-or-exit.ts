import { ConfigError, loadConfig, type Config } from './config.js';
import { exitWithOneLine } from './exit-with-one-line.js';

/**
 * The environment's configuration for a program started from the command line (the server,
 * `npm run backup`, `keys`, `credentials`); a bad value ends it with one line naming every
 * problem, never a stack trace.
 * @param program how the line starts, e.g. `live-leaderboard keys`
 */
export function configOrExit(program?: string): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) exitWithOneLine(error.message, program);
    throw error;
  }
}

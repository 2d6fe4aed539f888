/**
 * Ends a command-line program over a mistake that is the operator's to fix (configuration,
 * arguments, a data dir in use): one clear line on stderr, no stack trace, exit code 1.
 * @param program how the line starts, e.g. `live-leaderboard backup`
 */
export function exitWithOneLine(message: string, program = 'live-leaderboard'): never {
  process.stderr.write(`${program}: ${message}\n`);
  process.exit(1);
}

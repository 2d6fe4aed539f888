/**
 * `npm run backup -- [destination]`: copies the embedded DATA_DIR (database, signing keys,
 * ticket secret) into `destination` (default `./backups/<UTC time>`) while the server runs.
 * Restore: stop the server and start it with `DATA_DIR=<destination>` (or copy the files
 * into DATA_DIR). Distributed mode keeps its data in PostgreSQL: back that up with its tools.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { BackupError, backupEmbeddedData } from './storage/embedded-backup.js';
import { configOrExit } from './platform/config-or-exit.js';
import { exitWithOneLine } from './platform/exit-with-one-line.js';

const PROGRAM = 'live-leaderboard backup';

function sizeOf(bytes: number): string {
  if (bytes < 1e3) return `${bytes} B`;
  return bytes < 1e6 ? `${(bytes / 1e3).toFixed(1)} kB` : `${(bytes / 1e6).toFixed(1)} MB`;
}

function main(argv: readonly string[]): void {
  const config = configOrExit(PROGRAM);
  if (config.databaseUrl !== undefined) exitWithOneLine('DATABASE_URL is set: distributed data lives in PostgreSQL; back it up with pg_dump (Redis holds only what rebuilds from it).', PROGRAM);
  const { dataDir } = config;
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const destination = path.resolve(argv[0] ?? path.join('backups', stamp));
  const started = performance.now();
  try {
    const summary = backupEmbeddedData(dataDir, destination);
    const files = summary.files.map((file) => `${file.name} ${sizeOf(file.bytes)}`).join(', ');
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    process.stdout.write(`backed up ${dataDir} → ${destination} in ${seconds} s: ${summary.users} users, ${summary.ledgerRows} ledger rows (${files})\n`);
  } catch (error) {
    if (error instanceof BackupError) exitWithOneLine(error.message, PROGRAM);
    throw error;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main(process.argv.slice(2));

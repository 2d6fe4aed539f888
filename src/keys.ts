/**
 * `npm run keys -- list | rotate | retire [--now]`: the token signing keys of this
 * deployment — the file under DATA_DIR (embedded) or the `signing_keys` table
 * (`DATABASE_URL` set). Running servers follow without a restart: auth nodes sign with a
 * new active key within 10 s, verifiers drop a retired key within a minute.
 *
 * - `rotate`: a new key signs from now on; the old ones keep verifying what they signed.
 * - `retire`: drops keys replaced more than an access-token lifetime ago — every token
 *   they signed has expired, so nobody notices.
 * - `retire --now`: drops every replaced key at once (a key was stolen): tokens they signed
 *   stop verifying; players get new ones through their refresh token.
 */
import { pathToFileURL } from 'node:url';
import { ACCESS_TOKEN_TTL_SECONDS } from './auth/access-token.js';
import { FileKeyStore } from './auth/file-key-store.js';
import type { KeyStore } from './auth/key-store.js';
import { PostgresKeyStore } from './auth/postgres-key-store.js';
import { configOrExit } from './platform/config-or-exit.js';
import { createPostgresPool } from './platform/postgres.js';
import { exitWithOneLine } from './platform/exit-with-one-line.js';
import { dataDirFiles } from './storage/data-dir.js';

const PROGRAM = 'live-leaderboard keys';

const USAGE = 'usage: npm run keys -- list | rotate | retire [--now]';

async function main(argv: readonly string[]): Promise<void> {
  const [command, ...flags] = argv;
  if (!['list', 'rotate', 'retire'].includes(command ?? '') || flags.some((flag) => flag !== '--now') || (flags.length > 0 && command !== 'retire')) exitWithOneLine(USAGE, PROGRAM);
  const config = configOrExit(PROGRAM);
  const pool = config.databaseUrl === undefined ? undefined : createPostgresPool(config.databaseUrl, { max: 1 });
  const keyFile = dataDirFiles(config.dataDir).signingKeys;
  const store: KeyStore = pool ? new PostgresKeyStore(pool) : new FileKeyStore(keyFile);
  const where = pool ? 'PostgreSQL (signing_keys)' : keyFile;
  try {
    if (command === 'rotate') {
      const key = await store.rotate();
      process.stdout.write(`rotated in ${where}: ${key.kid} signs from now on (running auth nodes switch within 10 s)\n`);
    } else if (command === 'retire') {
      const cutoff = flags.includes('--now') ? new Date() : new Date(Date.now() - ACCESS_TOKEN_TTL_SECONDS * 1000);
      const retired = await store.retire(cutoff);
      process.stdout.write(
        retired.length === 0
          ? `nothing to retire in ${where}: no key was replaced before ${cutoff.toISOString()}\n`
          : `retired from ${where}: ${retired.join(', ')} (verifiers drop them within a minute)\n`,
      );
    }
    // Oldest first; the newest signs (marked *).
    const keys = await store.publicKeys();
    if (keys.length === 0) process.stdout.write(`no keys in ${where} yet: the server makes one when it first signs a token\n`);
    keys.forEach((key, i) => process.stdout.write(`${i === keys.length - 1 ? '* ' : '  '}${key.kid}\n`));
  } finally {
    await pool?.end();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main(process.argv.slice(2));

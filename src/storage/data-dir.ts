import path from 'node:path';

/**
 * Every file embedded mode keeps under DATA_DIR, named in this one place: the server, the
 * backup and the key tool all find them here.
 */
export const DATA_DIR_FILE_NAMES = {
  /** The SQLite database: users, refresh tokens, the ledger, board totals, bans, audit log. */
  database: 'live-leaderboard.db',
  /** The token signing keys (Ed25519, mode 0600). */
  signingKeys: 'signing-keys.json',
  /** The HMAC key of timed-action tickets (mode 0600). */
  ticketSecret: 'ticket-secret',
  /** Held by the one process serving this data dir (an OS file lock). */
  lock: 'live-leaderboard.lock',
} as const;

export type DataDirFiles = { readonly [name in keyof typeof DATA_DIR_FILE_NAMES]: string };

/** The absolute paths of DATA_DIR's files. */
export function dataDirFiles(dataDir: string): DataDirFiles {
  const at = (name: string) => path.join(dataDir, name);
  return {
    database: at(DATA_DIR_FILE_NAMES.database),
    signingKeys: at(DATA_DIR_FILE_NAMES.signingKeys),
    ticketSecret: at(DATA_DIR_FILE_NAMES.ticketSecret),
    lock: at(DATA_DIR_FILE_NAMES.lock),
  };
}

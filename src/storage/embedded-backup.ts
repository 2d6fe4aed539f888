import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { DATA_DIR_FILE_NAMES, dataDirFiles } from './data-dir.js';

export interface BackupSummary {
  /** The files written into the destination, with their sizes in bytes. */
  files: { name: string; bytes: number }[];
  users: number;
  ledgerRows: number;
}

/** The backup cannot be made as asked (a missing source, a destination in use). */
export class BackupError extends Error {
  override readonly name = 'BackupError';
}

/**
 * Copies an embedded `DATA_DIR` into `destination` (a new or empty directory) while the
 * server keeps running, so that `DATA_DIR=<destination>` starts a server with the same
 * players, scores and keys.
 *
 * The database is copied with `VACUUM INTO`, which reads it in one transaction: the copy is
 * one consistent moment even under writes (the online backup API would restart its copy at
 * every commit of the running server, and under steady play never finish), and in WAL mode
 * that reader blocks no writer. The signing keys and the ticket secret are copied too: without
 * them, every issued token and every started timed action would stop being valid.
 */
export function backupEmbeddedData(dataDir: string, destination: string): BackupSummary {
  const source = dataDirFiles(dataDir).database;
  const copied = dataDirFiles(destination);
  if (!fs.existsSync(source)) throw new BackupError(`There is no embedded database at ${source}: is DATA_DIR right?`);
  if (fs.existsSync(destination) && fs.readdirSync(destination).length > 0) {
    throw new BackupError(`${destination} is not empty: back up into a new or empty directory, so no earlier backup is overwritten.`);
  }
  fs.mkdirSync(destination, { recursive: true, mode: 0o700 });

  const db = new Database(source, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    db.prepare('VACUUM INTO ?').run(copied.database);
  } finally {
    db.close();
  }
  // The secrets are written once and never change; readable by their owner only, like the originals.
  for (const name of [DATA_DIR_FILE_NAMES.signingKeys, DATA_DIR_FILE_NAMES.ticketSecret]) {
    const from = path.join(dataDir, name);
    if (fs.existsSync(from)) fs.copyFileSync(from, path.join(destination, name), fs.constants.COPYFILE_EXCL);
    if (fs.existsSync(path.join(destination, name))) fs.chmodSync(path.join(destination, name), 0o600);
  }

  const copy = new Database(copied.database, { readonly: true, fileMustExist: true });
  try {
    const count = (table: string): number => (tableExists(copy, table) ? (copy.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n : 0);
    return {
      files: fs.readdirSync(destination).map((name) => ({ name, bytes: fs.statSync(path.join(destination, name)).size })),
      users: count('users'),
      ledgerRows: count('ledger'),
    };
  } finally {
    copy.close();
  }
}

function tableExists(db: Database.Database, table: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) !== undefined;
}

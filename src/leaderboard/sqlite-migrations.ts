import type { SqliteMigration } from '../platform/sqlite.js';

/** The leaderboard service's own table in the embedded database (its boards live in memory). */
export const LEADERBOARD_SQLITE_MIGRATIONS: readonly SqliteMigration[] = [
  {
    version: 1,
    name: 'board seq reservations',
    sql: `
      CREATE TABLE board_seq (
        board TEXT PRIMARY KEY,
        reserved INTEGER NOT NULL
      ) WITHOUT ROWID;
    `,
  },
];

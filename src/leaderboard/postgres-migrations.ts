import type { PostgresMigration } from '../platform/postgres.js';

/** The leaderboard service's own table in PostgreSQL (its boards live in Redis). */
export const LEADERBOARD_POSTGRES_MIGRATIONS: readonly PostgresMigration[] = [
  {
    version: 1,
    name: 'board seq reservations',
    sql: `
      CREATE TABLE board_seq (
        board TEXT PRIMARY KEY,
        reserved BIGINT NOT NULL
      );
    `,
  },
];

import { describe, expect, it } from 'vitest';
import { postgresAvailable, postgresTestPool } from '../../test/infrastructure.js';
import { AUTH_POSTGRES_MIGRATIONS } from '../auth/postgres-migrations.js';
import { applyPostgresMigrations } from '../platform/postgres.js';
import { SCORE_POSTGRES_MIGRATIONS } from '../score/postgres-migrations.js';
import { PostgresBoardTotalsReader } from './postgres-board-totals-reader.js';
import { PostgresUserDirectory } from './postgres-user-directory.js';

const pool = postgresAvailable ? await postgresTestPool() : undefined;
if (pool) {
  await applyPostgresMigrations(pool, 'auth', AUTH_POSTGRES_MIGRATIONS);
  await applyPostgresMigrations(pool, 'score', SCORE_POSTGRES_MIGRATIONS);
}

describe.skipIf(!postgresAvailable)('PostgreSQL readers of the leaderboard', () => {
  it('reads every total of one board period, page by page, and one user’s', async () => {
    const db = pool as NonNullable<typeof pool>;
    await db.query(
      `INSERT INTO board_totals (board, period, user_id, score, reached_at)
       SELECT 'global', 'all', 'u' || lpad(i::text, 3, '0'), i, 1000 + i FROM generate_series(1, 25) AS i
       UNION ALL SELECT 'daily', '2026-11-27', 'u001', 7, 5`,
    );
    const reader = new PostgresBoardTotalsReader(db, 10);
    const rows = [...(await reader.totals('global', 'all'))];
    expect(rows).toHaveLength(25);
    expect(rows[24]).toEqual(['u025', 25, 1025]);
    expect([...(await reader.totals('daily', '2026-11-27'))]).toEqual([['u001', 7, 5]]);
    expect(await reader.totalOf('global', 'all', 'u007')).toEqual(['u007', 7, 1007]);
    expect(await reader.totalOf('global', 'all', 'nobody')).toBeUndefined();
  });

  it('names users, leaving unknown ids out', async () => {
    const db = pool as NonNullable<typeof pool>;
    await db.query(
      "INSERT INTO users (id, username, username_key, password_hash, created_at) VALUES ('id-1', 'Ada', 'ada', 'x', now()), ('id-2', 'Bob', 'bob', 'x', now())",
    );
    const directory = new PostgresUserDirectory(db);
    expect(await directory.usernames(['id-1', 'id-2', 'id-3'])).toEqual(new Map([['id-1', 'Ada'], ['id-2', 'Bob']]));
    expect(await directory.usernames(['id-2'])).toEqual(new Map([['id-2', 'Bob']]));
  });
});

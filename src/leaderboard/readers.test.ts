import path from 'node:path';
import { onTestFinished } from 'vitest';
import { temporaryDirectory } from '../../test/helpers.js';
import { postgresAvailable, postgresTestPool } from '../../test/infrastructure.js';
import { AUTH_POSTGRES_MIGRATIONS } from '../auth/postgres-migrations.js';
import { AUTH_SQLITE_MIGRATIONS } from '../auth/sqlite-migrations.js';
import { applyPostgresMigrations } from '../platform/postgres.js';
import { applySqliteMigrations, openSqliteDatabase } from '../platform/sqlite.js';
import { SCORE_POSTGRES_MIGRATIONS } from '../score/postgres-migrations.js';
import { SCORE_SQLITE_MIGRATIONS } from '../score/sqlite-migrations.js';
import { PostgresBoardTotalsReader } from './postgres-board-totals-reader.js';
import { PostgresUserDirectory } from './postgres-user-directory.js';
import { describeBoardTotalsReader, describeUserDirectory } from './readers.contract.js';
import { SqliteBoardTotalsReader } from './sqlite-board-totals-reader.js';
import { SqliteUserDirectory } from './sqlite-user-directory.js';

function sqlite() {
  const db = openSqliteDatabase(path.join(temporaryDirectory(), 'readers.db'));
  onTestFinished(() => void db.close());
  applySqliteMigrations(db, 'auth', AUTH_SQLITE_MIGRATIONS);
  applySqliteMigrations(db, 'score', SCORE_SQLITE_MIGRATIONS);
  return db;
}

describeBoardTotalsReader('SQLite', async () => {
  const db = sqlite();
  const insert = db.prepare('INSERT INTO board_totals (board, period, user_id, score, reached_at) VALUES (?, ?, ?, ?, ?)');
  return {
    reader: new SqliteBoardTotalsReader(db),
    write: async (rows) => rows.forEach(({ board, period, row }) => insert.run(board, period, ...row)),
  };
});

describeUserDirectory('SQLite', async () => {
  const db = sqlite();
  const insert = db.prepare("INSERT INTO users (id, username, username_key, password_hash, created_at) VALUES (?, ?, ?, 'x', '2026-11-27')");
  return { directory: new SqliteUserDirectory(db), addUser: async (id, username) => void insert.run(id, username, username.toLowerCase()) };
});

if (postgresAvailable) {
  const pool = await postgresTestPool();
  await applyPostgresMigrations(pool, 'auth', AUTH_POSTGRES_MIGRATIONS);
  await applyPostgresMigrations(pool, 'score', SCORE_POSTGRES_MIGRATIONS);

  // A small page size, so the contract's 25 rows take several pages.
  describeBoardTotalsReader('PostgreSQL', async () => {
    await pool.query('TRUNCATE board_totals');
    return {
      reader: new PostgresBoardTotalsReader(pool, 10),
      write: async (rows) => {
        for (const { board, period, row } of rows) {
          await pool.query('INSERT INTO board_totals (board, period, user_id, score, reached_at) VALUES ($1, $2, $3, $4, $5)', [board, period, ...row]);
        }
      },
    };
  });

  describeUserDirectory('PostgreSQL', async () => {
    await pool.query('TRUNCATE users CASCADE');
    return {
      directory: new PostgresUserDirectory(pool),
      addUser: async (id, username) =>
        void (await pool.query("INSERT INTO users (id, username, username_key, password_hash, created_at) VALUES ($1, $2, $3, 'x', now())", [id, username, username.toLowerCase()])),
    };
  });
}

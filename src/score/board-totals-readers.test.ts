import path from 'node:path';
import { onTestFinished } from 'vitest';
import { temporaryDirectory } from '../../test/helpers.js';
import { postgresAvailable, postgresTestPool } from '../../test/infrastructure.js';
import { openSqliteDatabase } from '../platform/sqlite.js';
import { migrateEmbeddedSchema, migratePostgresSchema } from '../storage/schema.js';
import { describeBoardTotalsReader } from './board-totals-reader.contract.js';
import { PostgresBoardTotalsReader } from './postgres-board-totals-reader.js';
import { SqliteBoardTotalsReader } from './sqlite-board-totals-reader.js';

describeBoardTotalsReader('SQLite', async () => {
  const db = openSqliteDatabase(path.join(temporaryDirectory(), 'totals.db'));
  onTestFinished(() => void db.close());
  migrateEmbeddedSchema(db);
  const insert = db.prepare('INSERT INTO board_totals (board, period, user_id, score, reached_at) VALUES (?, ?, ?, ?, ?)');
  return {
    reader: new SqliteBoardTotalsReader(db),
    write: async (rows) => rows.forEach(({ board, period, row }) => insert.run(board, period, ...row)),
  };
});

if (postgresAvailable) {
  const pool = await postgresTestPool();
  await migratePostgresSchema(pool);
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
}

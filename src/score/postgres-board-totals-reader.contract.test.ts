import { describe } from 'vitest';
import { emptied, migratedPostgresPool } from '../../test/infrastructure.js';
import { describeBoardTotalsReader } from './board-totals-reader.contract.js';
import { PostgresBoardTotalsReader } from './postgres-board-totals-reader.js';

const pool = await migratedPostgresPool();

describe.skipIf(!pool)('PostgresBoardTotalsReader', () => {
  // A small page size, so the contract's 25 rows take several pages.
  describeBoardTotalsReader('PostgreSQL', async () => {
    const db = await emptied(pool, 'board_totals');
    return {
      reader: new PostgresBoardTotalsReader(db, 10),
      write: async (rows) => {
        for (const { board, period, row } of rows) {
          await db.query('INSERT INTO board_totals (board, period, user_id, score, reached_at, version) VALUES ($1, $2, $3, $4, $5, $6)', [board, period, ...row]);
        }
      },
    };
  });
});

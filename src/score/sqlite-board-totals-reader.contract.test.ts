import { embeddedDatabase } from '../../test/helpers.js';
import { describeBoardTotalsReader } from './board-totals-reader.contract.js';
import { SqliteBoardTotalsReader } from './sqlite-board-totals-reader.js';

describeBoardTotalsReader('SQLite', async () => {
  const db = embeddedDatabase();
  const insert = db.prepare('INSERT INTO board_totals (board, period, user_id, score, reached_at, version) VALUES (?, ?, ?, ?, ?, ?)');
  return {
    reader: new SqliteBoardTotalsReader(db),
    write: async (rows) => rows.forEach(({ board, period, row }) => insert.run(board, period, ...row)),
  };
});

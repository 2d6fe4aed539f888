import type { SqliteDatabase } from '../platform/sqlite.js';
import type { BoardTotalsReader, TotalRow } from './board-totals-reader.js';

/** `BoardTotalsReader` over the embedded `board_totals` table (written by the score service). */
export class SqliteBoardTotalsReader implements BoardTotalsReader {
  private readonly byBoard;
  private readonly one;

  constructor(db: SqliteDatabase) {
    this.byBoard = db
      .prepare<[string, string], [string, number, number, number]>('SELECT user_id, score, reached_at, version FROM board_totals WHERE board = ? AND period = ?')
      .raw();
    this.one = db
      .prepare<[string, string, string], [string, number, number, number]>(
        'SELECT user_id, score, reached_at, version FROM board_totals WHERE board = ? AND period = ? AND user_id = ?',
      )
      .raw();
  }

  async totals(board: string, period: string): Promise<Iterable<TotalRow>> {
    // Streamed: a million-row board never exists as one array of rows.
    return this.byBoard.iterate(board, period);
  }

  async totalOf(board: string, period: string, userId: string): Promise<TotalRow | undefined> {
    return this.one.get(board, period, userId);
  }
}

import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from '../platform/sqlite.js';
import type { BoardTotalsReader, TotalRow } from './board-totals-reader.js';

/**
 * `BoardTotalsReader` over the embedded `board_totals` table (written by the score service).
 * `beforeRead` brings the table up to date first: the ledger writes totals behind its rows
 * (`SqliteLedger.flushTotals`).
 */
export class SqliteBoardTotalsReader implements BoardTotalsReader {
  private readonly byBoard;
  private readonly one;
  private readonly topStatements: Record<'asc' | 'desc', Statement<[string, string, number], [string, number, number, number]>>;

  constructor(
    db: SqliteDatabase,
    private readonly beforeRead: () => void = () => {},
  ) {
    this.byBoard = db
      .prepare<[string, string], [string, number, number, number]>('SELECT user_id, score, reached_at, version FROM board_totals WHERE board = ? AND period = ?')
      .raw();
    this.one = db
      .prepare<[string, string, string], [string, number, number, number]>(
        'SELECT user_id, score, reached_at, version FROM board_totals WHERE board = ? AND period = ? AND user_id = ?',
      )
      .raw();
    const topIn = (direction: 'ASC' | 'DESC') =>
      db
        .prepare<[string, string, number], [string, number, number, number]>(
          `SELECT user_id, score, reached_at, version FROM board_totals WHERE board = ? AND period = ? ORDER BY score ${direction}, reached_at, user_id LIMIT ?`,
        )
        .raw();
    this.topStatements = { asc: topIn('ASC'), desc: topIn('DESC') };
  }

  async totals(board: string, period: string): Promise<Iterable<TotalRow>> {
    this.beforeRead();
    // Streamed: a million-row board never exists as one array of rows.
    return this.byBoard.iterate(board, period);
  }

  async totalOf(board: string, period: string, userId: string): Promise<TotalRow | undefined> {
    this.beforeRead();
    return this.one.get(board, period, userId);
  }

  async top(board: string, period: string, order: 'asc' | 'desc', limit: number): Promise<TotalRow[]> {
    this.beforeRead();
    return this.topStatements[order].all(board, period, limit);
  }
}

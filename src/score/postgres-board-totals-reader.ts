import type { PostgresPool } from '../platform/postgres.js';
import type { BoardTotalsReader, TotalRow } from './board-totals-reader.js';

/** `BoardTotalsReader` over PostgreSQL's `board_totals` (written by the score nodes). */
export class PostgresBoardTotalsReader implements BoardTotalsReader {
  constructor(
    private readonly pool: PostgresPool,
    /** Rows per round trip while a board is rebuilt. */
    private readonly pageSize = 50_000,
  ) {}

  async totals(board: string, period: string): Promise<Iterable<TotalRow>> {
    // Paged by key (not OFFSET), and gathered before loading: a rebuild holds the rows of one
    // board period for a moment, which Redis needs in memory anyway.
    const rows: TotalRow[] = [];
    let after = '';
    for (;;) {
      const page = await this.pool.query<{ user_id: string; score: number; reached_at: string; version: string }>(
        `SELECT user_id, score, reached_at, version FROM board_totals
         WHERE board = $1 AND period = $2 AND user_id > $3 ORDER BY user_id LIMIT $4`,
        [board, period, after, this.pageSize],
      );
      for (const row of page.rows) rows.push([row.user_id, row.score, Number(row.reached_at), Number(row.version)]);
      if (page.rows.length < this.pageSize) return rows;
      after = (page.rows.at(-1) as { user_id: string }).user_id;
    }
  }

  async totalOf(board: string, period: string, userId: string): Promise<TotalRow | undefined> {
    const { rows } = await this.pool.query<{ score: number; reached_at: string; version: string }>(
      'SELECT score, reached_at, version FROM board_totals WHERE board = $1 AND period = $2 AND user_id = $3',
      [board, period, userId],
    );
    return rows[0] && [userId, rows[0].score, Number(rows[0].reached_at), Number(rows[0].version)];
  }

  async top(board: string, period: string, order: 'asc' | 'desc', limit: number): Promise<TotalRow[]> {
    // COLLATE "C": user ids compare by bytes, as the rank indexes compare them.
    const { rows } = await this.pool.query<{ user_id: string; score: number; reached_at: string; version: string }>(
      `SELECT user_id, score, reached_at, version FROM board_totals WHERE board = $1 AND period = $2
       ORDER BY score ${order === 'asc' ? 'ASC' : 'DESC'}, reached_at, user_id COLLATE "C" LIMIT $3`,
      [board, period, limit],
    );
    return rows.map((row) => [row.user_id, row.score, Number(row.reached_at), Number(row.version)]);
  }
}

import type { PostgresPool } from '../platform/postgres.js';

/**
 * How far each board's `seq` may have gone, kept in PostgreSQL for when Redis loses its
 * counter together with every leaderboard node that knew it (one host down): the counter
 * then starts again above it, and realtime nodes that kept running do not take every new
 * update for an old one. Nodes reserve ahead in blocks (one write per `blockSize` changes).
 * Expects `LEADERBOARD_POSTGRES_MIGRATIONS` applied.
 */
export class PostgresSeqFloor {
  private readonly reservedUpTo = new Map<string, number>();

  constructor(
    private readonly pool: PostgresPool,
    private readonly blockSize = 1_000,
  ) {}

  /** The highest seq any node may have handed out for `board` (0 when none). */
  async floor(board: string): Promise<number> {
    const { rows } = await this.pool.query<{ reserved: string }>('SELECT reserved FROM board_seq WHERE board = $1', [board]);
    return Number(rows[0]?.reserved ?? 0);
  }

  /** Makes sure `seq` is covered by a reservation before it is handed out. */
  async cover(board: string, seq: number): Promise<void> {
    if (seq <= (this.reservedUpTo.get(board) ?? 0)) return;
    const upTo = seq + this.blockSize;
    await this.pool.query(
      `INSERT INTO board_seq (board, reserved) VALUES ($1, $2)
       ON CONFLICT (board) DO UPDATE SET reserved = GREATEST(board_seq.reserved, excluded.reserved)`,
      [board, upTo],
    );
    this.reservedUpTo.set(board, upTo);
  }
}

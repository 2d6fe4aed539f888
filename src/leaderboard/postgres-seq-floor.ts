import type { PostgresPool } from '../platform/postgres.js';
import { BlockSeqFloor } from './seq-floor.js';

/** `SeqFloor` in PostgreSQL's `board_seq`, shared by every leaderboard node (expects `LEADERBOARD_POSTGRES_MIGRATIONS`). */
export class PostgresSeqFloor extends BlockSeqFloor {
  constructor(pool: PostgresPool, blockSize?: number) {
    super(
      {
        read: async (board) => Number((await pool.query<{ reserved: string }>('SELECT reserved FROM board_seq WHERE board = $1', [board])).rows[0]?.reserved ?? 0),
        raise: async (board, upTo) => {
          await pool.query(
            `INSERT INTO board_seq (board, reserved) VALUES ($1, $2)
             ON CONFLICT (board) DO UPDATE SET reserved = GREATEST(board_seq.reserved, excluded.reserved)`,
            [board, upTo],
          );
        },
      },
      blockSize,
    );
  }
}

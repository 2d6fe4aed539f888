import type { SqliteDatabase } from '../platform/sqlite.js';
import { BlockSeqFloor } from './seq-floor.js';

/** `SeqFloor` in the embedded database's `board_seq` (expects `LEADERBOARD_SQLITE_MIGRATIONS`). */
export class SqliteSeqFloor extends BlockSeqFloor {
  constructor(db: SqliteDatabase, blockSize?: number) {
    const read = db.prepare<[string], { reserved: number }>('SELECT reserved FROM board_seq WHERE board = ?');
    const raise = db.prepare(
      'INSERT INTO board_seq (board, reserved) VALUES (?, ?) ON CONFLICT (board) DO UPDATE SET reserved = max(reserved, excluded.reserved)',
    );
    super(
      {
        read: async (board) => read.get(board)?.reserved ?? 0,
        raise: async (board, upTo) => void raise.run(board, upTo),
      },
      blockSize,
    );
  }
}

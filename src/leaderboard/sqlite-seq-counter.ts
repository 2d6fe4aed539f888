import type { SqliteDatabase } from '../platform/sqlite.js';

/**
 * Board `seq` counters that keep growing across restarts of an embedded process (API.md:
 * "`seq` only grows"), so a client that remembers the last seq it saw never takes a
 * restarted server's updates for old ones. Values are reserved in blocks, as database
 * sequences cache theirs: one write per `blockSize` changes, and a process that dies
 * however it dies resumes after its last reservation (skipping the rest of that block).
 * Expects `LEADERBOARD_SQLITE_MIGRATIONS` applied.
 */
export class SqliteSeqCounter {
  private readonly next = new Map<string, number>();
  private readonly reservedUpTo = new Map<string, number>();
  private readonly statements;

  constructor(
    db: SqliteDatabase,
    private readonly blockSize = 1_000,
  ) {
    this.statements = {
      reserved: db.prepare<[string], { reserved: number }>('SELECT reserved FROM board_seq WHERE board = ?'),
      reserve: db.prepare('INSERT INTO board_seq (board, reserved) VALUES (?, ?) ON CONFLICT (board) DO UPDATE SET reserved = excluded.reserved'),
    };
  }

  nextSeq(board: string): number {
    const seq = this.next.get(board) ?? (this.statements.reserved.get(board)?.reserved ?? 0) + 1;
    if (seq > (this.reservedUpTo.get(board) ?? 0)) {
      const upTo = seq + this.blockSize - 1;
      this.statements.reserve.run(board, upTo);
      this.reservedUpTo.set(board, upTo);
    }
    this.next.set(board, seq + 1);
    return seq;
  }
}

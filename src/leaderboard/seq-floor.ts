/**
 * Port: how far each board's `seq` may have gone, kept where it outlives the counter (SQLite
 * embedded, PostgreSQL distributed). A counter that starts again — an embedded restart, or
 * Redis losing its counter together with the leaderboard nodes — starts above `floor`, so
 * clients and realtime nodes never take a new update for an old one (docs/API.md: "`seq` only
 * grows").
 */
export interface SeqFloor {
  /** The highest seq any process may have handed out for `board` (0 when none). */
  floor(board: string): Promise<number>;
  /** Makes sure `seq` is covered by a reservation before it is handed out. */
  cover(board: string, seq: number): Promise<void>;
}

/** Where an adapter reads and raises a board's reservation. */
export interface SeqReservationStorage {
  read(board: string): Promise<number>;
  /** Raises the reservation to `upTo` unless it is higher already. */
  raise(board: string, upTo: number): Promise<void>;
}

/**
 * A `SeqFloor` that reserves ahead in blocks, as database sequences cache theirs: one write
 * per `blockSize` seqs, and a process that dies however it dies leaves a floor above every
 * seq it handed out. The adapters only say how a reservation is stored.
 */
export class BlockSeqFloor implements SeqFloor {
  /** Per board, the latest reservation: how far it reaches and its write (shared by concurrent callers). */
  private readonly reserved = new Map<string, { upTo: number; written: Promise<void> }>();

  constructor(
    private readonly storage: SeqReservationStorage,
    private readonly blockSize = 1_000,
  ) {}

  floor(board: string): Promise<number> {
    return this.storage.read(board);
  }

  cover(board: string, seq: number): Promise<void> {
    const current = this.reserved.get(board);
    if (current && seq <= current.upTo) return current.written;
    const upTo = seq + this.blockSize;
    const reservation = { upTo, written: this.storage.raise(board, upTo) };
    this.reserved.set(board, reservation);
    // A failed write covers nothing: the next caller writes again.
    reservation.written.catch(() => {
      if (this.reserved.get(board) === reservation) this.reserved.delete(board);
    });
    return reservation.written;
  }
}

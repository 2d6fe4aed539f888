/** `[userId, score, reachedAt, version]`, the shape a board is rebuilt from. */
export type TotalRow = readonly [userId: string, score: number, reachedAt: number, version: number];

/**
 * Port: the ledger's board totals, read back. The rank index is a cache of these: it is
 * rebuilt from them at start and a user's entries are restored from them on unban.
 */
export interface BoardTotalsReader {
  /** Every row of one board period; iterated once, so adapters may stream it. */
  totals(board: string, period: string): Promise<Iterable<TotalRow>>;
  totalOf(board: string, period: string, userId: string): Promise<TotalRow | undefined>;
  /**
   * The first `limit` totals of a board period in rank order (value in the board's `order`,
   * then earlier reachedAt, then user id): a closed period's final standings, read from the
   * ledger's side rather than the rank index, which may not have every late event yet.
   */
  top(board: string, period: string, order: 'asc' | 'desc', limit: number): Promise<TotalRow[]>;
}

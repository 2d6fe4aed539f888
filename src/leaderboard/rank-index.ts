/** A ranked user: 1-based unique rank, score, and when the score was reached (ms). */
export interface RankedEntry {
  rank: number;
  userId: string;
  score: number;
  reachedAt: number;
}

/** `[userId, score, reachedAt]`: one user's total as a board is rebuilt from storage. */
export type RankRow = readonly [userId: string, score: number, reachedAt: number];

/**
 * Port: one ranked board (one period of one board). Order: score descending, then the
 * time the score was reached ascending (who got there first ranks higher), then user id,
 * so ranks are unique and the same in every adapter.
 *
 * Scores only grow (every action adds points), so `set` keeps a user's higher score and
 * ignores an equal or lower one: a repeated or late event never moves a user backwards.
 */
export interface RankIndex {
  /** @returns true when the user's entry changed */
  set(userId: string, score: number, reachedAt: number): Promise<boolean>;
  /** @returns true when the user was ranked */
  remove(userId: string): Promise<boolean>;
  rankOf(userId: string): Promise<RankedEntry | undefined>;
  /** Entries ranked `offset + 1` … `offset + limit`. */
  range(offset: number, limit: number): Promise<RankedEntry[]>;
  count(): Promise<number>;
  /**
   * Adds many users at once, as a board is rebuilt from the database: far faster than one
   * `set` per row. The `set` rule holds per row — a user already ranked, or repeated in
   * `rows`, keeps the higher score (the first of equal ones).
   */
  load(rows: Iterable<RankRow>): Promise<void>;
  /** Forgets every user. */
  clear(): Promise<void>;
  /**
   * Replaces every entry with `rows` (as `clear` then `load`), but readers see the old
   * entries until the new ones are complete, never a half-loaded board.
   */
  replace(rows: Iterable<RankRow>): Promise<void>;
}

/** A ranked user: 1-based unique rank, value (`score`), and when the value was reached (ms). */
export interface RankedEntry {
  rank: number;
  userId: string;
  score: number;
  reachedAt: number;
}

/** `[userId, score, reachedAt, version]`: one user's total as a board is rebuilt from storage. */
export type RankRow = readonly [userId: string, score: number, reachedAt: number, version: number];

/**
 * Port: one ranked board (one period of one board), in the board's `order`: by value
 * (descending for `desc`, ascending for `asc`), then the time the value was reached
 * ascending (who got there first ranks higher), then user id, so ranks are unique and the
 * same in every adapter.
 *
 * Values can go down (`last` and `min` boards), so order of arrival decides nothing: each
 * entry carries the `version` of the action that set it (its ledger sequence), and `set`
 * applies an entry only when its version is newer than the one held. A repeated or late
 * event never undoes a newer one.
 */
export interface RankIndex {
  /** @returns true when the user's ranked entry changed (value or time reached) */
  set(userId: string, score: number, reachedAt: number, version: number): Promise<boolean>;
  /** @returns true when the user was ranked */
  remove(userId: string): Promise<boolean>;
  rankOf(userId: string): Promise<RankedEntry | undefined>;
  /** Entries ranked `offset + 1` … `offset + limit`. */
  range(offset: number, limit: number): Promise<RankedEntry[]>;
  count(): Promise<number>;
  /**
   * Adds many users at once, as a board is rebuilt from the database: far faster than one
   * `set` per row. The `set` rule holds per row — a user already ranked, or repeated in
   * `rows`, keeps the newest version (the first of equal ones).
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

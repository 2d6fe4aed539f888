/**
 * Every event that crosses the bus, as one discriminated union keyed by `type`. Adapters
 * (in-process now, Redis Streams / pub/sub in distributed mode) carry these unchanged.
 */

/** A board total after an accepted action. */
export interface BoardTotal {
  board: string;
  /** The period key (`all`, `2026-11-27`, the week's Monday, `2026-11`, a season's start). */
  period: string;
  /** The player's value on the board (the aggregate of the board's metric). */
  score: number;
  /** When the user reached `score` (ms since the epoch): the tie-break, earlier ranks higher. */
  reachedAt: number;
  /**
   * The ledger sequence of the action: the rank index applies a total only when it is newer
   * than the one it holds. Absent on events written by 0.1.0, whose `actionId` is that sequence.
   */
  version?: number;
}

/** Score → leaderboard: an action was committed to the ledger. */
export interface ScoreUpdated {
  type: 'score.updated';
  actionId: string;
  userId: string;
  points: number;
  /** The metric values the action yielded (absent on events written by 0.1.0: points only). */
  values?: Record<string, number>;
  /** ms since the epoch */
  at: number;
  /** The boards the action counted on. */
  totals: BoardTotal[];
}

/** Admin → every service: the user may no longer score, and leaves every board. */
export interface UserBanned {
  type: 'user.banned';
  userId: string;
}

/** Admin → every service: the user's ledger counts again. */
export interface UserUnbanned {
  type: 'user.unbanned';
  userId: string;
}

/** Moderation → every node: a server credential was revoked; its secret works no more. */
export interface CredentialRevoked {
  type: 'credential.revoked';
  name: string;
}

/** An entry of a ranked board as clients see it. */
export interface BoardEntry {
  rank: number;
  userId: string;
  username: string;
  score: number;
}

/** Leaderboard → realtime: the top of a board changed; `top` is its first 100 entries. */
export interface BoardChanged {
  type: 'board.changed';
  board: string;
  seq: number;
  top: BoardEntry[];
}

/** Leaderboard → realtime: a user's rank or score on a board changed. */
export interface UserRank {
  type: 'user.rank';
  userId: string;
  board: string;
  rank: number;
  score: number;
}

/**
 * Leaderboard → realtime: the ranks of a board's current period whose entry changed in one
 * flush, as inclusive ranges `[from, to]` (`to` null: to the end of the board). A player who
 * moves from rank a to rank b moves everyone between; one who enters or leaves moves everyone
 * below. A realtime node refreshes only the around-me windows these ranges touch.
 */
export interface RanksMoved {
  type: 'ranks.moved';
  board: string;
  seq: number;
  ranges: [from: number, to: number | null][];
}

export type BusEvent = ScoreUpdated | UserBanned | UserUnbanned | CredentialRevoked | BoardChanged | UserRank | RanksMoved;
export type BusEventType = BusEvent['type'];
export type BusEventOf<T extends BusEventType> = Extract<BusEvent, { type: T }>;

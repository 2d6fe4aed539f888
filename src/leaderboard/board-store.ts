import type { Order } from '../platform/boards.js';
import type { BoardChanged } from '../platform/events.js';
import type { RankIndex } from './rank-index.js';

/**
 * Port: where the leaderboard keeps its boards — one rank index per board period, each
 * board's change counter and its last published top. In-process for embedded mode; Redis
 * in distributed mode, where every leaderboard and realtime node shares them.
 */
export interface BoardStore {
  /** The index of one board period, ranking in the board's `order` (created empty when new). */
  index(board: string, period: string, order: Order): RankIndex;
  /**
   * Whether the index of this period still holds what was loaded into it. A fresh process
   * (embedded) or a Redis that lost its data (distributed) answers false: rebuild it.
   */
  isLoaded(board: string, period: string): Promise<boolean>;
  markLoaded(board: string, period: string): Promise<void>;
  /** Forgets a past period's index (its totals stay in the ledger). */
  drop(board: string, period: string): Promise<void>;
  /**
   * Forgets every period of `board` older than `oldestKept` (period keys are ISO dates, so
   * they sort by time), including ones a stopped node never got to drop.
   */
  dropPeriodsBefore(board: string, oldestKept: string): Promise<void>;
  /** The next `board.changed` seq: it only ever grows, across restarts of a leaderboard node too. */
  nextSeq(board: string): Promise<number>;
  /** Keeps the last published change, so a realtime node starting later begins from it. */
  saveTop(change: BoardChanged): Promise<void>;
  lastTop(board: string): Promise<BoardChanged | undefined>;
}

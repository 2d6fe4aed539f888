import type { UserDirectory } from '../auth/index.js';
import type { BoardDefinition } from '../platform/boards.js';
import type { BoardEntry } from '../platform/events.js';
import { endedPeriodKeys } from '../platform/periods.js';
import type { BanList } from './ban-list.js';
import type { WebhookOutbox } from './webhook-outbox.js';

/** The final standings a `period.closed` carries. */
export const CLOSED_TOP_SIZE = 100;

/**
 * Port: a board period's first totals in rank order, as `[userId, value, reachedAt, …]`.
 * The score service's board totals reader is one (the ledger's side, which has every late
 * commit, unlike the rank index).
 */
export interface FinalStandings {
  top(board: string, period: string, order: 'asc' | 'desc', limit: number): Promise<readonly (readonly [userId: string, score: number, ...rest: number[]])[]>;
}

export interface PeriodCloserDeps {
  boards: readonly BoardDefinition[];
  outbox: WebhookOutbox;
  totals: FinalStandings;
  directory: UserDirectory;
  bans: BanList;
  /**
   * How long after a period's end its standings are read: an action taken just before
   * midnight may commit (group commit, another score node) a moment after it. @default 2000
   */
  graceMs?: number;
  /**
   * Whether anyone hears the announcements (webhook receivers are configured): without, a
   * period is only recorded closed and its final top is not read (about 100 ms of SQLite on a
   * million-player period). @default true
   */
  announce?: boolean;
  /** @default Date.now */
  now?: () => number;
}

/**
 * Announces every period end once (`period.closed` with the final top 100): each day, week
 * or month a calendar board turns, and each season that closes. Every node that runs the
 * leaderboard runs one, every second; the outbox's record of closed periods makes the
 * announcement happen exactly once across nodes, and a node that was down across an end
 * announces it when it comes back (periods since the board was first watched, never older).
 */
export class PeriodCloser {
  private readonly graceMs: number;
  private readonly now: () => number;
  /** Board → since when it is watched (read once). */
  private readonly watched = new Map<string, number>();
  /** `board period` keys known closed: the common case (nothing ended) costs no query. */
  private readonly closed = new Set<string>();

  constructor(private readonly deps: PeriodCloserDeps) {
    this.graceMs = deps.graceMs ?? 2_000;
    this.now = deps.now ?? Date.now;
  }

  /** Closes every period that ended (more than the grace ago) and was not closed yet. */
  async check(): Promise<void> {
    const now = this.now();
    for (const board of this.deps.boards) {
      if (board.period === 'all-time') continue;
      let since = this.watched.get(board.id);
      if (since === undefined) {
        since = await this.deps.outbox.watchedSince(board.id, now);
        this.watched.set(board.id, since);
      }
      for (const period of endedPeriodKeys(board.period, since, now - this.graceMs)) {
        const key = `${board.id} ${period}`;
        if (this.closed.has(key)) continue;
        if (!(await this.deps.outbox.isClosed(board.id, period))) {
          const entries = this.deps.announce === false ? [] : await this.finalTop(board, period);
          await this.deps.outbox.closePeriod(board.id, period, { type: 'period.closed', data: { board: board.id, period, entries } }, now);
        }
        this.closed.add(key);
      }
    }
  }

  private async finalTop(board: BoardDefinition, period: string): Promise<BoardEntry[]> {
    const banned = new Set(await this.deps.bans.list());
    // Banned players are on no board: read past as many as there are.
    const rows = (await this.deps.totals.top(board.id, period, board.order, CLOSED_TOP_SIZE + banned.size)).filter(([userId]) => !banned.has(userId)).slice(0, CLOSED_TOP_SIZE);
    const names = await this.deps.directory.usernames(rows.map(([userId]) => userId));
    return rows.map(([userId, score], i) => ({ rank: i + 1, userId, username: names.get(userId) ?? userId, score }));
  }
}

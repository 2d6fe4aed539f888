import type { BoardDefinition } from '../platform/boards.js';
import { periodEndsAt, periodKey } from '../platform/boards.js';
import type { EventBus } from '../platform/event-bus.js';
import type { BoardEntry, ScoreUpdated } from '../platform/events.js';
import type { BanList } from '../score/ban-list.js';
import type { BoardTotalsReader } from './board-totals-reader.js';
import { InMemoryRankIndex } from './in-memory-rank-index.js';
import type { RankedEntry } from './rank-index.js';
import type { UserDirectory } from './user-directory.js';

/** How many entries `board.changed` carries and whose change it watches. */
export const TOP_SIZE = 100;

export interface LeaderboardDeps {
  boards: readonly BoardDefinition[];
  totals: BoardTotalsReader;
  directory: UserDirectory;
  bans: BanList;
  bus: EventBus;
  /** @default Date.now */
  now?: () => number;
}

export interface BoardPage {
  board: string;
  seq: number;
  total: number;
  entries: BoardEntry[];
}

interface BoardState {
  definition: BoardDefinition;
  /** Period key → index; the current period and up to `retainPastPeriods` before it. */
  periods: Map<string, InMemoryRankIndex>;
  seq: number;
  /** The top as last published, to tell whether it changed. */
  lastTop: string;
  /** Users whose entry changed since the last flush. */
  changedUsers: Set<string>;
}

/**
 * The leaderboard service's rules, HTTP-free: keeps one rank index per board and period,
 * applies `score.updated` events, answers queries, and after each batch of changes tells
 * the bus what moved (`board.changed` when a top 100 changed, `user.rank` per moved user).
 */
export class LeaderboardService {
  private readonly boards = new Map<string, BoardState>();
  private readonly now: () => number;
  private flushScheduled = false;
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly deps: LeaderboardDeps) {
    this.now = deps.now ?? Date.now;
    for (const definition of deps.boards) {
      this.boards.set(definition.id, { definition, periods: new Map(), seq: 0, lastTop: '', changedUsers: new Set() });
    }
  }

  /** Rebuilds every board's current period from the ledger's totals, then follows the bus. */
  async start(): Promise<void> {
    const now = this.now();
    const banned = await this.deps.bans.list();
    for (const state of this.boards.values()) {
      const period = periodKey(state.definition.period, now);
      const index = new InMemoryRankIndex();
      index.loadRows(await this.deps.totals.totals(state.definition.id, period));
      for (const userId of banned) index.removeSync(userId);
      state.periods.set(period, index);
      state.lastTop = await this.topSignature(state);
    }
    this.unsubscribe = this.deps.bus.subscribe('score.updated', (event) => this.apply(event));
  }

  stop(): void {
    this.unsubscribe?.();
  }

  /** Applies an accepted action's totals; idempotent and order-safe (totals only grow). */
  async apply(event: ScoreUpdated): Promise<void> {
    if (await this.deps.bans.isBanned(event.userId)) return;
    for (const total of event.totals) {
      const state = this.boards.get(total.board);
      const index = state && this.indexFor(state, total.period);
      if (!index) continue;
      if (index.setSync(event.userId, total.score, total.reachedAt) && total.period === this.currentPeriod(state)) {
        state.changedUsers.add(event.userId);
      }
    }
    this.scheduleFlush();
  }

  /** Takes a user off every board at once (ban). */
  async removeUser(userId: string): Promise<void> {
    for (const state of this.boards.values()) {
      let removed = false;
      for (const index of state.periods.values()) removed = index.removeSync(userId) || removed;
      if (removed) state.changedUsers.add(userId);
    }
    await this.flush();
  }

  /** Puts a user back on every board from the ledger's totals (unban). */
  async restoreUser(userId: string): Promise<void> {
    for (const state of this.boards.values()) {
      for (const [period, index] of state.periods) {
        const row = await this.deps.totals.totalOf(state.definition.id, period, userId);
        if (row && index.setSync(row[0], row[1], row[2]) && period === this.currentPeriod(state)) state.changedUsers.add(userId);
      }
    }
    await this.flush();
  }

  list(): { id: string; period: string; resetsAt?: string }[] {
    const now = this.now();
    return [...this.boards.values()].map(({ definition }) => {
      const endsAt = periodEndsAt(definition.period, now);
      return { id: definition.id, period: definition.period, ...(endsAt === undefined ? {} : { resetsAt: new Date(endsAt).toISOString() }) };
    });
  }

  /** The period keys a board holds in memory, oldest first. */
  heldPeriods(board: string): string[] {
    return [...(this.boards.get(board)?.periods.keys() ?? [])].sort();
  }

  has(board: string): boolean {
    return this.boards.has(board);
  }

  async page(board: string, offset: number, limit: number): Promise<BoardPage | undefined> {
    const state = this.boards.get(board);
    if (!state) return undefined;
    const index = this.currentIndex(state);
    return { board, seq: state.seq, total: index.size, entries: await this.withNames(index.rangeSync(offset, limit)) };
  }

  async entryOf(board: string, userId: string): Promise<BoardEntry | undefined> {
    const state = this.boards.get(board);
    const ranked = state && this.currentIndex(state).rankOfSync(userId);
    return ranked && (await this.withNames([ranked]))[0];
  }

  /** The user's entry and the `radius` entries above and below it, clipped at the ends. */
  async around(board: string, userId: string, radius: number): Promise<{ me: BoardEntry; entries: BoardEntry[] } | undefined> {
    const state = this.boards.get(board);
    if (!state) return undefined;
    const index = this.currentIndex(state);
    const ranked = index.rankOfSync(userId);
    if (!ranked) return undefined;
    const start = Math.max(0, ranked.rank - 1 - radius);
    const entries = await this.withNames(index.rangeSync(start, ranked.rank - 1 - start + 1 + radius));
    const me = entries.find((entry) => entry.userId === userId) as BoardEntry;
    return { me, entries };
  }

  /** Publishes what the changes since the last flush did to each board. */
  async flush(): Promise<void> {
    this.flushScheduled = false;
    for (const state of this.boards.values()) {
      if (state.changedUsers.size === 0) continue;
      const users = [...state.changedUsers];
      state.changedUsers.clear();
      state.seq += 1;
      const board = state.definition.id;
      const index = this.currentIndex(state);
      const top = await this.withNames(index.rangeSync(0, TOP_SIZE));
      const signature = JSON.stringify(top);
      if (signature !== state.lastTop) {
        state.lastTop = signature;
        await this.deps.bus.publish({ type: 'board.changed', board, seq: state.seq, top });
      }
      for (const userId of users) {
        const ranked = index.rankOfSync(userId);
        if (ranked) await this.deps.bus.publish({ type: 'user.rank', userId, board, rank: ranked.rank, score: ranked.score });
      }
    }
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    // One flush per round of events: a burst of actions makes one board.changed, not hundreds.
    setImmediate(() => void this.flush());
  }

  private currentPeriod(state: BoardState): string {
    return periodKey(state.definition.period, this.now());
  }

  private currentIndex(state: BoardState): InMemoryRankIndex {
    return this.indexFor(state, this.currentPeriod(state)) as InMemoryRankIndex;
  }

  /**
   * The index of `period`, created when the period is new (a reset is a new, empty index);
   * undefined for a past period no longer (or never) held — its totals stay in the ledger.
   */
  private indexFor(state: BoardState, period: string): InMemoryRankIndex | undefined {
    const existing = state.periods.get(period);
    if (existing) return existing;
    if (period < this.currentPeriod(state)) return undefined;
    const index = new InMemoryRankIndex();
    state.periods.set(period, index);
    // Period keys sort by time (ISO dates): keep the newest and `retainPastPeriods` before
    // it, so memory does not grow with time.
    const keys = [...state.periods.keys()].sort();
    const retain = state.definition.retainPastPeriods ?? 1;
    for (const old of keys.slice(0, Math.max(0, keys.length - 1 - retain))) state.periods.delete(old);
    return index;
  }

  private async topSignature(state: BoardState): Promise<string> {
    return JSON.stringify(await this.withNames(this.currentIndex(state).rangeSync(0, TOP_SIZE)));
  }

  private async withNames(ranked: readonly RankedEntry[]): Promise<BoardEntry[]> {
    const names = await this.deps.directory.usernames(ranked.map((entry) => entry.userId));
    return ranked.map(({ rank, userId, score }) => ({ rank, userId, username: names.get(userId) ?? '', score }));
  }
}

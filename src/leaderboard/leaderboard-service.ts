import type { Aggregate, BoardDefinition, Order } from '../platform/boards.js';
import { isSeason, nextResetAt, type CalendarPeriod, pastPeriodKeys, periodEndsAt, periodKey, periodStartsAt, seasonState, type SeasonState } from '../platform/periods.js';
import type { EventBus } from '../platform/event-bus.js';
import type { BoardChanged, BoardEntry, RanksMoved, ScoreUpdated, UserRank } from '../platform/events.js';
import type { Logger } from '../platform/logger.js';
import type { UserDirectory } from '../auth/index.js';
import type { BanList } from '../moderation/index.js';
import type { BoardTotalsReader, TotalRow } from '../score/index.js';
import type { BoardStore } from './board-store.js';
import { rowsAround } from './around-reader.js';
import type { RankIndex, RankedEntry } from './rank-index.js';

/** The reset timer re-checks at least this often: a timer set days ahead drifts with clock steps and suspends. */
const PERIOD_CHECK_MAX_MS = 60 * 60 * 1000;
/** After a failed reset (the store away), the next try. */
const PERIOD_RETRY_MS = 5_000;

/** How many entries `board.changed` carries and whose change it watches. */
export const TOP_SIZE = 100;

export interface LeaderboardDeps {
  boards: readonly BoardDefinition[];
  /** Where the rank indexes live: this process (embedded) or Redis (distributed). */
  store: BoardStore;
  totals: BoardTotalsReader;
  directory: UserDirectory;
  bans: BanList;
  bus: EventBus;
  /** @default Date.now */
  now?: () => number;
  /**
   * Least time between two flushes. 0 flushes after every round of events (the lowest
   * latency); a few ms batch more changes per flush under load (embedded 10 ms, distributed
   * 20 ms: a network store gains most from fewer round trips). @default 0
   */
  minFlushIntervalMs?: number;
  /** Where a failed flush is reported (Redis away); it is retried. */
  logger?: Pick<Logger, 'warn'>;
}

export interface BoardPage {
  board: string;
  seq: number;
  total: number;
  entries: BoardEntry[];
}

/** A board as `GET /api/v1/leaderboards` describes it. */
export interface BoardSummary {
  id: string;
  metric: string;
  aggregate: Aggregate;
  order: Order;
  period: CalendarPeriod | 'season';
  /** The key of the current period (what `?period=` takes). */
  periodKey: string;
  /** A season's place in time; calendar boards are always `live`. */
  state: SeasonState;
  /** ISO times: a season's dates; a calendar period's start and end. */
  startsAt?: string;
  endsAt?: string;
  /** When a calendar board next starts over. */
  resetsAt?: string;
}

/** An entry with where it stands among everyone ranked. */
export interface StandingEntry extends BoardEntry {
  total: number;
  /** ⌈rank ÷ total × 10000⌉ ÷ 100: rank 1 of 200 → 0.5. */
  topPercent: number;
}

interface BoardState {
  definition: BoardDefinition;
  /** Period keys held in the store: the current period and up to `retainPastPeriods` before it. */
  periods: Set<string>;
  seq: number;
  /** The top as last published, to tell whether it changed. */
  lastTop: string;
  /** Users whose entry changed since the last flush. */
  changedUsers: Set<string>;
  /**
   * The rank each of `changedUsers` held before its first change since the last flush (null:
   * unranked), asked before that change is applied: with the new rank it bounds the ranks
   * that moved (`ranks.moved`).
   */
  previousRanks: Map<string, Promise<number | null>>;
  /** The period whose top was last published (or read at start). */
  publishedPeriod: string;
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
  private lastFlushAt = 0;
  /** Board periods being rebuilt → the newest total each user reached meanwhile. */
  private readonly rebuilding = new Map<string, Map<string, TotalRow>>();
  private unsubscribe: (() => void) | undefined;
  private periodTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly deps: LeaderboardDeps) {
    this.now = deps.now ?? Date.now;
    for (const definition of deps.boards) {
      this.boards.set(definition.id, { definition, periods: new Set(), seq: 0, lastTop: '', changedUsers: new Set(), previousRanks: new Map(), publishedPeriod: '' });
    }
  }

  /**
   * Rebuilds every board's current period, and the past periods it keeps, from the ledger's
   * totals if needed, then follows the bus.
   */
  async start(): Promise<void> {
    for (const state of this.boards.values()) {
      const period = this.currentPeriod(state);
      for (const held of [...this.retainedPastPeriods(state), period]) state.periods.add(held);
      await this.dropExpiredPeriods(state);
      for (const held of state.periods) await this.rebuildIfLost(state, held);
      // With no top published yet in this store (a restarted embedded process), take a fresh
      // seq: the first snapshot must not go back below what clients saw before the restart.
      state.seq = (await this.deps.store.lastTop(state.definition.id))?.seq ?? (await this.deps.store.nextSeq(state.definition.id));
      state.lastTop = await this.topSignature(state);
      state.publishedPeriod = period;
    }
    this.unsubscribe = this.deps.bus.subscribe('score.updated', (event) => this.apply(event));
    this.watchPeriods();
  }

  /**
   * Starts the new period of every board whose period has ended since it was last held, and
   * publishes its top (empty, unless someone already scored in it). Without this a reset
   * waited for the first action of the new period: watchers kept yesterday's daily top,
   * and a new subscriber's snapshot disagreed with `GET /leaderboards/daily`. Runs from a
   * timer at each reset; idempotent.
   */
  async turnPeriods(): Promise<void> {
    for (const state of this.boards.values()) {
      if (state.publishedPeriod !== this.currentPeriod(state)) await this.flushBoard(state, []);
    }
  }

  /**
   * Rebuilds every board period held (the current one and those kept before it) that the
   * store has lost (Redis restarted without its data); distributed nodes call this
   * periodically. Scores come back from the ledger.
   */
  async rebuildLost(): Promise<void> {
    for (const state of this.boards.values()) {
      for (const period of [...state.periods]) await this.rebuildIfLost(state, period);
    }
  }

  private async rebuildIfLost(state: BoardState, period: string): Promise<void> {
    const { store, totals, bans } = this.deps;
    const board = state.definition.id;
    if (await store.isLoaded(board, period)) return;
    const index = store.index(board, period, state.definition.order);
    const banned = new Set(await bans.list());
    // Events applied while the rows are read and loaded land on the board being replaced:
    // kept aside and applied again once the new board is in place (versioned, so applying
    // one twice is harmless).
    const key = rebuildKey(board, period);
    const caughtUp = new Map<string, TotalRow>();
    this.rebuilding.set(key, caughtUp);
    try {
      await index.replace(withoutBanned(await totals.totals(board, period), banned));
      await Promise.all([...caughtUp.values()].map(([userId, score, reachedAt, version]) => index.set(userId, score, reachedAt, version)));
    } finally {
      this.rebuilding.delete(key);
    }
    await store.markLoaded(board, period);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.periodTimer);
    this.unsubscribe?.();
  }

  /** Arms the timer for the next reset of any periodic board (see `turnPeriods`), or a retry. */
  private watchPeriods(retry = false): void {
    if (this.stopped) return;
    const now = this.now();
    const next = Math.min(...[...this.boards.values()].map((state) => nextResetAt(state.definition.period, now) ?? Number.POSITIVE_INFINITY));
    if (!Number.isFinite(next)) return; // all-time boards only: nothing ever resets
    // 1 ms past the reset, so the clock reads the new period when the timer fires.
    const wait = retry ? PERIOD_RETRY_MS : Math.min(next - now + 1, PERIOD_CHECK_MAX_MS);
    this.periodTimer = setTimeout(() => {
      this.turnPeriods().then(
        () => this.watchPeriods(),
        (error: unknown) => {
          this.deps.logger?.warn({ err: error }, 'starting a new board period failed; retrying');
          this.watchPeriods(true);
        },
      );
    }, wait);
    this.periodTimer.unref();
  }

  /** Applies an accepted action's totals; idempotent and order-safe (each total carries its ledger version). */
  async apply(event: ScoreUpdated): Promise<void> {
    if (await this.deps.bans.isBanned(event.userId)) return;
    await Promise.all(
      event.totals.map(async (total) => {
        const state = this.boards.get(total.board);
        const index = state && (await this.indexFor(state, total.period));
        if (!index) return;
        // Events of 0.1.0 carry no version: their action id is the ledger sequence.
        const version = total.version ?? Number(event.actionId);
        const caughtUp = this.rebuilding.get(rebuildKey(total.board, total.period));
        const earlier = caughtUp?.get(event.userId);
        if (caughtUp && (!earlier || version > earlier[3])) caughtUp.set(event.userId, [event.userId, total.score, total.reachedAt, version]);
        const current = total.period === this.currentPeriod(state);
        if (current) await this.rememberRank(state, index, event.userId);
        let changed: boolean;
        try {
          changed = await index.set(event.userId, total.score, total.reachedAt, version);
        } catch (error) {
          // Not applied (the event comes again): a rank kept for a change that never happened would go stale.
          if (!state.changedUsers.has(event.userId)) state.previousRanks.delete(event.userId);
          throw error;
        }
        if (changed && current) state.changedUsers.add(event.userId);
      }),
    );
    this.scheduleFlush();
  }

  /** Takes a user off every board at once (ban). */
  async removeUser(userId: string): Promise<void> {
    for (const state of this.boards.values()) {
      let removed = false;
      const current = this.currentPeriod(state);
      for (const period of state.periods) {
        const index = this.deps.store.index(state.definition.id, period, state.definition.order);
        if (period === current) await this.rememberRank(state, index, userId);
        removed = (await index.remove(userId)) || removed;
      }
      if (removed) state.changedUsers.add(userId);
    }
    await this.flush();
  }

  /**
   * Keeps the rank `userId` holds before its first change since the last flush. The question
   * is put (synchronously) before any change of this round is applied, so a second event of
   * the same user waits for the same answer rather than asking after the first one moved it.
   */
  private async rememberRank(state: BoardState, index: RankIndex, userId: string): Promise<void> {
    let previous = state.previousRanks.get(userId);
    if (!previous) {
      // A store that cannot answer (Redis away) leaves the rank unknown, never a rejected
      // promise kept for the round: unknown moves every rank, and the change itself fails or
      // succeeds on its own.
      previous = index.rankOf(userId).then(
        (ranked) => ranked?.rank ?? null,
        () => UNKNOWN_RANK,
      );
      state.previousRanks.set(userId, previous);
    }
    await previous;
  }


  /** Puts a user back on every board from the ledger's totals (unban). */
  async restoreUser(userId: string): Promise<void> {
    for (const state of this.boards.values()) {
      const board = state.definition.id;
      for (const period of state.periods) {
        const row = await this.deps.totals.totalOf(board, period, userId);
        const restored = row !== undefined && (await this.deps.store.index(board, period, state.definition.order).set(...row));
        if (restored && period === this.currentPeriod(state)) state.changedUsers.add(userId);
      }
    }
    await this.flush();
  }

  list(): BoardSummary[] {
    const now = this.now();
    const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
    return [...this.boards.values()].map(({ definition }) => {
      const { id, metric, aggregate, order, period } = definition;
      const summary: BoardSummary = {
        id,
        metric,
        aggregate,
        order,
        period: isSeason(period) ? 'season' : period,
        periodKey: periodKey(period, now),
        state: isSeason(period) ? seasonState(period, now) : 'live',
      };
      const startsAt = iso(periodStartsAt(period, now));
      const endsAt = iso(periodEndsAt(period, now));
      const resetsAt = iso(nextResetAt(period, now));
      return { ...summary, ...(startsAt && { startsAt }), ...(endsAt && { endsAt }), ...(resetsAt && { resetsAt }) };
    });
  }

  /** The definition of a board, or undefined for an unknown one. */
  definition(board: string): BoardDefinition | undefined {
    return this.boards.get(board)?.definition;
  }

  /** The period keys a board holds in memory, oldest first. */
  heldPeriods(board: string): string[] {
    return [...(this.boards.get(board)?.periods ?? [])].sort();
  }

  has(board: string): boolean {
    return this.boards.has(board);
  }

  /**
   * The entity tag of what a public read of `board` shows now: its `seq` (which grows with
   * every flush that changed any entry, a ban or a period turn) and the period read.
   */
  cacheTag(board: string, period?: string): string | undefined {
    const state = this.boards.get(board);
    return state && `W/"${board}.${period ?? this.currentPeriod(state)}.${state.seq}"`;
  }

  /** Whether `period` of `board` can be read: its current period, or one of the `retainPastPeriods` before it. */
  holdsPeriod(board: string, period: string): boolean {
    const state = this.boards.get(board);
    return state !== undefined && (period === this.currentPeriod(state) || state.periods.has(period));
  }

  /** A page of `period` (default: the current one); undefined for an unknown board or a period not held. */
  async page(board: string, offset: number, limit: number, period?: string): Promise<BoardPage | undefined> {
    const state = this.boards.get(board);
    if (!state || (period !== undefined && !this.holdsPeriod(board, period))) return undefined;
    const index = await this.indexFor(state, period ?? this.currentPeriod(state));
    if (!index) return undefined;
    const [total, ranked] = await Promise.all([index.count(), index.range(offset, limit)]);
    return { board, seq: state.seq, total, entries: await this.withNames(ranked) };
  }

  /**
   * Every ranked entry of a board period (default: the current one), a page at a time: an
   * export of a million players never holds them all. A live board may move meanwhile; each
   * row is its rank when its page was read. Nothing for an unknown board or a period not kept.
   */
  async *entries(board: string, period?: string, pageSize = 1_000): AsyncGenerator<BoardEntry[]> {
    const state = this.boards.get(board);
    const index = state && (await this.indexFor(state, period ?? this.currentPeriod(state)));
    if (!index) return;
    for (let offset = 0; ; offset += pageSize) {
      const ranked = await index.range(offset, pageSize);
      if (ranked.length > 0) yield await this.withNames(ranked);
      if (ranked.length < pageSize) return;
    }
  }

  /** The user's entry on the board's current period, with the number ranked and the user's top percentage. */
  async entryOf(board: string, userId: string): Promise<StandingEntry | undefined> {
    const state = this.boards.get(board);
    if (!state) return undefined;
    const index = await this.currentIndex(state);
    const [ranked, total] = await Promise.all([index.rankOf(userId), index.count()]);
    const entry = ranked && (await this.withNames([ranked]))[0];
    return entry && standing(entry, total);
  }

  /**
   * The ranked ones among `userIds` on the board's current period, by rank (a friends list);
   * unknown and unranked ids are left out.
   */
  async entriesOf(board: string, userIds: readonly string[]): Promise<BoardPage | undefined> {
    const state = this.boards.get(board);
    if (!state) return undefined;
    const index = await this.currentIndex(state);
    const [ranked, total] = await Promise.all([Promise.all([...new Set(userIds)].map((userId) => index.rankOf(userId))), index.count()]);
    const entries = await this.withNames(ranked.filter((entry) => entry !== undefined).sort((a, b) => a.rank - b.rank));
    return { board, seq: state.seq, total, entries };
  }

  /** The user's rank and score on every board where they are ranked, in board order. */
  async ranksOf(userId: string): Promise<{ board: string; rank: number; score: number }[]> {
    const ranks = await Promise.all(
      [...this.boards.values()].map(async (state) => {
        const ranked = await (await this.currentIndex(state)).rankOf(userId);
        return ranked && { board: state.definition.id, rank: ranked.rank, score: ranked.score };
      }),
    );
    return ranks.filter((rank) => rank !== undefined);
  }

  /** The user's entry and the `radius` entries above and below it, clipped at the ends. */
  async around(board: string, userId: string, radius: number): Promise<{ me: StandingEntry; entries: BoardEntry[] } | undefined> {
    const state = this.boards.get(board);
    if (!state) return undefined;
    const index = await this.currentIndex(state);
    const [around, total] = await Promise.all([rowsAround(index, userId, radius), index.count()]);
    if (!around) return undefined;
    const entries = await this.withNames(around.rows);
    const me = entries.find((entry) => entry.userId === userId) ?? (await this.withNames([around.ranked]))[0];
    return { me: standing(me as BoardEntry, total), entries };
  }

  /** Publishes what the changes since the last flush did to each board. */
  async flush(): Promise<void> {
    this.flushScheduled = false;
    this.lastFlushAt = performance.now();
    for (const state of this.boards.values()) {
      if (state.changedUsers.size === 0) continue;
      const users = [...state.changedUsers];
      state.changedUsers.clear();
      try {
        await this.flushBoard(state, users);
      } catch (error) {
        for (const userId of users) state.changedUsers.add(userId);
        throw error;
      }
    }
  }

  private async flushBoard(state: BoardState, users: readonly string[]): Promise<void> {
    const board = state.definition.id;
    state.seq = Math.max(state.seq + 1, await this.deps.store.nextSeq(board));
    const period = this.currentPeriod(state);
    const index = (await this.indexFor(state, period)) as RankIndex;
    const top = await this.withNames(await index.range(0, TOP_SIZE));
    const signature = JSON.stringify(top);
    const changed = signature !== state.lastTop;
    const events: (BoardChanged | UserRank | RanksMoved)[] = [];
    if (changed) {
      const change: BoardChanged = { type: 'board.changed', board, seq: state.seq, top };
      await this.deps.store.saveTop(change);
      events.push(change);
    }
    // Asked all at once: a network store answers them in one round trip.
    const ranks = await Promise.all(users.map((userId) => index.rankOf(userId)));
    for (const ranked of ranks) {
      if (ranked) events.push({ type: 'user.rank', userId: ranked.userId, board, rank: ranked.rank, score: ranked.score });
    }
    const previous = await Promise.all(users.map((userId) => state.previousRanks.get(userId) ?? Promise.resolve(null)));
    for (const userId of users) state.previousRanks.delete(userId);
    // A new period moves every rank; otherwise each changed user's old and new ranks bound it.
    const ranges = state.publishedPeriod !== period ? [[1, null] as [number, null]] : movedRanges(previous, ranks.map((ranked) => ranked?.rank ?? null));
    if (ranges.length > 0) events.push({ type: 'ranks.moved', board, seq: state.seq, ranges });
    await this.deps.bus.publishAll(events);
    if (changed) state.lastTop = signature;
    state.publishedPeriod = period;
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    // One flush per round of events (or per interval): a burst of actions makes one
    // board.changed, not hundreds. Without an interval the flush runs once the current
    // callback and its promise jobs are done (a commit's events are applied by then), not a
    // whole event-loop turn later: under fan-out a turn holds a 5 ms sweep slice, and
    // setImmediate put ≈7 ms between every `201` and its board.changed.
    const wait = this.lastFlushAt + (this.deps.minFlushIntervalMs ?? 0) - performance.now();
    const later = (run: () => void) => (wait > 0 ? void setTimeout(run, wait) : process.nextTick(run));
    later(() => {
      this.flush().catch((error: unknown) => {
        // The store is away (Redis restarting): tell subscribers later rather than never.
        this.deps.logger?.warn({ err: error }, 'board flush failed; retrying in 1 s');
        setTimeout(() => this.scheduleFlush(), 1_000).unref();
      });
    });
  }

  private currentPeriod(state: BoardState): string {
    return periodKey(state.definition.period, this.now());
  }

  private async currentIndex(state: BoardState): Promise<RankIndex> {
    return (await this.indexFor(state, this.currentPeriod(state))) as RankIndex;
  }

  /**
   * The index of `period`, started when the period is new (a reset is a new, empty index);
   * undefined for a past period no longer (or never) held — its totals stay in the ledger.
   */
  private async indexFor(state: BoardState, period: string): Promise<RankIndex | undefined> {
    const board = state.definition.id;
    const { order } = state.definition;
    if (state.periods.has(period)) return this.deps.store.index(board, period, order);
    if (period < this.currentPeriod(state)) return undefined;
    state.periods.add(period);
    // A new period starts empty and complete: nothing to rebuild.
    await this.deps.store.markLoaded(board, period);
    // Period keys sort by time (ISO dates): keep the newest and `retainPastPeriods` before
    // it, so memory does not grow with time.
    const keys = [...state.periods].sort();
    const retain = state.definition.retainPastPeriods;
    for (const old of keys.slice(0, Math.max(0, keys.length - 1 - retain))) state.periods.delete(old);
    await this.dropExpiredPeriods(state);
    return this.deps.store.index(board, period, order);
  }

  /** The keys of the `retainPastPeriods` periods before the current one, oldest first. */
  private retainedPastPeriods(state: BoardState): string[] {
    const { period, retainPastPeriods } = state.definition;
    return pastPeriodKeys(period, this.now(), retainPastPeriods);
  }

  /** Drops periods older than the current one and `retainPastPeriods` before it from the store. */
  private async dropExpiredPeriods(state: BoardState): Promise<void> {
    const { period, id, retainPastPeriods } = state.definition;
    if (isSeason(period) || period === 'all-time') return;
    const oldestKept = pastPeriodKeys(period, this.now(), retainPastPeriods)[0] ?? periodKey(period, this.now());
    await this.deps.store.dropPeriodsBefore(id, oldestKept);
  }

  private async topSignature(state: BoardState): Promise<string> {
    return JSON.stringify(await this.withNames(await (await this.currentIndex(state)).range(0, TOP_SIZE)));
  }

  private async withNames(ranked: readonly RankedEntry[]): Promise<BoardEntry[]> {
    const names = await this.deps.directory.usernames(ranked.map((entry) => entry.userId));
    return ranked.map(({ rank, userId, score }) => ({ rank, userId, username: names.get(userId) ?? '', score }));
  }
}

function standing(entry: BoardEntry, total: number): StandingEntry {
  return { ...entry, total, topPercent: Math.ceil((entry.rank / total) * 10_000) / 100 };
}

function rebuildKey(board: string, period: string): string {
  return `${board}\u0000${period}`;
}

function* withoutBanned(rows: Iterable<TotalRow>, banned: ReadonlySet<string>): Generator<TotalRow> {
  for (const row of rows) if (!banned.has(row[0])) yield row;
}

/** A rank the store could not tell: every rank may have moved. */
const UNKNOWN_RANK = 0;

/** Ranges past this many are merged into one: a message stays small, a window check stays quick. */
const MAX_MOVED_RANGES = 32;

/**
 * The ranks that moved, from each changed user's rank before and after (null: unranked; 0:
 * unknown, which moves them all): from a to b moves everyone between; entering or leaving at r
 * moves everyone from r down. Merged where they overlap, at most `MAX_MOVED_RANGES`.
 */
export function movedRanges(before: readonly (number | null)[], after: readonly (number | null)[]): [number, number | null][] {
  const ranges: [number, number | null][] = [];
  before.forEach((old, i) => {
    const now = after[i] ?? null;
    if (old === UNKNOWN_RANK) ranges.push([1, null]);
    else if (old !== null && now !== null) ranges.push([Math.min(old, now), Math.max(old, now)]);
    else if (old !== null || now !== null) ranges.push([(old ?? now) as number, null]);
  });
  ranges.sort((a, b) => a[0] - b[0]);
  const merged: [number, number | null][] = [];
  for (const [from, to] of ranges) {
    const last = merged.at(-1);
    if (last && (last[1] === null || from <= last[1] + 1)) {
      last[1] = last[1] === null || to === null ? null : Math.max(last[1], to);
    } else merged.push([from, to]);
  }
  if (merged.length <= MAX_MOVED_RANGES) return merged;
  const ends = merged.map(([, to]) => to);
  return [[(merged[0] as [number, number | null])[0], ends.includes(null) ? null : Math.max(...(ends as number[]))]];
}

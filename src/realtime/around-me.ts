import type { BoardEntry, RanksMoved } from '../platform/events.js';

/** A player's entry and the entries around it on a board's current period; `me` null while unranked. */
export interface AroundWindow {
  me: BoardEntry | null;
  entries: BoardEntry[];
}

/** Reads a window (the leaderboard in this process, or the shared rank store). */
export type WindowReader = (board: string, userId: string, radius: number) => Promise<AroundWindow>;

/** Where a window goes: one subscriber of it. */
export interface WindowSubscriber {
  radius: number;
  /** What this subscriber was last sent (entries and `me`, without `seq`): unchanged windows are not sent again. */
  sent: string | undefined;
  send(payload: string): void;
}

/** One player's window on one board, shared by every subscriber of that player there. */
interface Watch {
  board: string;
  userId: string;
  subscribers: Set<WindowSubscriber>;
  /** The player's rank when last read (null: unranked, undefined: not read yet). */
  rank: number | null | undefined;
  dirty: boolean;
}

/** Windows read at once (a network store answers them side by side). */
const READ_CONCURRENCY = 16;
/** How long one slice of a round may run before it yields to the event loop (as the update sweep's). */
const ROUND_SLICE_MS = 5;
/** After a slice the round rests this fraction of it, so windows take at most ≈80% of the event loop. */
const ROUND_REST_RATIO = 0.25;

/**
 * The around-me windows a realtime node serves. A window is read again only when the ranks
 * that moved (`ranks.moved`, from the leaderboard after each flush) reach into it, or its own
 * player's entry changed (`user.rank`) — never per subscriber per change. Reads happen in
 * rounds at most one coalescing window apart; a window read once serves every subscriber of
 * that player (each gets its radius cut from the widest), encoded once per radius.
 */
export class AroundMeWindows {
  private readonly watches = new Map<string, Watch>();
  private timer: NodeJS.Timeout | undefined;
  private lastRoundAt = Number.NEGATIVE_INFINITY;
  private closed = false;

  constructor(
    private readonly read: WindowReader,
    private readonly seqOf: (board: string) => number,
    private readonly windowMs: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Adds a subscriber and sends it the window at once. */
  async subscribe(board: string, userId: string, subscriber: WindowSubscriber): Promise<void> {
    const key = watchKey(board, userId);
    let watch = this.watches.get(key);
    if (!watch) this.watches.set(key, (watch = { board, userId, subscribers: new Set(), rank: undefined, dirty: false }));
    watch.subscribers.add(subscriber);
    const window = await this.read(board, userId, subscriber.radius);
    watch.rank = window.me?.rank ?? null;
    deliver(subscriber, encode(board, this.seqOf(board), window));
  }

  unsubscribe(board: string, userId: string, subscriber: WindowSubscriber): void {
    const key = watchKey(board, userId);
    const watch = this.watches.get(key);
    if (!watch) return;
    watch.subscribers.delete(subscriber);
    if (watch.subscribers.size === 0) this.watches.delete(key);
  }

  /** Marks the windows the moved ranks reach into (with the widest radius of their subscribers). */
  onRanksMoved(event: RanksMoved): void {
    for (const watch of this.watches.values()) {
      if (watch.board !== event.board || watch.dirty) continue;
      // An unranked player's window is empty until their own entry changes (`user.rank`);
      // one not read yet is read by its subscribe.
      if (watch.rank === null || watch.rank === undefined) continue;
      const radius = widest(watch);
      const [low, high] = [watch.rank - radius, watch.rank + radius];
      if (event.ranges.some(([from, to]) => from <= high && (to === null || to >= low))) watch.dirty = true;
    }
    this.schedule();
  }

  /** The player's own entry changed: their window is read again. */
  onOwnChange(board: string, userId: string): void {
    const watch = this.watches.get(watchKey(board, userId));
    if (!watch) return;
    watch.dirty = true;
    this.schedule();
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
  }

  /** One round per coalescing window at most, started when something is dirty. */
  private schedule(): void {
    if (this.timer || this.closed) return;
    const wait = Math.max(0, this.lastRoundAt + this.windowMs - performance.now());
    this.timer = setTimeout(() => void this.round(), wait);
  }

  /**
   * Reads the dirty windows again, in slices of at most 5 ms with a rest after each, as the
   * update sweep writes: with in-process reads a round of thousands of windows would otherwise
   * hold the event loop, and the actions themselves would wait. Under load a round stretches,
   * so each window comes less often rather than the requests stalling.
   */
  private async round(): Promise<void> {
    this.lastRoundAt = performance.now();
    const dirty = [...this.watches.values()].filter((watch) => watch.dirty);
    for (const watch of dirty) watch.dirty = false;
    let sliceStart = performance.now();
    for (let start = 0; start < dirty.length && !this.closed; start += READ_CONCURRENCY) {
      await Promise.all(dirty.slice(start, start + READ_CONCURRENCY).map((watch) => this.refresh(watch)));
      const elapsed = performance.now() - sliceStart;
      if (elapsed >= ROUND_SLICE_MS) {
        await new Promise((resolve) => setTimeout(resolve, elapsed * ROUND_REST_RATIO));
        sliceStart = performance.now();
      }
    }
    this.timer = undefined;
    if ([...this.watches.values()].some((watch) => watch.dirty)) this.schedule();
  }

  private async refresh(watch: Watch): Promise<void> {
    try {
      const radius = widest(watch);
      const window = await this.read(watch.board, watch.userId, radius);
      watch.rank = window.me?.rank ?? null;
      const seq = this.seqOf(watch.board);
      // Encoded once per radius, the same string for every subscriber with it.
      const byRadius = new Map<number, Encoded>();
      for (const subscriber of watch.subscribers) {
        let encoded = byRadius.get(subscriber.radius);
        if (!encoded) byRadius.set(subscriber.radius, (encoded = encode(watch.board, seq, cutTo(window, subscriber.radius))));
        deliver(subscriber, encoded);
      }
    } catch (error) {
      // The store is away: read it again next round.
      watch.dirty = true;
      this.onError(error);
    }
  }
}

function watchKey(board: string, userId: string): string {
  return `${board}\u0000${userId}`;
}

function widest(watch: Watch): number {
  let radius = 0;
  for (const subscriber of watch.subscribers) radius = Math.max(radius, subscriber.radius);
  return radius;
}

/** The part of a window within `radius` of its player. */
function cutTo(window: AroundWindow, radius: number): AroundWindow {
  const { me } = window;
  if (!me) return { me: null, entries: [] };
  return { me, entries: window.entries.filter((entry) => Math.abs(entry.rank - me.rank) <= radius) };
}

interface Encoded {
  /** The window without its `seq`: what tells whether a subscriber already has it. */
  content: string;
  payload: string;
}

function encode(board: string, seq: number, window: AroundWindow): Encoded {
  // Each part serialized once: the content to compare, and the message around it.
  const me = JSON.stringify(window.me);
  const entries = JSON.stringify(window.entries);
  return { content: `${me}${entries}`, payload: `{"type":"window","board":${JSON.stringify(board)},"seq":${seq},"me":${me},"entries":${entries}}` };
}

/** Sends the window unless the subscriber already has exactly it. */
function deliver(subscriber: WindowSubscriber, encoded: Encoded): void {
  if (encoded.content === subscriber.sent) return;
  subscriber.sent = encoded.content;
  subscriber.send(encoded.payload);
}

import { createRequire } from 'node:module';
import type { BoardEntry } from '../platform/events.js';
import type { ServerMessage } from './protocol.js';

/** How many published tops a feed keeps, for deltas and `since` resumes. */
export const HISTORY_SIZE = 64;

/**
 * The latest top of one board as this realtime node knows it, the tops it published before
 * (the last `HISTORY_SIZE`), and its frames: each distinct `update` (seq, limit), `snapshot`
 * (seq, limit) and `delta` (seq, limit, from) is serialized and framed once, and every
 * subscriber that needs it gets those very bytes.
 */
export class BoardFeed {
  seq = 0;
  top: BoardEntry[] = [];
  /** seq → the top published at it, oldest first (a Map keeps insertion order). */
  private readonly history = new Map<number, BoardEntry[]>();
  /** When the oldest change that is in no frame yet arrived (for the broadcast-lag metric). */
  private unframedSince: number | undefined;
  /** Frames of the current seq, by kind, limit and (deltas) the seq they apply to. */
  private frames = new Map<string, Buffer>();
  private framesSeq = -1;

  constructor(readonly board: string) {}

  /**
   * The state to start from: not a change, so nothing waits to be sent. Taken at an equal
   * `seq` too: a leaderboard rebuilt after a restart starts again at seq 0 with a full board.
   */
  seed(seq: number, top: BoardEntry[]): void {
    if (seq < this.seq) return;
    this.seq = seq;
    this.top = top;
    this.remember(seq, top);
  }

  /** Takes a newer state; false, changing nothing, for one that is not newer (`seq` only grows). */
  advance(seq: number, top: BoardEntry[], now: number): boolean {
    if (seq <= this.seq) return false;
    this.seq = seq;
    this.top = top;
    this.remember(seq, top);
    this.unframedSince ??= now;
    return true;
  }

  /** The top published at `seq`, while this feed still holds it (a delta can start from it). */
  topAt(seq: number): readonly BoardEntry[] | undefined {
    return this.history.get(seq);
  }

  /** Every subscriber has what it needs: a change no one was sent is no one's lag. */
  settle(): void {
    this.unframedSince = undefined;
  }

  /**
   * The `update` frame of the current state for `limit`, built on first use. `lagMs` is set
   * when this call built the first frame of a change: how long that change waited for it.
   */
  frame(limit: number, now: number): { frame: Buffer; lagMs: number | undefined } {
    return this.framed(`u${limit}`, now, () => ({ type: 'update', board: this.board, seq: this.seq, entries: this.top.slice(0, limit) }));
  }

  /** The `snapshot` frame of the current state for `limit`. */
  snapshotFrame(limit: number, now: number): { frame: Buffer; lagMs: number | undefined } {
    return this.framed(`s${limit}`, now, () => ({ type: 'snapshot', board: this.board, seq: this.seq, entries: this.top.slice(0, limit) }));
  }

  /**
   * The `delta` frame from the top published at `from` to the current one, for `limit`; the
   * snapshot frame when this feed no longer holds `from` (the chain cannot go on).
   */
  deltaFrame(limit: number, from: number, now: number): { frame: Buffer; lagMs: number | undefined } {
    const before = this.history.get(from);
    if (!before) return this.snapshotFrame(limit, now);
    return this.framed(`d${limit}:${from}`, now, () => ({ type: 'delta', board: this.board, seq: this.seq, from, ...diffTops(before, this.top, limit) }));
  }

  private framed(key: string, now: number, message: () => ServerMessage): { frame: Buffer; lagMs: number | undefined } {
    if (this.framesSeq !== this.seq) {
      this.frames = new Map();
      this.framesSeq = this.seq;
    }
    const cached = this.frames.get(key);
    if (cached) return { frame: cached, lagMs: undefined };
    const frame = textFrame(JSON.stringify(message()));
    this.frames.set(key, frame);
    const lagMs = this.unframedSince === undefined ? undefined : now - this.unframedSince;
    this.unframedSince = undefined;
    return { frame, lagMs };
  }

  private remember(seq: number, top: BoardEntry[]): void {
    this.history.set(seq, top);
    if (this.history.size > HISTORY_SIZE) this.history.delete(this.history.keys().next().value as number);
  }
}

/**
 * What turns the first `limit` entries of `before` into those of `after`: the new length,
 * and the entries that differ at their rank (a list is ranked 1, 2, …, so an entry's rank is
 * its place).
 */
export function diffTops(before: readonly BoardEntry[], after: readonly BoardEntry[], limit: number): { size: number; changes: BoardEntry[] } {
  const next = after.slice(0, limit);
  const changes = next.filter((entry, i) => {
    const old = before[i];
    return !old || old.userId !== entry.userId || old.score !== entry.score || old.username !== entry.username || old.rank !== entry.rank;
  });
  return { size: next.length, changes };
}

interface FrameOptions {
  fin: boolean;
  opcode: number;
  mask: boolean;
  readOnly: boolean;
  rsv1: boolean;
}
// ws's frame builder is public API (`WebSocket.Sender.frame`) but missing from @types/ws.
const { Sender } = createRequire(import.meta.url)('ws') as { Sender: { frame(data: Buffer, options: FrameOptions): Buffer[] } };

/** A final, unmasked text frame (server → client) holding `text`. */
function textFrame(text: string): Buffer {
  return Buffer.concat(Sender.frame(Buffer.from(text), { fin: true, opcode: 0x01, mask: false, readOnly: true, rsv1: false }));
}

import { createRequire } from 'node:module';
import type { BoardEntry } from '../platform/events.js';
import type { ServerMessage } from './protocol.js';

/**
 * The latest top of one board as this realtime node knows it, and its `update` frames: each
 * distinct (seq, limit) is serialized and framed once, and every subscriber that gets that
 * state gets those very bytes.
 */
export class BoardFeed {
  seq = 0;
  top: BoardEntry[] = [];
  /** When the oldest change that is in no frame yet arrived (for the broadcast-lag metric). */
  private unframedSince: number | undefined;
  private readonly frames = new Map<number, { seq: number; frame: Buffer }>();

  constructor(readonly board: string) {}

  /**
   * The state to start from: not a change, so nothing waits to be sent. Taken at an equal
   * `seq` too: a leaderboard rebuilt after a restart starts again at seq 0 with a full board.
   */
  seed(seq: number, top: BoardEntry[]): void {
    if (seq < this.seq) return;
    this.seq = seq;
    this.top = top;
  }

  /** Takes a newer state; false, changing nothing, for one that is not newer (`seq` only grows). */
  advance(seq: number, top: BoardEntry[], now: number): boolean {
    if (seq <= this.seq) return false;
    this.seq = seq;
    this.top = top;
    this.unframedSince ??= now;
    return true;
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
    const cached = this.frames.get(limit);
    if (cached?.seq === this.seq) return { frame: cached.frame, lagMs: undefined };
    const message = { type: 'update', board: this.board, seq: this.seq, entries: this.top.slice(0, limit) } satisfies ServerMessage;
    const frame = textFrame(JSON.stringify(message));
    this.frames.set(limit, { seq: this.seq, frame });
    const lagMs = this.unframedSince === undefined ? undefined : now - this.unframedSince;
    this.unframedSince = undefined;
    return { frame, lagMs };
  }
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

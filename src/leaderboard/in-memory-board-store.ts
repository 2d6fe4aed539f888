import type { Order } from '../platform/boards.js';
import type { BoardChanged } from '../platform/events.js';
import type { BoardStore } from './board-store.js';
import { InMemoryRankIndex } from './in-memory-rank-index.js';
import type { SeqFloor } from './seq-floor.js';

/**
 * The embedded `BoardStore`: everything in this process, rebuilt from SQLite at every start;
 * the seq counters start above the `SeqFloor` the embedded composition keeps in SQLite, so
 * they go on growing across restarts.
 */
export class InMemoryBoardStore implements BoardStore {
  private readonly indexes = new Map<string, InMemoryRankIndex>();
  private readonly loaded = new Set<string>();
  private readonly tops = new Map<string, BoardChanged>();
  private readonly seqs = new Map<string, number>();
  /** Each board's floor, read once, when its counter is first used. */
  private readonly floors = new Map<string, Promise<number>>();

  constructor(private readonly seqFloor?: SeqFloor) {}

  index(board: string, period: string, order: Order): InMemoryRankIndex {
    const key = periodKeyOf(board, period);
    let index = this.indexes.get(key);
    if (!index) this.indexes.set(key, (index = new InMemoryRankIndex({ order })));
    return index;
  }

  async isLoaded(board: string, period: string): Promise<boolean> {
    return this.loaded.has(periodKeyOf(board, period));
  }

  async markLoaded(board: string, period: string): Promise<void> {
    this.loaded.add(periodKeyOf(board, period));
  }

  async drop(board: string, period: string): Promise<void> {
    this.indexes.delete(periodKeyOf(board, period));
    this.loaded.delete(periodKeyOf(board, period));
  }

  async dropPeriodsBefore(board: string, oldestKept: string): Promise<void> {
    for (const key of [...this.indexes.keys()]) {
      const [keyBoard, period] = key.split('\u0000') as [string, string];
      if (keyBoard === board && period < oldestKept) await this.drop(board, period);
    }
  }

  async nextSeq(board: string): Promise<number> {
    let floor = this.floors.get(board);
    if (!floor) this.floors.set(board, (floor = this.seqFloor?.floor(board) ?? Promise.resolve(0)));
    const start = await floor;
    // Read and raised in one step after the await, so concurrent callers never share a value.
    const seq = (this.seqs.get(board) ?? start) + 1;
    this.seqs.set(board, seq);
    await this.seqFloor?.cover(board, seq);
    return seq;
  }

  async saveTop(change: BoardChanged): Promise<void> {
    this.tops.set(change.board, change);
  }

  async lastTop(board: string): Promise<BoardChanged | undefined> {
    return this.tops.get(board);
  }
}

/** One map key per board period (NUL cannot occur in a board id or a period key). */
function periodKeyOf(board: string, period: string): string {
  return `${board}\u0000${period}`;
}

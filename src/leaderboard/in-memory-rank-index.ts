import type { Order } from '../platform/boards.js';
import type { RankedEntry, RankIndex, RankRow } from './rank-index.js';

export interface InMemoryRankIndexOptions {
  /**
   * Entries a block holds before it splits in two. Large enough that the block list stays
   * short, small enough that shifting a block is a cheap memmove. Tests use tiny blocks to
   * exercise splits and merges.
   * @default 1024
   */
  blockSize?: number;
  /** `desc`: higher values rank first; `asc`: lower first. @default 'desc' */
  order?: Order;
}

/**
 * The in-process `RankIndex`: an order-statistic list of sorted blocks.
 *
 * Users live in slots of flat typed arrays (score, reachedAt, version) — about 28 bytes
 * of ranking data each, no object per user. The order is a list of blocks, each a sorted
 * `Int32Array` of at most 1,024 slots, and a Fenwick tree over the block sizes turns
 * "which block holds rank r" and "how many users rank above this block" into O(log n).
 * An update is a binary search over block ends, one inside a block, and a shift of at most
 * 1,024 int32s (a memmove), so no work grows with the number of users.
 *
 * Synchronous at heart (`…Sync` methods); the async methods implement the port.
 */
export class InMemoryRankIndex implements RankIndex {
  private readonly blockMax: number;
  private readonly slotOf = new Map<string, number>();
  private userIds: string[] = [];
  private scores = new Float64Array(1024);
  private reached = new Float64Array(1024);
  private versions = new Float64Array(1024);
  /** 1 for `desc`, -1 for `asc`: the sign that turns "higher value first" into the board's order. */
  private readonly direction: 1 | -1;
  private readonly freeSlots: number[] = [];
  private blocks: Int32Array[] = [];
  private sizes: number[] = [];
  private fenwick = new Float64Array(1);

  constructor(options: InMemoryRankIndexOptions = {}) {
    this.blockMax = Math.max(4, options.blockSize ?? 1024);
    this.direction = options.order === 'asc' ? -1 : 1;
  }

  // ---- port ----

  async set(userId: string, score: number, reachedAt: number, version: number): Promise<boolean> {
    return this.setSync(userId, score, reachedAt, version);
  }

  async remove(userId: string): Promise<boolean> {
    return this.removeSync(userId);
  }

  async rankOf(userId: string): Promise<RankedEntry | undefined> {
    return this.rankOfSync(userId);
  }

  async range(offset: number, limit: number): Promise<RankedEntry[]> {
    return this.rangeSync(offset, limit);
  }

  async count(): Promise<number> {
    return this.slotOf.size;
  }

  async load(rows: Iterable<RankRow>): Promise<void> {
    this.loadSync(rows);
  }

  async clear(): Promise<void> {
    this.clearSync();
  }

  /** Synchronous, so no reader runs between the clear and the load. */
  async replace(rows: Iterable<RankRow>): Promise<void> {
    this.clearSync();
    this.loadSync(rows);
  }

  // ---- synchronous core ----

  get size(): number {
    return this.slotOf.size;
  }

  setSync(userId: string, score: number, reachedAt: number, version: number): boolean {
    let slot = this.slotOf.get(userId);
    if (slot !== undefined) {
      if (version <= (this.versions[slot] as number)) return false;
      this.versions[slot] = version;
      // A newer action that left the value where it was (a `max` board's lower score) moves nobody.
      if (score === this.scores[slot] && reachedAt === this.reached[slot]) return false;
      this.unlink(slot);
    } else {
      slot = this.allocate(userId);
      this.versions[slot] = version;
    }
    this.scores[slot] = score;
    this.reached[slot] = reachedAt;
    this.link(slot);
    return true;
  }

  removeSync(userId: string): boolean {
    const slot = this.slotOf.get(userId);
    if (slot === undefined) return false;
    this.unlink(slot);
    this.slotOf.delete(userId);
    this.userIds[slot] = '';
    this.freeSlots.push(slot);
    return true;
  }

  rankOfSync(userId: string): RankedEntry | undefined {
    const slot = this.slotOf.get(userId);
    if (slot === undefined) return undefined;
    const block = this.blockFor(slot);
    const index = this.lowerBound(this.blocks[block] as Int32Array, this.sizes[block] as number, slot);
    return this.entry(slot, this.countBefore(block) + index + 1);
  }

  rangeSync(offset: number, limit: number): RankedEntry[] {
    const entries: RankedEntry[] = [];
    if (offset >= this.slotOf.size || limit <= 0) return entries;
    let [block, index] = this.locate(offset);
    let rank = offset + 1;
    while (entries.length < limit && block < this.blocks.length) {
      const slots = this.blocks[block] as Int32Array;
      const size = this.sizes[block] as number;
      for (; index < size && entries.length < limit; index += 1) entries.push(this.entry(slots[index] as number, rank++));
      block += 1;
      index = 0;
    }
    return entries;
  }

  /**
   * Adds `rows` in one O(n log n) re-sort of everyone rather than n single inserts: how a
   * board is rebuilt from storage at start. A user seen before (ranked already, or earlier
   * in `rows`) goes through `setSync` instead, so the newest version wins as with `set`.
   */
  loadSync(rows: Iterable<RankRow>): void {
    const ranked: RankRow[] = this.rangeSync(0, this.size).map((entry) => [entry.userId, entry.score, entry.reachedAt, this.versions[this.slotOf.get(entry.userId) as number] as number]);
    const repeats: RankRow[] = [];
    // `loadRows` registers each row in `slotOf` before it pulls the next, so `slotOf` tells
    // which users this load has already placed.
    const slotOf = this.slotOf;
    function* firstOccurrences(): Generator<RankRow> {
      yield* ranked;
      for (const row of rows) {
        if (slotOf.has(row[0])) repeats.push(row);
        else yield row;
      }
    }
    this.loadRows(firstOccurrences());
    for (const [userId, score, reachedAt, version] of repeats) this.setSync(userId, score, reachedAt, version);
  }

  clearSync(): void {
    this.loadRows([]);
  }

  /**
   * Replaces everything with `[userId, score, reachedAt, version]` rows as SQLite's raw mode
   * returns them. Each user must appear once (a primary-key scan guarantees it); a repeat is refused.
   */
  loadRows(rows: Iterable<RankRow>): void {
    this.slotOf.clear();
    this.userIds = [];
    this.freeSlots.length = 0;
    // Slots are handed out 0, 1, 2… so the rows' order needs no array of its own.
    let count = 0;
    for (const [userId, score, reachedAt, version] of rows) {
      if (count === this.scores.length) {
        this.scores = grow(this.scores, count * 2);
        this.reached = grow(this.reached, count * 2);
        this.versions = grow(this.versions, count * 2);
      }
      this.slotOf.set(userId, count);
      this.userIds.push(userId);
      this.scores[count] = score;
      this.reached[count] = reachedAt;
      this.versions[count] = version;
      count += 1;
    }
    if (this.slotOf.size !== count) {
      this.clearSync();
      throw new Error('rank index load: a user appears more than once');
    }
    const order = Array.from({ length: count }, (_, slot) => slot);
    const sorted = this.sortSlots(order);
    const half = Math.floor(this.blockMax / 2);
    this.blocks = [];
    this.sizes = [];
    for (let start = 0; start < sorted.length; start += half) {
      const block = new Int32Array(this.blockMax);
      const chunk = sorted.subarray(start, start + half);
      block.set(chunk);
      this.blocks.push(block);
      this.sizes.push(chunk.length);
    }
    this.rebuildFenwick();
  }

  /**
   * Sorts slots into rank order. When the spread of the (integer) scores and the slot
   * numbers fit together in a double's 53 bits (a spread below 2^31 with a million users),
   * they are packed into one number and sorted natively — several times faster than a
   * comparator — and only runs of equal scores go through the full comparator.
   */
  private sortSlots(slots: readonly number[]): Int32Array {
    const n = slots.length;
    const slotBits = Math.max(1, Math.ceil(Math.log2(n + 1)));
    const scale = 2 ** slotBits;
    // The rank key: ascending key = the board's order.
    const keyOf = (slot: number): number => -this.direction * (this.scores[slot] as number);
    let minKey = Number.POSITIVE_INFINITY;
    let maxKey = Number.NEGATIVE_INFINITY;
    for (const slot of slots) {
      minKey = Math.min(minKey, keyOf(slot));
      maxKey = Math.max(maxKey, keyOf(slot));
    }
    const packable = n > 0 && slots.every((slot) => Number.isInteger(this.scores[slot])) && (maxKey - minKey + 1) * scale <= 2 ** 53;
    if (!packable) return Int32Array.from(slots).sort((a, b) => this.compare(a, b));

    const keys = new Float64Array(n);
    for (let i = 0; i < n; i += 1) {
      const slot = slots[i] as number;
      keys[i] = (keyOf(slot) - minKey) * scale + slot;
    }
    keys.sort();
    const sorted = new Int32Array(n);
    for (let i = 0; i < n; i += 1) sorted[i] = (keys[i] as number) % scale;
    for (let start = 0; start < n; ) {
      let end = start + 1;
      const score = this.scores[sorted[start] as number];
      while (end < n && this.scores[sorted[end] as number] === score) end += 1;
      if (end - start > 1) sorted.subarray(start, end).sort((a, b) => this.compare(a, b));
      start = end;
    }
    return sorted;
  }


  // ---- internals ----

  /** Score in the board's order, reachedAt asc, user id asc: negative when slot `a` ranks above `b`. */
  private compare(a: number, b: number): number {
    const scoreA = this.scores[a] as number;
    const scoreB = this.scores[b] as number;
    if (scoreA !== scoreB) return this.direction * (scoreB - scoreA);
    const reachedA = this.reached[a] as number;
    const reachedB = this.reached[b] as number;
    if (reachedA !== reachedB) return reachedA - reachedB;
    const userA = this.userIds[a] as string;
    const userB = this.userIds[b] as string;
    return userA < userB ? -1 : userA > userB ? 1 : 0;
  }

  private allocate(userId: string): number {
    const slot = this.freeSlots.pop() ?? this.userIds.length;
    if (slot === this.userIds.length) this.userIds.push(userId);
    else this.userIds[slot] = userId;
    if (slot >= this.scores.length) {
      const grown = Math.max(this.scores.length * 2, slot + 1);
      this.scores = grow(this.scores, grown);
      this.reached = grow(this.reached, grown);
      this.versions = grow(this.versions, grown);
    }
    this.slotOf.set(userId, slot);
    return slot;
  }

  /** The block where `slot` is, or would be inserted: the first whose last entry does not rank above it. */
  private blockFor(slot: number): number {
    let low = 0;
    let high = this.blocks.length - 1;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const last = (this.blocks[middle] as Int32Array)[(this.sizes[middle] as number) - 1] as number;
      if (this.compare(last, slot) < 0) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** First index in `block` whose slot does not rank above `slot`. */
  private lowerBound(block: Int32Array, size: number, slot: number): number {
    let low = 0;
    let high = size;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.compare(block[middle] as number, slot) < 0) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  private link(slot: number): void {
    if (this.blocks.length === 0) {
      this.blocks.push(new Int32Array(this.blockMax));
      this.sizes.push(0);
      this.rebuildFenwick();
    }
    const b = this.blockFor(slot);
    const block = this.blocks[b] as Int32Array;
    const size = this.sizes[b] as number;
    const index = this.lowerBound(block, size, slot);
    block.copyWithin(index + 1, index, size);
    block[index] = slot;
    this.sizes[b] = size + 1;
    if (size + 1 === this.blockMax) this.split(b);
    else this.addToFenwick(b, 1);
  }

  private unlink(slot: number): void {
    const b = this.blockFor(slot);
    const block = this.blocks[b] as Int32Array;
    const size = this.sizes[b] as number;
    const index = this.lowerBound(block, size, slot);
    if (block[index] !== slot) throw new Error(`rank index corrupt: slot ${slot} not where its score says`);
    block.copyWithin(index, index + 1, size);
    this.sizes[b] = size - 1;
    if (size - 1 === 0 && this.blocks.length > 1) {
      this.blocks.splice(b, 1);
      this.sizes.splice(b, 1);
      this.rebuildFenwick();
    } else {
      this.addToFenwick(b, -1);
    }
  }

  private split(b: number): void {
    const block = this.blocks[b] as Int32Array;
    const half = Math.floor(this.blockMax / 2);
    const upper = new Int32Array(this.blockMax);
    upper.set(block.subarray(half, this.blockMax));
    this.blocks.splice(b + 1, 0, upper);
    this.sizes.splice(b + 1, 0, this.blockMax - half);
    this.sizes[b] = half;
    this.rebuildFenwick();
  }

  private entry(slot: number, rank: number): RankedEntry {
    return { rank, userId: this.userIds[slot] as string, score: this.scores[slot] as number, reachedAt: this.reached[slot] as number };
  }

  // Fenwick tree (1-based) over block sizes.

  private rebuildFenwick(): void {
    const n = this.sizes.length;
    this.fenwick = new Float64Array(n + 1);
    for (let i = 1; i <= n; i += 1) {
      this.fenwick[i] = (this.fenwick[i] as number) + (this.sizes[i - 1] as number);
      const parent = i + (i & -i);
      if (parent <= n) this.fenwick[parent] = (this.fenwick[parent] as number) + (this.fenwick[i] as number);
    }
  }

  private addToFenwick(block: number, delta: number): void {
    for (let i = block + 1; i < this.fenwick.length; i += i & -i) this.fenwick[i] = (this.fenwick[i] as number) + delta;
  }

  /** Users in blocks before `block`. */
  private countBefore(block: number): number {
    let sum = 0;
    for (let i = block; i > 0; i -= i & -i) sum += this.fenwick[i] as number;
    return sum;
  }

  /** [block, index] of the entry at 0-based position `position`. */
  private locate(position: number): [number, number] {
    let block = 0;
    let remaining = position;
    let step = 1;
    while (step * 2 < this.fenwick.length) step *= 2;
    for (; step > 0; step >>= 1) {
      const next = block + step;
      if (next < this.fenwick.length && (this.fenwick[next] as number) <= remaining) {
        block = next;
        remaining -= this.fenwick[next] as number;
      }
    }
    return [block, remaining];
  }
}

function grow(array: Float64Array, length: number): Float64Array<ArrayBuffer> {
  const next = new Float64Array(length);
  next.set(array);
  return next;
}

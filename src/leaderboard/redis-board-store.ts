import type { Order } from '../platform/boards.js';
import type { BoardChanged } from '../platform/events.js';
import type { RedisClient } from '../platform/redis.js';
import type { RedisKeys } from '../platform/redis-keys.js';
import type { BoardStore } from './board-store.js';
import type { SeqFloor } from './seq-floor.js';
import { RedisRankIndex } from './redis-rank-index.js';

/**
 * KEYS[1] a counter just created by INCR, ARGV[1] its floor, ARGV[2] the value that INCR
 * gave. At or below the floor: the counter moves above it and the next value is answered;
 * otherwise (no floor, or another node raised it already) ARGV[2] stands.
 */
const RAISE_TO_FLOOR_LUA = `
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if current <= tonumber(ARGV[1]) then
  redis.call('SET', KEYS[1], ARGV[1])
  return redis.call('INCR', KEYS[1])
end
return tonumber(ARGV[2])
`;

/**
 * The distributed `BoardStore`: sorted sets, counters and last tops in Redis, shared by
 * every leaderboard and realtime node. A `loaded` marker per board period tells whether
 * Redis still holds what was rebuilt into it; Redis keeps no data across its own restart,
 * and then the marker is gone too.
 */
export class RedisBoardStore implements BoardStore {
  private readonly indexes = new Map<string, RedisRankIndex>();

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
    /** Where seq reservations survive a Redis that lost its counter. */
    private readonly seqFloor?: SeqFloor,
  ) {}

  index(board: string, period: string, order: Order): RedisRankIndex {
    const key = this.keys.board(board, period);
    let index = this.indexes.get(key);
    if (!index) this.indexes.set(key, (index = new RedisRankIndex(this.redis, this.keys, board, period, order)));
    return index;
  }

  async isLoaded(board: string, period: string): Promise<boolean> {
    return (await this.redis.exists(this.keys.boardLoaded(board, period))) === 1;
  }

  async markLoaded(board: string, period: string): Promise<void> {
    await this.redis.set(this.keys.boardLoaded(board, period), String(Date.now()));
  }

  async drop(board: string, period: string): Promise<void> {
    this.indexes.delete(this.keys.board(board, period));
    // UNLINK frees a million-member set in the background instead of blocking Redis.
    await this.redis.unlink(this.keys.board(board, period), this.keys.boardEntries(board, period), this.keys.boardLoaded(board, period));
  }

  /** Finds the board's period keys with SCAN (cheap: a board has a handful of periods). */
  async dropPeriodsBefore(board: string, oldestKept: string): Promise<void> {
    const old = new Set<string>();
    const pattern = this.keys.board(board, '*').replace(/:rank$/, ':*');
    let cursor = '0';
    do {
      const [next, found] = await this.redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      for (const key of found) {
        const period = this.keys.periodOf(board, key);
        if (period !== undefined && period < oldestKept) old.add(period);
      }
    } while (cursor !== '0');
    for (const period of old) await this.drop(board, period);
  }

  async nextSeq(board: string): Promise<number> {
    const key = this.keys.boardSeq(board);
    if (!this.seqFloor) return this.redis.incr(key);
    const [[, existed], [, incremented]] = (await this.redis.multi().exists(key).incr(key).exec()) as [[null, number], [null, number]];
    let seq = incremented;
    // A counter that was not there: the first change ever, or Redis lost it. Start above
    // whatever any node may have handed out (nodes that raced us here get lower values
    // once; the next change is in order again).
    if (existed === 0) seq = (await this.redis.eval(RAISE_TO_FLOOR_LUA, 1, key, String(await this.seqFloor.floor(board)), String(seq))) as number;
    await this.seqFloor.cover(board, seq);
    return seq;
  }

  async saveTop(change: BoardChanged): Promise<void> {
    await this.redis.set(this.keys.boardTop(change.board), JSON.stringify(change));
  }

  async lastTop(board: string): Promise<BoardChanged | undefined> {
    const saved = await this.redis.get(this.keys.boardTop(board));
    return saved === null ? undefined : (JSON.parse(saved) as BoardChanged);
  }
}

import type { RedisClient } from '../platform/redis.js';
import type { RedisKeys } from '../platform/redis-keys.js';
import type { Order } from '../platform/boards.js';
import type { RankedEntry, RankIndex, RankRow } from './rank-index.js';

/*
 * The entries hash maps user id → "value:reachedAt:version" (entries written before versions
 * existed read as version 0); the member of the sorted set is "<reachedAt>:<userId>".
 */

/**
 * KEYS[1] board sorted set, KEYS[2] entries hash.
 * ARGV: userId, version, sortScore, member, entry — repeated, one group of five per row.
 * Returns how many users' ranked entries changed. Rows apply in order with the rule of
 * `set`: an entry replaces the held one only when its version is newer (the first of equal
 * ones); a newer version that leaves value and time where they were moves only the version.
 * Reads and writes go in a handful of variadic commands per call rather than three per row.
 */
const PUT_LUA = `
local function fields(entry)
  local a = string.find(entry, ':', 1, true)
  local b = string.find(entry, ':', a + 1, true)
  if b then return string.sub(entry, 1, b - 1), string.sub(entry, a + 1, b - 1), tonumber(string.sub(entry, b + 1)) end
  return entry, string.sub(entry, a + 1), 0
end
local users = {}
for i = 1, #ARGV, 5 do users[#users + 1] = ARGV[i] end
local stored = redis.call('HMGET', KEYS[2], unpack(users))
local held, chosen, order, old = {}, {}, {}, {}
for row = 1, #users do
  local i = row * 5 - 4
  local userId, version = ARGV[i], tonumber(ARGV[i + 1])
  if held[userId] == nil then
    order[#order + 1] = userId
    held[userId] = -1
    if stored[row] then
      old[userId] = stored[row]
      local _, _, heldVersion = fields(stored[row])
      held[userId] = heldVersion
    end
  end
  if version > held[userId] then
    held[userId] = version
    chosen[userId] = i
  end
end
local zrem, zadd, hset, changed = {}, {}, {}, 0
for _, userId in ipairs(order) do
  local i = chosen[userId]
  if i then
    local entry = ARGV[i + 4]
    hset[#hset + 1], hset[#hset + 2] = userId, entry
    local before = old[userId]
    local newHead = fields(entry)
    local oldHead, oldReached
    if before then oldHead, oldReached = fields(before) end
    if oldHead ~= newHead then
      if before then zrem[#zrem + 1] = oldReached .. ':' .. userId end
      zadd[#zadd + 1], zadd[#zadd + 2] = ARGV[i + 2], ARGV[i + 3]
      changed = changed + 1
    end
  end
end
if #zrem > 0 then redis.call('ZREM', KEYS[1], unpack(zrem)) end
if #zadd > 0 then redis.call('ZADD', KEYS[1], unpack(zadd)) end
if #hset > 0 then redis.call('HSET', KEYS[2], unpack(hset)) end
return changed
`;

/** KEYS[1] board sorted set, KEYS[2] entries hash. ARGV[1] userId. Returns 1 when the user was ranked. */
const REMOVE_LUA = `
local entry = redis.call('HGET', KEYS[2], ARGV[1])
if not entry then return 0 end
local a = string.find(entry, ':', 1, true)
local b = string.find(entry, ':', a + 1, true)
local reached = b and string.sub(entry, a + 1, b - 1) or string.sub(entry, a + 1)
redis.call('ZREM', KEYS[1], reached .. ':' .. ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
return 1
`;

/**
 * KEYS[1] board sorted set, KEYS[2] entries hash. ARGV[1] userId.
 * Returns {0-based rank, entry}, or nil when the user is not ranked. One script, so a
 * concurrent `set` cannot move the member between reading the entry and ranking it.
 */
const RANK_OF_LUA = `
local entry = redis.call('HGET', KEYS[2], ARGV[1])
if not entry then return false end
local a = string.find(entry, ':', 1, true)
local b = string.find(entry, ':', a + 1, true)
local reached = b and string.sub(entry, a + 1, b - 1) or string.sub(entry, a + 1)
local rank = redis.call('ZRANK', KEYS[1], reached .. ':' .. ARGV[1])
if not rank then return redis.error_reply('rank index corrupt: ' .. ARGV[1] .. ' has an entry but no rank') end
return {rank, entry}
`;

/** The scripts as ioredis commands: EVALSHA, falling back to EVAL when Redis lost the script. */
interface RankIndexCommands {
  rankIndexPut(board: string, entries: string, ...rows: string[]): Promise<number>;
  rankIndexRemove(board: string, entries: string, userId: string): Promise<number>;
  rankIndexRankOf(board: string, entries: string, userId: string): Promise<[number, string] | null>;
}

const withCommands = new WeakSet<RedisClient>();

/** Defines the scripts once per connection, so ioredis remembers which it has loaded. */
function commandsOf(redis: RedisClient): RankIndexCommands {
  if (!withCommands.has(redis)) {
    redis.defineCommand('rankIndexPut', { numberOfKeys: 2, lua: PUT_LUA });
    redis.defineCommand('rankIndexRemove', { numberOfKeys: 2, lua: REMOVE_LUA });
    redis.defineCommand('rankIndexRankOf', { numberOfKeys: 2, lua: RANK_OF_LUA, readOnly: true });
    withCommands.add(redis);
  }
  // defineCommand adds the methods at run time; ioredis has no typing for them.
  return redis as unknown as RankIndexCommands;
}

/** Rows per script call in `load`: enough to amortise the round trip, few enough that one call holds Redis for only milliseconds. */
const LOAD_BATCH_ROWS = 1_000;
/** Batches in flight at once in `load`. */
const LOAD_BATCHES_IN_FLIGHT = 8;
/** Width of `reachedAt` in a member: ms timestamps below 10^15 (the year 33658). */
const REACHED_AT_DIGITS = 15;

/**
 * The distributed `RankIndex`: one board period in a Redis sorted set, shared by every
 * leaderboard node.
 *
 * Member `<reachedAt, 15 digits>:<userId>`; the sorted-set score is the value negated on a
 * `desc` board and the value itself on an `asc` one, so Redis's ascending order is always
 * the board's order. Among equal scores Redis orders members by their bytes: reachedAt
 * ascending, then user id — exactly the in-process order for user ids of ASCII (they are
 * UUIDs); for characters outside the BMP, UTF-8 byte order and the in-process UTF-16 order
 * may differ. Values are exact as doubles up to 2^53; `reachedAt` must be a whole number of
 * ms in [0, 10^15), as the timestamps it holds are (a RangeError otherwise).
 *
 * A side hash maps user id → `value:reachedAt:version`, so a user's member can be found to
 * rank or replace it and a late event can be told from a newer one. Every multi-step change is one Lua script over both keys, which share a
 * hash tag and so one Redis Cluster slot.
 */
export class RedisRankIndex implements RankIndex {
  private readonly boardKey: string;
  private readonly entriesKey: string;
  private readonly commands: RankIndexCommands;
  /** -1 on a `desc` board (the stored score is the value negated), 1 on an `asc` one. */
  private readonly sign: 1 | -1;

  constructor(
    private readonly redis: RedisClient,
    keys: RedisKeys,
    board: string,
    period: string,
    order: Order = 'desc',
  ) {
    this.sign = order === 'asc' ? 1 : -1;
    this.boardKey = keys.board(board, period);
    this.entriesKey = keys.boardEntries(board, period);
    this.commands = commandsOf(redis);
  }

  async set(userId: string, score: number, reachedAt: number, version: number): Promise<boolean> {
    return (await this.commands.rankIndexPut(this.boardKey, this.entriesKey, ...this.rowArguments(userId, score, reachedAt, version))) === 1;
  }

  async remove(userId: string): Promise<boolean> {
    return (await this.commands.rankIndexRemove(this.boardKey, this.entriesKey, userId)) === 1;
  }

  async rankOf(userId: string): Promise<RankedEntry | undefined> {
    const found = await this.commands.rankIndexRankOf(this.boardKey, this.entriesKey, userId);
    if (!found) return undefined;
    const [rank, entry] = found;
    const [value, reached] = entry.split(':');
    return { rank: rank + 1, userId, score: Number(value), reachedAt: Number(reached) };
  }

  async range(offset: number, limit: number): Promise<RankedEntry[]> {
    if (limit <= 0) return [];
    const start = Math.max(0, offset);
    const reply = await this.redis.zrange(this.boardKey, start, start + limit - 1, 'WITHSCORES');
    const entries: RankedEntry[] = [];
    for (let i = 0; i + 1 < reply.length; i += 2) {
      const member = reply[i] as string;
      const separator = member.indexOf(':');
      entries.push({
        rank: start + i / 2 + 1,
        userId: member.slice(separator + 1),
        // `+ 0`: a score of 0 comes back as 0, not -0.
        score: this.sign * Number(reply[i + 1]) + 0,
        reachedAt: Number(member.slice(0, separator)),
      });
    }
    return entries;
  }

  async count(): Promise<number> {
    return this.redis.zcard(this.boardKey);
  }

  /**
   * Batches of rows, one script call each (the same as `set`, row by row, so the newest
   * version wins), several batches in flight: no round trip per row.
   */
  async load(rows: Iterable<RankRow>): Promise<void> {
    await this.loadInto(this.boardKey, this.entriesKey, rows);
  }

  /**
   * Loads into a pair of side keys (same hash tag, so the same Cluster slot), then renames
   * them over the live pair in one MULTI: readers see the old board until the new one is whole.
   */
  async replace(rows: Iterable<RankRow>): Promise<void> {
    const [board, entries] = [`${this.boardKey}:next`, `${this.entriesKey}:next`];
    await this.redis.unlink(board, entries);
    const loaded = await this.loadInto(board, entries, rows);
    const swap = this.redis.multi();
    if (loaded > 0) swap.rename(board, this.boardKey).rename(entries, this.entriesKey);
    else swap.unlink(this.boardKey, this.entriesKey);
    const results = await swap.exec();
    const failed = results?.find(([error]) => error !== null);
    if (!results || failed) throw failed?.[0] ?? new Error('Redis discarded the board swap');
  }

  /** @returns how many rows were sent */
  private async loadInto(boardKey: string, entriesKey: string, rows: Iterable<RankRow>): Promise<number> {
    const inFlight: Promise<number>[] = [];
    let batch: string[] = [];
    let count = 0;
    const send = async (): Promise<void> => {
      const sent = this.commands.rankIndexPut(boardKey, entriesKey, ...batch);
      batch = [];
      // Awaited below in turn; until then a failure must not count as unhandled.
      sent.catch(() => {});
      inFlight.push(sent);
      if (inFlight.length === LOAD_BATCHES_IN_FLIGHT) await inFlight.shift();
    };
    for (const [userId, score, reachedAt, version] of rows) {
      batch.push(...this.rowArguments(userId, score, reachedAt, version));
      count += 1;
      if (batch.length === LOAD_BATCH_ROWS * 5) await send();
    }
    if (batch.length > 0) await send();
    await Promise.all(inFlight);
    return count;
  }

  async clear(): Promise<void> {
    await this.redis.unlink(this.boardKey, this.entriesKey); // freed in the background, not blocking Redis
  }

  /** One row's ARGV group for the put script: userId, version, sortScore, member, entry. */
  private rowArguments(userId: string, score: number, reachedAt: number, version: number): [string, string, string, string, string] {
    if (!Number.isFinite(score)) throw new RangeError(`rank index: score must be finite, got ${score}`);
    if (!Number.isSafeInteger(reachedAt) || reachedAt < 0 || reachedAt >= 10 ** REACHED_AT_DIGITS) {
      throw new RangeError(`rank index: reachedAt must be a whole number of ms in [0, 10^${REACHED_AT_DIGITS}), got ${reachedAt}`);
    }
    if (!Number.isSafeInteger(version) || version < 0) throw new RangeError(`rank index: version must be a whole number ≥ 0, got ${version}`);
    const reached = String(reachedAt).padStart(REACHED_AT_DIGITS, '0');
    // String(-0) is "0", and a double's shortest decimal form parses back to the same double.
    const value = String(score);
    return [userId, String(version), String(this.sign * score + 0), `${reached}:${userId}`, `${value}:${reached}:${version}`];
  }
}

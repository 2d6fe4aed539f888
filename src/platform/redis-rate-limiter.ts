import type { RateLimitConfig } from './config.js';
import type { RedisClient } from './redis.js';
import type { RedisKeys } from './redis-keys.js';
import type { RateLimitDecision, RateLimiter } from './rate-limiter.js';

/**
 * KEYS[1] the bucket: a hash {tokens, updatedAtMs}.
 * ARGV[1] perSec, ARGV[2] burst, ARGV[3] now (ms), ARGV[4] ms the key outlives a full refill.
 * Returns {1 when allowed else 0, tokens left}. The arithmetic is the in-process adapter's,
 * step for step, and numbers are stored with 17 significant digits, so both adapters reach
 * the same doubles.
 */
const CONSUME_LUA = `
local perSec, burst, now = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'updatedAtMs')
local tokens, updatedAt = tonumber(state[1]), tonumber(state[2])
if not tokens or not updatedAt then tokens, updatedAt = burst, now end
-- A node whose clock lags the last writer's must not drain the bucket: no negative refill.
if now < updatedAt then now = updatedAt end
tokens = math.min(burst, tokens + ((now - updatedAt) / 1000) * perSec)
local allowed = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
end
local left = string.format('%.17g', tokens)
redis.call('HSET', KEYS[1], 'tokens', left, 'updatedAtMs', string.format('%.17g', now))
redis.call('PEXPIRE', KEYS[1], math.ceil((burst - tokens) / perSec * 1000) + tonumber(ARGV[4]))
return {allowed, left}
`;

/**
 * KEYS[1] the bucket, ARGV as for CONSUME_LUA. Refills the bucket to now and adds one token,
 * never past burst; a missing bucket is full and stays missing.
 */
const REFUND_LUA = `
local perSec, burst, now = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'updatedAtMs')
local tokens, updatedAt = tonumber(state[1]), tonumber(state[2])
if not tokens or not updatedAt then return 0 end
if now < updatedAt then now = updatedAt end
tokens = math.min(burst, tokens + ((now - updatedAt) / 1000) * perSec + 1)
redis.call('HSET', KEYS[1], 'tokens', string.format('%.17g', tokens), 'updatedAtMs', string.format('%.17g', now))
redis.call('PEXPIRE', KEYS[1], math.ceil((burst - tokens) / perSec * 1000) + tonumber(ARGV[4]))
return 1
`;

/**
 * A full bucket and no bucket are the same, so a key may vanish once refilled; it lives this
 * much longer so that nodes' clocks running a little apart from Redis's never drop a bucket
 * that is still refilling.
 */
const EXPIRY_MARGIN_MS = 1_000;

interface RateLimiterCommands {
  rateLimitConsume(bucket: string, perSec: string, burst: string, now: string, marginMs: string): Promise<[number, string]>;
  rateLimitRefund(bucket: string, perSec: string, burst: string, now: string, marginMs: string): Promise<number>;
}

const withCommands = new WeakSet<RedisClient>();

/** Defines the scripts once per connection, so ioredis remembers whether it is loaded. */
function commandsOf(redis: RedisClient): RateLimiterCommands {
  if (!withCommands.has(redis)) {
    redis.defineCommand('rateLimitConsume', { numberOfKeys: 1, lua: CONSUME_LUA });
    redis.defineCommand('rateLimitRefund', { numberOfKeys: 1, lua: REFUND_LUA });
    withCommands.add(redis);
  }
  // defineCommand adds the method at run time; ioredis has no typing for it.
  return redis as unknown as RateLimiterCommands;
}

export interface RedisRateLimiterOptions extends RateLimitConfig {
  /**
   * The clock buckets refill by, sent to Redis with each request. In production every node
   * reads its own clock, so nodes' clocks must agree (NTP); a node running behind cannot
   * take tokens back, it merely sees no refill until its clock catches up.
   * @default Date.now
   */
  now?: () => number;
}

/**
 * Token buckets shared by every score node: `perSec` tokens a second refill a bucket of
 * `burst`, the same rule and decisions as `InMemoryRateLimiter`. Each request is one Lua
 * script (refill, take, store), so concurrent requests on different nodes never both spend
 * the last token. A bucket expires once it would be full again, so Redis holds only
 * recently active keys.
 */
export class RedisRateLimiter implements RateLimiter {
  private readonly now: () => number;
  private readonly commands: RateLimiterCommands;

  constructor(
    redis: RedisClient,
    private readonly keys: RedisKeys,
    private readonly options: RedisRateLimiterOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.commands = commandsOf(redis);
  }

  async consume(key: string): Promise<RateLimitDecision> {
    const { perSec, burst } = this.options;
    const [allowedFlag, left] = await this.commands.rateLimitConsume(this.keys.rateLimit(key), ...this.scriptArgs());
    const allowed = allowedFlag === 1;
    const tokens = Number(left);
    return {
      allowed,
      limit: burst,
      remaining: Math.floor(tokens),
      resetSeconds: Math.ceil((burst - tokens) / perSec),
      retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil((1 - tokens) / perSec)),
    };
  }

  async refund(key: string): Promise<void> {
    await this.commands.rateLimitRefund(this.keys.rateLimit(key), ...this.scriptArgs());
  }

  /** ARGV of both scripts: perSec, burst, now, expiry margin. */
  private scriptArgs(): [string, string, string, string] {
    return [String(this.options.perSec), String(this.options.burst), String(this.now()), String(EXPIRY_MARGIN_MS)];
  }

  /** Nothing to release: the connection belongs to whoever passed it in. */
  async close(): Promise<void> {}
}

import { afterAll, describe, expect, it } from 'vitest';
import { REDIS_URL, redisAvailable, redisTestNamespace } from '../../test/infrastructure.js';
import { createRedis } from './redis.js';
import { RedisKeys } from './redis-keys.js';
import { FakeClock } from './rate-limiter.contract.js';
import { RedisRateLimiter } from './redis-rate-limiter.js';

describe.skipIf(!redisAvailable)('RedisRateLimiter', () => {
  const { redis, keys } = redisTestNamespace();

  it('shares one bucket between limiters on different connections, as score nodes do', async () => {
    const other = createRedis(REDIS_URL, { name: 'live-leaderboard-test-2' });
    afterAll(() => other.disconnect());
    const clock = new FakeClock();
    const shared = new RedisKeys(`${keys.namespace}:shared`);
    const nodeA = new RedisRateLimiter(redis, shared, { perSec: 1, burst: 6, now: clock.now });
    const nodeB = new RedisRateLimiter(other, shared, { perSec: 1, burst: 6, now: clock.now });

    const decisions = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? nodeA : nodeB).consume('user:a')));
    expect(decisions.filter((decision) => decision.allowed)).toHaveLength(6);
    expect((await nodeB.consume('user:a')).allowed).toBe(false);
    expect((await nodeA.consume('user:b')).allowed).toBe(true);

    clock.advance(1_000);
    expect(await nodeA.consume('user:a')).toMatchObject({ allowed: true, remaining: 0 });
    expect((await nodeB.consume('user:a')).allowed).toBe(false);
  });

  it('lets a bucket expire once it would be full again, and leaves the connection open on close', async () => {
    const rl = new RedisRateLimiter(redis, keys, { perSec: 10, burst: 20, now: new FakeClock().now });
    for (let i = 0; i < 5; i += 1) await rl.consume('ip:10.0.0.1');

    // 5 tokens short at 10 a second: full after 500 ms, plus the margin for clock skew.
    const ttl = await redis.pttl(keys.rateLimit('ip:10.0.0.1'));
    expect(ttl).toBeGreaterThan(1_000);
    expect(ttl).toBeLessThanOrEqual(1_500);

    await rl.close();
    expect(await redis.ping()).toBe('PONG');
  });

  it('does not drain a bucket when a node with a lagging clock consumes', async () => {
    const ahead = new FakeClock();
    const behind = new FakeClock(ahead.ms - 5_000);
    const nodeA = new RedisRateLimiter(redis, keys, { perSec: 1, burst: 3, now: ahead.now });
    const nodeB = new RedisRateLimiter(redis, keys, { perSec: 1, burst: 3, now: behind.now });

    expect((await nodeA.consume('user:skew')).remaining).toBe(2);
    expect((await nodeB.consume('user:skew')).remaining).toBe(1);
    expect((await nodeA.consume('user:skew')).remaining).toBe(0);
  });
});

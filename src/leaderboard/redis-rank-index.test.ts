import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { redisAvailable, redisTestNamespace } from '../../test/infrastructure.js';
import { InMemoryRankIndex } from './in-memory-rank-index.js';
import type { RankedEntry } from './rank-index.js';
import { RedisRankIndex } from './redis-rank-index.js';

describe.skipIf(!redisAvailable)('RedisRankIndex', () => {
  const { redis, keys } = redisTestNamespace();
  let boards = 0;
  /** A fresh, empty index: a board of its own in this file's namespace. */
  const fresh = (): RedisRankIndex => new RedisRankIndex(redis, keys, `board-${(boards += 1)}`, 'all');

  it('keeps one board period apart from another', async () => {
    const daily = new RedisRankIndex(redis, keys, 'shared', '2026-11-27');
    const weekly = new RedisRankIndex(redis, keys, 'shared', '2026-11-23');
    await daily.set('a', 10, 1, 1);
    expect(await weekly.count()).toBe(0);
    expect(await weekly.rankOf('a')).toBeUndefined();
    await weekly.clear();
    expect(await daily.count()).toBe(1);
  });

  it('never shows a half-replaced board to a reader', async () => {
    const index = fresh();
    await index.load(Array.from({ length: 1_000 }, (_, i) => [`old-${i}`, i, i, i + 1] as const));
    const seen = new Set<number>();
    let replacing = true;
    const reading = (async () => {
      while (replacing) seen.add(await index.count());
    })();
    await index.replace(Array.from({ length: 20_000 }, (_, i) => [`new-${i}`, i, i, i + 1] as const));
    replacing = false;
    await reading;
    seen.add(await index.count());
    expect([...seen].every((count) => count === 1_000 || count === 20_000)).toBe(true);
    expect(seen.has(20_000)).toBe(true);
  });

  it('keeps user ids with colons and scores up to 2^53 exact', async () => {
    const index = fresh();
    const top = 2 ** 53;
    await index.set('a:b:c', top, 1_795_000_000_000, 2);
    await index.set('a:b', top - 1, 1_795_000_000_000, 3);
    await index.set(':', 0, 0, 4);
    expect(await index.set('a:b:c', top - 1, 5, 1)).toBe(false);
    expect(await index.range(0, 5)).toEqual([
      { rank: 1, userId: 'a:b:c', score: top, reachedAt: 1_795_000_000_000 },
      { rank: 2, userId: 'a:b', score: top - 1, reachedAt: 1_795_000_000_000 },
      { rank: 3, userId: ':', score: 0, reachedAt: 0 },
    ]);
    expect(await index.rankOf('a:b')).toEqual({ rank: 2, userId: 'a:b', score: top - 1, reachedAt: 1_795_000_000_000 });
    expect(await index.remove('a:b:c')).toBe(true);
    expect(await index.rankOf(':')).toMatchObject({ rank: 2 });
  });

  it('refuses a reachedAt its member cannot order, a value that is no number, a version that is no whole number', async () => {
    const index = fresh();
    await expect(index.set('a', 1, -1, 1)).rejects.toThrow(RangeError);
    await expect(index.set('a', 1, 1.5, 1)).rejects.toThrow(RangeError);
    await expect(index.set('a', Number.NaN, 1, 1)).rejects.toThrow(RangeError);
    await expect(index.set('a', 1, 1, 1.5)).rejects.toThrow(RangeError);
    expect(await index.count()).toBe(0);
  });

  it('reads an entry written before versions existed as version 0: any versioned event replaces it', async () => {
    const index = new RedisRankIndex(redis, keys, 'upgraded', 'all');
    await redis.zadd(keys.board('upgraded', 'all'), -7, '000001795000000000:old');
    await redis.hset(keys.boardEntries('upgraded', 'all'), 'old', '7:000001795000000000');
    expect(await index.rankOf('old')).toEqual({ rank: 1, userId: 'old', score: 7, reachedAt: 1_795_000_000_000 });
    expect(await index.set('old', 8, 1_795_000_000_001, 1)).toBe(true);
    expect(await index.range(0, 5)).toEqual([{ rank: 1, userId: 'old', score: 8, reachedAt: 1_795_000_000_001 }]);
    expect(await redis.zcard(keys.board('upgraded', 'all'))).toBe(1);
  });

  const operation = fc.oneof(
    {
      weight: 8,
      arbitrary: fc.record({
        op: fc.constant('set' as const),
        user: fc.integer({ min: 0, max: 120 }),
        score: fc.integer({ min: -20, max: 60 }),
        at: fc.integer({ min: 0, max: 10 }),
        version: fc.integer({ min: 1, max: 2_000 }),
      }),
    },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('remove' as const), user: fc.integer({ min: 0, max: 120 }) }) },
  );
  /** Ids that tie often and differ only late, in case, or by a colon. */
  const userIdOf = (user: number): string => ['u', 'U', 'u:', 'u-'][user % 4] + String(Math.floor(user / 4));

  it('agrees with a naive sorted array after hundreds of random sets (in and out of version order) and removes, in either order', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('desc' as const, 'asc' as const), fc.array(operation, { minLength: 300, maxLength: 800 }), async (order, operations) => {
        const index = new RedisRankIndex(redis, keys, `board-${(boards += 1)}`, 'all', order);
        const model = new Map<string, Omit<RankedEntry, 'rank'> & { version: number }>();
        for (const operation of operations) {
          const userId = userIdOf(operation.user);
          if (operation.op === 'remove') {
            expect(await index.remove(userId)).toBe(model.delete(userId));
            continue;
          }
          const held = model.get(userId);
          const newer = !held || operation.version > held.version;
          const changes = newer && (!held || held.score !== operation.score || held.reachedAt !== operation.at);
          expect(await index.set(userId, operation.score, operation.at, operation.version)).toBe(changes);
          if (newer) model.set(userId, { userId, score: operation.score, reachedAt: operation.at, version: operation.version });
        }
        const sign = order === 'desc' ? 1 : -1;
        const expected = [...model.values()]
          .sort((a, b) => sign * (b.score - a.score) || a.reachedAt - b.reachedAt || (a.userId < b.userId ? -1 : 1))
          .map(({ version: _version, ...entry }, i) => ({ rank: i + 1, ...entry }));
        expect(await index.range(0, expected.length + 5)).toEqual(expected);
        expect(await index.count()).toBe(expected.length);
        for (const entry of expected.filter((_, i) => i % 7 === 0)) expect(await index.rankOf(entry.userId)).toEqual(entry);
        if (expected.length > 30) expect(await index.range(13, 11)).toEqual(expected.slice(13, 24));
      }),
      // A failure shrinks over many Redis round trips: report the smallest case found in time.
      { numRuns: 5, interruptAfterTimeLimit: 10_000 },
    );
  });

  it('orders exactly as the in-memory index after the same random operations, loads included', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('desc' as const, 'asc' as const),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 5 }), fc.integer({ min: 1, max: 2_000 })), { maxLength: 300 }),
        fc.array(operation, { minLength: 300, maxLength: 800 }),
        async (order, rows, operations) => {
          const memory = new InMemoryRankIndex({ blockSize: 8, order });
          const shared = new RedisRankIndex(redis, keys, `board-${(boards += 1)}`, 'all', order);
          const loaded = rows.map(([user, score, at, version]) => [userIdOf(user), score, at, version] as const);
          await memory.load(loaded);
          await shared.load(loaded);
          for (const operation of operations) {
            const userId = userIdOf(operation.user);
            if (operation.op === 'remove') expect(await shared.remove(userId)).toBe(await memory.remove(userId));
            else expect(await shared.set(userId, operation.score, operation.at, operation.version)).toBe(await memory.set(userId, operation.score, operation.at, operation.version));
          }
          const count = await memory.count();
          expect(await shared.count()).toBe(count);
          expect(await shared.range(0, count + 1)).toEqual(await memory.range(0, count + 1));
          for (let user = 0; user <= 200; user += 9) expect(await shared.rankOf(userIdOf(user))).toEqual(await memory.rankOf(userIdOf(user)));
        },
      ),
      { numRuns: 5, interruptAfterTimeLimit: 10_000 },
    );
  });
});

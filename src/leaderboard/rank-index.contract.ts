import { describe, expect, it } from 'vitest';
import type { Order } from '../platform/boards.js';
import type { RankIndex, RankRow } from './rank-index.js';

/**
 * The behaviour every `RankIndex` adapter must share, in both orders. `factory` gives a
 * fresh, empty index ranking in `order`.
 */
export function describeRankIndex(name: string, factory: (order: Order) => Promise<RankIndex> | RankIndex): void {
  describe(`RankIndex contract: ${name}`, () => {
    /** Versions as the ledger hands them out: each set newer than the one before. */
    let version = 0;
    const next = (): number => (version += 1);
    const put = (index: RankIndex, userId: string, score: number, reachedAt: number) => index.set(userId, score, reachedAt, next());
    const rows = (...entries: (readonly [string, number, number])[]): RankRow[] => entries.map(([userId, score, reachedAt]) => [userId, score, reachedAt, next()]);

    it('ranks by score descending with 1-based ranks', async () => {
      const index = await factory('desc');
      await put(index, 'a', 10, 1);
      await put(index, 'b', 30, 2);
      await put(index, 'c', 20, 3);
      expect(await index.range(0, 10)).toEqual([
        { rank: 1, userId: 'b', score: 30, reachedAt: 2 },
        { rank: 2, userId: 'c', score: 20, reachedAt: 3 },
        { rank: 3, userId: 'a', score: 10, reachedAt: 1 },
      ]);
      expect(await index.count()).toBe(3);
    });

    it('ranks an asc board lowest first, fractions and negatives too', async () => {
      const index = await factory('asc');
      await put(index, 'slow', 9_870, 1);
      await put(index, 'fast', 4_321.5, 2);
      await put(index, 'odd', -3, 3);
      await put(index, 'zero', 0, 4);
      expect(await index.range(0, 10)).toEqual([
        { rank: 1, userId: 'odd', score: -3, reachedAt: 3 },
        { rank: 2, userId: 'zero', score: 0, reachedAt: 4 },
        { rank: 3, userId: 'fast', score: 4_321.5, reachedAt: 2 },
        { rank: 4, userId: 'slow', score: 9_870, reachedAt: 1 },
      ]);
      expect(await index.rankOf('fast')).toEqual({ rank: 3, userId: 'fast', score: 4_321.5, reachedAt: 2 });
      expect(Object.is((await index.rankOf('zero'))?.score, 0)).toBe(true);
    });

    for (const order of ['desc', 'asc'] as const) {
      it(`breaks a tie by who reached the value first, then by user id (${order})`, async () => {
        const index = await factory(order);
        await put(index, 'late', 50, 200);
        await put(index, 'early', 50, 100);
        await put(index, 'same-b', 50, 150);
        await put(index, 'same-a', 50, 150);
        expect((await index.range(0, 4)).map((entry) => entry.userId)).toEqual(['early', 'same-a', 'same-b', 'late']);
      });
    }

    it('answers the rank of one user, and undefined for an unranked one', async () => {
      const index = await factory('desc');
      for (let i = 1; i <= 50; i += 1) await put(index, `u${i}`, i, i);
      expect(await index.rankOf('u50')).toEqual({ rank: 1, userId: 'u50', score: 50, reachedAt: 50 });
      expect(await index.rankOf('u1')).toEqual({ rank: 50, userId: 'u1', score: 1, reachedAt: 1 });
      expect(await index.rankOf('nobody')).toBeUndefined();
    });

    it('pages through ranks with offset and limit, clipped at the end', async () => {
      const index = await factory('desc');
      for (let i = 1; i <= 25; i += 1) await put(index, `u${i}`, i * 10, i);
      expect((await index.range(10, 5)).map((entry) => entry.rank)).toEqual([11, 12, 13, 14, 15]);
      expect((await index.range(23, 10)).map((entry) => entry.userId)).toEqual(['u2', 'u1']);
      expect(await index.range(25, 10)).toEqual([]);
      expect(await index.range(0, 0)).toEqual([]);
    });

    it('applies a newer version whichever way the value moves; an older or repeated one never undoes it', async () => {
      const index = await factory('desc');
      await index.set('a', 10, 1, 1);
      await index.set('b', 20, 2, 2);
      expect(await index.set('a', 30, 3, 3)).toBe(true);
      expect((await index.rankOf('a'))?.rank).toBe(1);
      // A `last` board: the latest value counts, also when it goes down.
      expect(await index.set('a', 15, 4, 5)).toBe(true);
      expect(await index.rankOf('a')).toEqual({ rank: 2, userId: 'a', score: 15, reachedAt: 4 });
      // The event of version 3 arrives again, or late: nothing moves.
      expect(await index.set('a', 30, 3, 3)).toBe(false);
      expect(await index.set('a', 99, 9, 4)).toBe(false);
      expect(await index.set('a', 15, 4, 5)).toBe(false);
      expect(await index.rankOf('a')).toEqual({ rank: 2, userId: 'a', score: 15, reachedAt: 4 });
    });

    it('takes a newer version that leaves value and time as they were without moving anyone, and still refuses what is older than it', async () => {
      const index = await factory('desc');
      await index.set('a', 50, 1, 10);
      // A `max` board: a lower match score advances the version only.
      expect(await index.set('a', 50, 1, 11)).toBe(false);
      expect(await index.set('a', 70, 2, 10)).toBe(false);
      expect(await index.set('a', 70, 2, 11)).toBe(false);
      expect(await index.rankOf('a')).toEqual({ rank: 1, userId: 'a', score: 50, reachedAt: 1 });
      expect(await index.set('a', 70, 2, 12)).toBe(true);
    });

    it('moves users both ways on an asc board (min and last)', async () => {
      const index = await factory('asc');
      await index.set('a', 5_000, 1, 1);
      await index.set('b', 6_000, 2, 2);
      expect(await index.set('b', 4_000, 3, 3)).toBe(true);
      expect((await index.range(0, 2)).map((entry) => entry.userId)).toEqual(['b', 'a']);
      expect(await index.set('b', 7_000, 4, 4)).toBe(true);
      expect((await index.range(0, 2)).map((entry) => entry.userId)).toEqual(['a', 'b']);
    });

    it('removes a user, and ranks them afresh when set again', async () => {
      const index = await factory('desc');
      await put(index, 'a', 10, 1);
      await put(index, 'b', 20, 2);
      expect(await index.remove('b')).toBe(true);
      expect(await index.remove('b')).toBe(false);
      expect(await index.rankOf('a')).toMatchObject({ rank: 1 });
      expect(await index.count()).toBe(1);
      expect(await put(index, 'b', 5, 9)).toBe(true);
      expect(await index.rankOf('b')).toMatchObject({ rank: 2, score: 5 });
    });

    for (const order of ['desc', 'asc'] as const) {
      it(`keeps ranks consistent across thousands of users (block splits and merges, ${order})`, async () => {
        const index = await factory(order);
        const n = 3_000;
        for (let i = 0; i < n; i += 1) await put(index, `u${i}`, (i * 7919) % 5_003, i);
        const all = await index.range(0, n);
        expect(all).toHaveLength(n);
        const better = (a: number, b: number) => (order === 'desc' ? a > b : a < b);
        for (let i = 1; i < all.length; i += 1) {
          const [previous, current] = [all[i - 1], all[i]] as [NonNullable<(typeof all)[0]>, NonNullable<(typeof all)[0]>];
          expect(better(previous.score, current.score) || (previous.score === current.score && previous.reachedAt <= current.reachedAt)).toBe(true);
          expect(current.rank).toBe(i + 1);
        }
        for (let i = 0; i < n; i += 2) await index.remove(`u${i}`);
        expect(await index.count()).toBe(n / 2);
        expect((await index.rankOf('u1'))?.rank).toBe((await index.range(0, n)).findIndex((entry) => entry.userId === 'u1') + 1);
      });

      it(`loads rows in bulk to the same order as one-by-one sets, across many batches (${order})`, async () => {
        const loaded = Array.from({ length: 2_500 }, (_, i): RankRow => [`u${i}`, (i * 31) % 97, i % 13, i + 1]);
        const bulk = await factory(order);
        await bulk.load(loaded);
        const single = await factory(order);
        for (const row of loaded) await single.set(...row);
        expect(await bulk.count()).toBe(2_500);
        expect(await bulk.range(0, 2_500)).toEqual(await single.range(0, 2_500));
        expect(await bulk.rankOf('u1234')).toEqual(await single.rankOf('u1234'));
        expect(await bulk.set('u1', order === 'desc' ? 1_000 : -1, 1, 5_000)).toBe(true);
        expect((await bulk.rankOf('u1'))?.rank).toBe(1);
      });
    }

    it('loads from a one-pass iterable, and an empty one changes nothing', async () => {
      const index = await factory('desc');
      await index.load([]);
      expect(await index.count()).toBe(0);
      function* generated(): Generator<RankRow> {
        yield ['a', 5, 1, 1];
        yield ['b', 7, 2, 2];
      }
      await index.load(generated());
      expect((await index.range(0, 10)).map((entry) => entry.userId)).toEqual(['b', 'a']);
    });

    it('keeps the newest version when a load meets a ranked or repeated user, the first of equal ones', async () => {
      const index = await factory('desc');
      await index.set('kept', 50, 1, 10);
      await index.set('lowered', 10, 1, 10);
      await index.set('tied', 20, 1, 10);
      await index.load([
        ['kept', 40, 2, 9],
        ['lowered', 6, 3, 11],
        ['tied', 30, 4, 10],
        ['twice', 5, 5, 1],
        ['twice', 30, 6, 3],
        ['twice', 25, 7, 2],
        ['again', 8, 8, 1],
        ['again', 9, 9, 1],
      ]);
      expect(await index.range(0, 10)).toEqual([
        { rank: 1, userId: 'kept', score: 50, reachedAt: 1 },
        { rank: 2, userId: 'twice', score: 30, reachedAt: 6 },
        { rank: 3, userId: 'tied', score: 20, reachedAt: 1 },
        { rank: 4, userId: 'again', score: 8, reachedAt: 8 },
        { rank: 5, userId: 'lowered', score: 6, reachedAt: 3 },
      ]);
      expect(await index.count()).toBe(5);
    });

    it('clears every user, and ranks afresh afterwards', async () => {
      const index = await factory('desc');
      await index.load(rows(['a', 10, 1], ['b', 20, 2]));
      await put(index, 'c', 30, 3);
      await index.clear();
      expect(await index.count()).toBe(0);
      expect(await index.range(0, 10)).toEqual([]);
      expect(await index.rankOf('a')).toBeUndefined();
      expect(await index.remove('b')).toBe(false);
      await index.clear();
      expect(await put(index, 'a', 1, 4)).toBe(true);
      expect(await index.range(0, 10)).toEqual([{ rank: 1, userId: 'a', score: 1, reachedAt: 4 }]);
    });

    it('replaces every entry at once, and an empty replace empties it', async () => {
      const index = await factory('asc');
      await put(index, 'old', 50, 1);
      await put(index, 'kept', 10, 1);
      await index.replace(rows(['kept', 25, 2], ['new', 20, 3]));
      expect(await index.range(0, 10)).toEqual([
        { rank: 1, userId: 'new', score: 20, reachedAt: 3 },
        { rank: 2, userId: 'kept', score: 25, reachedAt: 2 },
      ]);
      expect(await index.rankOf('old')).toBeUndefined();
      await index.replace([]);
      expect(await index.count()).toBe(0);
      expect(await put(index, 'again', 1, 4)).toBe(true);
    });
  });
}

import { describe, expect, it } from 'vitest';
import type { RankIndex } from './rank-index.js';

/** The behaviour every `RankIndex` adapter must share. `factory` gives a fresh, empty index. */
export function describeRankIndex(name: string, factory: () => Promise<RankIndex> | RankIndex): void {
  describe(`RankIndex contract: ${name}`, () => {
    it('ranks by score descending with 1-based ranks', async () => {
      const index = await factory();
      await index.set('a', 10, 1);
      await index.set('b', 30, 2);
      await index.set('c', 20, 3);
      expect(await index.range(0, 10)).toEqual([
        { rank: 1, userId: 'b', score: 30, reachedAt: 2 },
        { rank: 2, userId: 'c', score: 20, reachedAt: 3 },
        { rank: 3, userId: 'a', score: 10, reachedAt: 1 },
      ]);
      expect(await index.count()).toBe(3);
    });

    it('breaks a tie by who reached the score first, then by user id', async () => {
      const index = await factory();
      await index.set('late', 50, 200);
      await index.set('early', 50, 100);
      await index.set('same-b', 40, 100);
      await index.set('same-a', 40, 100);
      expect((await index.range(0, 4)).map((entry) => entry.userId)).toEqual(['early', 'late', 'same-a', 'same-b']);
    });

    it('answers the rank of one user, and undefined for an unranked one', async () => {
      const index = await factory();
      for (let i = 1; i <= 50; i += 1) await index.set(`u${i}`, i, i);
      expect(await index.rankOf('u50')).toEqual({ rank: 1, userId: 'u50', score: 50, reachedAt: 50 });
      expect(await index.rankOf('u1')).toEqual({ rank: 50, userId: 'u1', score: 1, reachedAt: 1 });
      expect(await index.rankOf('nobody')).toBeUndefined();
    });

    it('pages through ranks with offset and limit, clipped at the end', async () => {
      const index = await factory();
      for (let i = 1; i <= 25; i += 1) await index.set(`u${i}`, i * 10, i);
      expect((await index.range(10, 5)).map((entry) => entry.rank)).toEqual([11, 12, 13, 14, 15]);
      expect((await index.range(23, 10)).map((entry) => entry.userId)).toEqual(['u2', 'u1']);
      expect(await index.range(25, 10)).toEqual([]);
      expect(await index.range(0, 0)).toEqual([]);
    });

    it('moves a user up when the score grows, and never backwards on a late or repeated event', async () => {
      const index = await factory();
      await index.set('a', 10, 1);
      await index.set('b', 20, 2);
      expect(await index.set('a', 30, 3)).toBe(true);
      expect((await index.rankOf('a'))?.rank).toBe(1);
      expect(await index.set('a', 15, 4)).toBe(false);
      expect(await index.set('a', 30, 5)).toBe(false);
      expect(await index.rankOf('a')).toEqual({ rank: 1, userId: 'a', score: 30, reachedAt: 3 });
    });

    it('removes a user, and ranks them afresh when set again', async () => {
      const index = await factory();
      await index.set('a', 10, 1);
      await index.set('b', 20, 2);
      expect(await index.remove('b')).toBe(true);
      expect(await index.remove('b')).toBe(false);
      expect(await index.rankOf('a')).toMatchObject({ rank: 1 });
      expect(await index.count()).toBe(1);
      expect(await index.set('b', 5, 9)).toBe(true);
      expect(await index.rankOf('b')).toMatchObject({ rank: 2, score: 5 });
    });

    it('keeps ranks consistent across thousands of users (block splits and merges)', async () => {
      const index = await factory();
      const n = 3_000;
      for (let i = 0; i < n; i += 1) await index.set(`u${i}`, (i * 7919) % 5_003, i);
      const all = await index.range(0, n);
      expect(all).toHaveLength(n);
      for (let i = 1; i < all.length; i += 1) {
        const [previous, current] = [all[i - 1], all[i]] as [NonNullable<(typeof all)[0]>, NonNullable<(typeof all)[0]>];
        expect(previous.score > current.score || (previous.score === current.score && previous.reachedAt <= current.reachedAt)).toBe(true);
        expect(current.rank).toBe(i + 1);
      }
      for (let i = 0; i < n; i += 2) await index.remove(`u${i}`);
      expect(await index.count()).toBe(n / 2);
      expect((await index.rankOf('u1'))?.rank).toBe((await index.range(0, n)).findIndex((entry) => entry.userId === 'u1') + 1);
    });

    it('loads rows in bulk to the same order as one-by-one sets, across many batches', async () => {
      const rows = Array.from({ length: 2_500 }, (_, i) => [`u${i}`, (i * 31) % 97, i % 13] as const);
      const bulk = await factory();
      await bulk.load(rows);
      const single = await factory();
      for (const [userId, score, reachedAt] of rows) await single.set(userId, score, reachedAt);
      expect(await bulk.count()).toBe(2_500);
      expect(await bulk.range(0, 2_500)).toEqual(await single.range(0, 2_500));
      expect(await bulk.rankOf('u1234')).toEqual(await single.rankOf('u1234'));
      expect(await bulk.set('u1', 1_000, 1)).toBe(true);
      expect((await bulk.rankOf('u1'))?.rank).toBe(1);
    });

    it('loads from a one-pass iterable, and an empty one changes nothing', async () => {
      const index = await factory();
      await index.load([]);
      expect(await index.count()).toBe(0);
      function* rows(): Generator<readonly [string, number, number]> {
        yield ['a', 5, 1];
        yield ['b', 7, 2];
      }
      await index.load(rows());
      expect((await index.range(0, 10)).map((entry) => entry.userId)).toEqual(['b', 'a']);
    });

    it('keeps the higher score when a load meets a ranked or repeated user, the first of equal ones', async () => {
      const index = await factory();
      await index.set('kept', 50, 1);
      await index.set('raised', 10, 1);
      await index.set('tied', 20, 1);
      await index.load([
        ['kept', 40, 2],
        ['raised', 60, 3],
        ['tied', 20, 4],
        ['twice', 5, 5],
        ['twice', 30, 6],
        ['twice', 25, 7],
        ['again', 8, 8],
        ['again', 8, 9],
      ]);
      expect(await index.range(0, 10)).toEqual([
        { rank: 1, userId: 'raised', score: 60, reachedAt: 3 },
        { rank: 2, userId: 'kept', score: 50, reachedAt: 1 },
        { rank: 3, userId: 'twice', score: 30, reachedAt: 6 },
        { rank: 4, userId: 'tied', score: 20, reachedAt: 1 },
        { rank: 5, userId: 'again', score: 8, reachedAt: 8 },
      ]);
      expect(await index.count()).toBe(5);
    });

    it('clears every user, and ranks afresh afterwards', async () => {
      const index = await factory();
      await index.load([
        ['a', 10, 1],
        ['b', 20, 2],
      ]);
      await index.set('c', 30, 3);
      await index.clear();
      expect(await index.count()).toBe(0);
      expect(await index.range(0, 10)).toEqual([]);
      expect(await index.rankOf('a')).toBeUndefined();
      expect(await index.remove('b')).toBe(false);
      await index.clear();
      expect(await index.set('a', 1, 4)).toBe(true);
      expect(await index.range(0, 10)).toEqual([{ rank: 1, userId: 'a', score: 1, reachedAt: 4 }]);
    });

    it('replaces every entry at once, and an empty replace empties it', async () => {
      const index = await factory();
      await index.set('old', 50, 1);
      await index.set('kept', 10, 1);
      await index.replace([
        ['kept', 5, 2],
        ['new', 20, 3],
      ]);
      expect(await index.range(0, 10)).toEqual([
        { rank: 1, userId: 'new', score: 20, reachedAt: 3 },
        { rank: 2, userId: 'kept', score: 5, reachedAt: 2 },
      ]);
      expect(await index.rankOf('old')).toBeUndefined();
      await index.replace([]);
      expect(await index.count()).toBe(0);
      expect(await index.set('again', 1, 4)).toBe(true);
    });
  });
}

import { describe, expect, it } from 'vitest';
import type { BoardChanged } from '../platform/events.js';
import type { BoardStore } from './board-store.js';

/** The behaviour every `BoardStore` adapter must share. `factory` gives a fresh, empty store. */
export function describeBoardStore(name: string, factory: () => Promise<BoardStore> | BoardStore): void {
  describe(`BoardStore contract: ${name}`, () => {
    it('gives one index per board period, the same one on every call', async () => {
      const store = await factory();
      await store.index('global', 'all', 'desc').set('u1', 5, 1, 1);
      await store.index('daily', '2026-11-27', 'desc').set('u1', 2, 1, 1);
      expect(await store.index('global', 'all', 'desc').rankOf('u1')).toMatchObject({ rank: 1, score: 5 });
      expect(await store.index('daily', '2026-11-27', 'desc').count()).toBe(1);
      expect(await store.index('daily', '2026-11-28', 'desc').count()).toBe(0);
    });

    it("ranks each board period in the order it is asked for, and keeps monthly and season periods apart", async () => {
      const store = await factory();
      const fastest = store.index('fastest', '2026-11', 'asc');
      await fastest.set('slow', 9_000, 1, 1);
      await fastest.set('quick', 4_000, 2, 2);
      expect((await store.index('fastest', '2026-11', 'asc').range(0, 2)).map((entry) => entry.userId)).toEqual(['quick', 'slow']);
      await store.index('winter', '2026-12-01T00:00:00.000Z', 'desc').set('u1', 3, 1, 1);
      expect(await store.index('winter', '2026-12-01T00:00:00.000Z', 'desc').count()).toBe(1);
      expect(await store.index('fastest', '2026-12', 'asc').count()).toBe(0);
    });

    it('tells a loaded period from a fresh or lost one', async () => {
      const store = await factory();
      expect(await store.isLoaded('global', 'all')).toBe(false);
      await store.markLoaded('global', 'all');
      expect(await store.isLoaded('global', 'all')).toBe(true);
      expect(await store.isLoaded('daily', '2026-11-27')).toBe(false);
    });

    it('drops a period: its index is empty and no longer loaded', async () => {
      const store = await factory();
      await store.index('daily', '2026-11-26', 'desc').set('u1', 3, 1, 1);
      await store.markLoaded('daily', '2026-11-26');
      await store.drop('daily', '2026-11-26');
      expect(await store.isLoaded('daily', '2026-11-26')).toBe(false);
      expect(await store.index('daily', '2026-11-26', 'desc').count()).toBe(0);
    });

    it('drops every period of a board older than the oldest one kept, and nothing else', async () => {
      const store = await factory();
      for (const period of ['2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27']) {
        await store.index('daily', period, 'desc').set('u1', 1, 1, 1);
        await store.markLoaded('daily', period);
      }
      await store.index('weekly', '2026-11-16', 'desc').set('u1', 1, 1, 1);
      await store.index('global', 'all', 'desc').set('u1', 1, 1, 1);
      await store.dropPeriodsBefore('daily', '2026-11-26');
      expect(await store.index('daily', '2026-11-25', 'desc').count()).toBe(0);
      expect(await store.isLoaded('daily', '2026-11-24')).toBe(false);
      expect(await store.index('daily', '2026-11-26', 'desc').count()).toBe(1);
      expect(await store.isLoaded('daily', '2026-11-27')).toBe(true);
      expect(await store.index('weekly', '2026-11-16', 'desc').count()).toBe(1);
      expect(await store.index('global', 'all', 'desc').count()).toBe(1);
    });

    it('counts seq upwards per board', async () => {
      const store = await factory();
      expect(await store.nextSeq('global')).toBe(1);
      expect(await store.nextSeq('global')).toBe(2);
      expect(await store.nextSeq('daily')).toBe(1);
    });

    it('keeps the last published top per board', async () => {
      const store = await factory();
      expect(await store.lastTop('global')).toBeUndefined();
      const change: BoardChanged = { type: 'board.changed', board: 'global', seq: 3, top: [{ rank: 1, userId: 'u1', username: 'ada', score: 9 }] };
      await store.saveTop(change);
      await store.saveTop({ ...change, board: 'daily', seq: 1 });
      expect(await store.lastTop('global')).toEqual(change);
    });
  });
}

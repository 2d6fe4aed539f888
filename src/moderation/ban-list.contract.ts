import { describe, expect, it } from 'vitest';
import type { BanList } from './ban-list.js';

export interface BanListFixture {
  list: BanList;
  /** The same storage opened again, as another process (or this one after a restart) would. */
  reopen: () => Promise<BanList>;
}

/** The behaviour every `BanList` adapter must share. `factory` gives a fresh, empty one. */
export function describeBanList(name: string, factory: () => Promise<BanListFixture>): void {
  describe(`BanList contract: ${name}`, () => {
    it('bans and unbans, idempotently', async () => {
      const { list } = await factory();
      expect(await list.isBanned('u1')).toBe(false);
      await list.ban('u1', new Date());
      await list.ban('u1', new Date());
      await list.ban('u2', new Date());
      expect(await list.isBanned('u1')).toBe(true);
      expect((await list.list()).sort()).toEqual(['u1', 'u2']);
      await list.unban('u1');
      await list.unban('u1');
      expect(await list.isBanned('u1')).toBe(false);
      expect(await list.list()).toEqual(['u2']);
    });

    it('keeps bans in storage: reopened, the list is the same', async () => {
      const { list, reopen } = await factory();
      await list.ban('u1', new Date());
      await list.ban('u2', new Date());
      await list.unban('u2');
      const again = await reopen();
      expect(await again.isBanned('u1')).toBe(true);
      expect(await again.list()).toEqual(['u1']);
    });
  });
}

import { describe, expect, it } from 'vitest';
import { CredentialNameTakenError, type CredentialStore } from './credential-store.js';

export interface CredentialStoreFixture {
  store: CredentialStore;
  /** The same storage opened again, as another node (or this one after a restart) would. */
  reopen: () => Promise<CredentialStore>;
}

/** The behaviour every `CredentialStore` adapter must share. `factory` gives a fresh, empty one. */
export function describeCredentialStore(name: string, factory: () => Promise<CredentialStoreFixture>): void {
  describe(`CredentialStore contract: ${name}`, () => {
    it('creates, finds by secret hash, lists by name and revokes', async () => {
      const { store } = await factory();
      await store.create({ name: 'matchmaker', secretHash: 'h1', createdAt: 1_000 });
      await store.create({ name: 'arena', secretHash: 'h2', createdAt: 2_000 });
      expect(await store.findByHash('h1')).toEqual({ name: 'matchmaker' });
      expect(await store.findByHash('nope')).toBeUndefined();
      expect(await store.list()).toEqual([
        { name: 'arena', secretHash: 'h2', createdAt: 2_000 },
        { name: 'matchmaker', secretHash: 'h1', createdAt: 1_000 },
      ]);
      expect(await store.revoke('matchmaker')).toBe(true);
      expect(await store.revoke('matchmaker')).toBe(false);
      expect(await store.findByHash('h1')).toBeUndefined();
      expect((await store.list()).map((credential) => credential.name)).toEqual(['arena']);
    });

    it('refuses a name in use, changing nothing', async () => {
      const { store } = await factory();
      await store.create({ name: 'arena', secretHash: 'h1', createdAt: 1 });
      await expect(store.create({ name: 'arena', secretHash: 'h2', createdAt: 2 })).rejects.toThrow(CredentialNameTakenError);
      expect(await store.findByHash('h2')).toBeUndefined();
      expect(await store.list()).toHaveLength(1);
    });

    it('writes the latest use of each credential once flushed, never moving it back', async () => {
      const { store } = await factory();
      await store.create({ name: 'arena', secretHash: 'h1', createdAt: 1 });
      store.markUsed('arena', 50);
      store.markUsed('arena', 70);
      store.markUsed('arena', 60);
      expect((await store.list())[0]?.lastUsedAt).toBeUndefined();
      await store.flush();
      expect((await store.list())[0]?.lastUsedAt).toBe(70);
      store.markUsed('arena', 10);
      await store.flush();
      expect((await store.list())[0]?.lastUsedAt).toBe(70);
      await store.flush();
    });

    it('shares credentials with another opening of the same storage: made there, found here; revoked there, gone here', async () => {
      const { store, reopen } = await factory();
      const other = await reopen();
      await other.create({ name: 'late', secretHash: 'h9', createdAt: 9 });
      expect(await store.findByHash('h9')).toEqual({ name: 'late' });
      await store.revoke('late');
      expect(await store.findByHash('h9')).toBeUndefined();
    });
  });
}

import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { RefreshTokenStore } from './refresh-token-store.js';
import type { UserStore } from './user-store.js';

export interface RefreshTokenStoreFixture {
  store: RefreshTokenStore;
  /** Creates a user the tokens can belong to (stores may enforce the reference). */
  addUser: () => Promise<string>;
}

/** A fixture's `addUser` on the user store of the same database: a new user, answering its id. */
export function userAdder(users: UserStore): () => Promise<string> {
  return async () => {
    const id = randomUUID();
    await users.create({ id, username: `u${id.slice(0, 8)}`, passwordHash: 'x', createdAt: new Date() });
    return id;
  };
}

/** The behaviour every `RefreshTokenStore` adapter must share. */
export function describeRefreshTokenStore(name: string, factory: () => Promise<RefreshTokenStoreFixture>): void {
  const now = new Date('2026-11-27T10:00:00.000Z');
  const later = (ms: number): Date => new Date(now.getTime() + ms);

  async function withToken(): Promise<{ store: RefreshTokenStore; userId: string; familyId: string; hash: string }> {
    const { store, addUser } = await factory();
    const userId = await addUser();
    const familyId = randomUUID();
    const hash = `hash-${randomUUID()}`;
    await store.add({ tokenHash: hash, familyId, userId, expiresAt: later(60_000) });
    return { store, userId, familyId, hash };
  }

  describe(`RefreshTokenStore contract: ${name}`, () => {
    it('spends a fresh token once, naming its user and family', async () => {
      const { store, userId, familyId, hash } = await withToken();
      expect(await store.spend(hash, now)).toEqual({ outcome: 'spent', userId, familyId });
    });

    it('treats a second spend as reuse and revokes the whole family', async () => {
      const { store, userId, familyId, hash } = await withToken();
      await store.spend(hash, now);
      const sibling = `hash-${randomUUID()}`;
      await store.add({ tokenHash: sibling, familyId, userId, expiresAt: later(60_000) });

      expect(await store.spend(hash, later(1))).toEqual({ outcome: 'reused', familyId });
      expect(await store.spend(sibling, later(2))).toEqual({ outcome: 'invalid' });
    });

    it('lets exactly one of many concurrent spends of one token succeed', async () => {
      const { store, hash } = await withToken();
      const results = await Promise.all(Array.from({ length: 8 }, () => store.spend(hash, now)));
      expect(results.filter((result) => result.outcome === 'spent')).toHaveLength(1);
    });

    it('refuses unknown and expired tokens', async () => {
      const { store, hash } = await withToken();
      expect(await store.spend('hash-unknown', now)).toEqual({ outcome: 'invalid' });
      expect(await store.spend(hash, later(60_000))).toEqual({ outcome: 'invalid' });
    });

    it('refuses every token of a revoked family, and leaves other families alone', async () => {
      const { store, userId, familyId, hash } = await withToken();
      const otherFamily = randomUUID();
      await store.add({ tokenHash: 'hash-other', familyId: otherFamily, userId, expiresAt: later(60_000) });
      await store.revokeFamily(familyId, now);
      expect(await store.spend(hash, now)).toEqual({ outcome: 'invalid' });
      expect(await store.spend('hash-other', now)).toMatchObject({ outcome: 'spent', familyId: otherFamily });
    });
  });
}

import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { UsernameTakenError, type UserRecord, type UserStore } from './user-store.js';

/** The behaviour every `UserStore` adapter must share. `factory` gives a fresh, empty store. */
export function describeUserStore(name: string, factory: () => Promise<UserStore> | UserStore): void {
  const user = (username: string): UserRecord => ({
    id: randomUUID(),
    username,
    passwordHash: `hash-of-${username}`,
    createdAt: new Date('2026-11-27T10:00:00.000Z'),
  });

  describe(`UserStore contract: ${name}`, () => {
    it('finds a created user by id and by name, keeping the name as typed', async () => {
      const store = await factory();
      const alice = user('Alice_1');
      await store.create(alice);
      expect(await store.findById(alice.id)).toEqual(alice);
      expect(await store.findByUsername('Alice_1')).toEqual(alice);
    });

    it('looks names up case-insensitively', async () => {
      const store = await factory();
      const bob = user('BoB-x');
      await store.create(bob);
      expect((await store.findByUsername('bob-X'))?.id).toBe(bob.id);
    });

    it('refuses a second user whose name differs only in case', async () => {
      const store = await factory();
      await store.create(user('carol'));
      await expect(store.create(user('CAROL'))).rejects.toBeInstanceOf(UsernameTakenError);
    });

    it('answers undefined for unknown users', async () => {
      const store = await factory();
      expect(await store.findById(randomUUID())).toBeUndefined();
      expect(await store.findByUsername('nobody')).toBeUndefined();
    });
  });
}

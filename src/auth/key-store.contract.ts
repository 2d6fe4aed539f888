import { describe, expect, it } from 'vitest';
import type { KeyStore } from './key-store.js';

/** The behaviour every `KeyStore` adapter must share. `reopen` gives a second handle on the same storage. */
export function describeKeyStore(name: string, factory: () => Promise<{ store: KeyStore; reopen: () => KeyStore }>): void {
  describe(`KeyStore contract: ${name}`, () => {
    it('creates an Ed25519 signing key on first use and lists its public half', async () => {
      const { store } = await factory();
      const key = await store.activeSigningKey();
      expect(key.publicJwk).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig', kid: key.kid });
      expect(key.privateJwk).toHaveProperty('d');
      const listed = await store.publicKeys();
      expect(listed).toEqual([key.publicJwk]);
      expect(listed[0]).not.toHaveProperty('d');
    });

    it('generates one key however many callers ask at once', async () => {
      const { store } = await factory();
      const keys = await Promise.all(Array.from({ length: 5 }, () => store.activeSigningKey()));
      expect(new Set(keys.map((key) => key.kid)).size).toBe(1);
      expect(await store.publicKeys()).toHaveLength(1);
    });

    it('rotates: the new key signs at once here and on a fresh handle, and the old one stays listed', async () => {
      const { store, reopen } = await factory();
      const first = await store.activeSigningKey();
      const second = await store.rotate();
      expect(second.kid).not.toBe(first.kid);
      expect((await store.activeSigningKey()).kid).toBe(second.kid);
      expect((await reopen().activeSigningKey()).kid).toBe(second.kid);
      expect((await reopen().publicKeys()).map((key) => key.kid)).toEqual([first.kid, second.kid]);
    });

    it('retires the keys replaced before a time, never the active one', async () => {
      const { store, reopen } = await factory();
      const pause = () => new Promise((resolve) => setTimeout(resolve, 10));
      const k1 = await store.activeSigningKey();
      await pause();
      const k2 = await store.rotate();
      await pause();
      const k3 = await store.rotate();

      // k1 was replaced when k2 was created; k2 when k3 was.
      expect(await store.retire(k2.createdAt)).toEqual([]);
      expect(await store.retire(new Date(k2.createdAt.getTime() + 1))).toEqual([k1.kid]);
      expect((await reopen().publicKeys()).map((key) => key.kid)).toEqual([k2.kid, k3.kid]);
      expect(await store.retire(new Date(Date.now() + 60_000))).toEqual([k2.kid]);
      expect((await reopen().publicKeys()).map((key) => key.kid)).toEqual([k3.kid]);
      expect((await reopen().activeSigningKey()).kid).toBe(k3.kid);
    });

    it('keeps the key across a reopen, so issued tokens stay valid after a restart', async () => {
      const { store, reopen } = await factory();
      const before = await store.activeSigningKey();
      const after = await reopen().activeSigningKey();
      expect(after.kid).toBe(before.kid);
      expect(after.privateJwk).toEqual(before.privateJwk);
    });
  });
}

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

    it('keeps the key across a reopen, so issued tokens stay valid after a restart', async () => {
      const { store, reopen } = await factory();
      const before = await store.activeSigningKey();
      const after = await reopen().activeSigningKey();
      expect(after.kid).toBe(before.kid);
      expect(after.privateJwk).toEqual(before.privateJwk);
    });
  });
}

import { createRemoteJWKSet, errors, importJWK, type CryptoKey, type JWTVerifyGetKey } from 'jose';
import type { KeyStore } from './key-store.js';
import { SIGNING_ALGORITHM } from './signing-key.js';

/** Where `/.well-known/jwks.json` lives on an auth node. */
export const JWKS_PATH = '/.well-known/jwks.json';

export interface KeyResolverOptions {
  /**
   * An unknown `kid` re-reads the keys at most this often, so a flood of tokens with made-up
   * `kid`s cannot turn into a flood of key-store reads or JWKS fetches.
   * @default 1000
   */
  refetchCooldownMs?: number;
  /**
   * The keys are re-read this often even while every `kid` is known, so a key retired from
   * the store (`npm run keys -- retire`) stops verifying on every node.
   * @default 60000
   */
  maxAgeMs?: number;
}

/** Resolves `kid` from the key store this process shares with the auth service. */
export function keyStoreResolver(store: Pick<KeyStore, 'publicKeys'>, { refetchCooldownMs = 1_000, maxAgeMs = 60_000 }: KeyResolverOptions = {}): JWTVerifyGetKey {
  let keys = new Map<string, CryptoKey | Uint8Array>();
  let loadedAt = Number.NEGATIVE_INFINITY;
  let attemptedAt = Number.NEGATIVE_INFINITY;
  let loading: Promise<void> | undefined;

  const reload = async (): Promise<void> => {
    attemptedAt = Date.now();
    const next = new Map<string, CryptoKey | Uint8Array>();
    for (const jwk of await store.publicKeys()) {
      if (jwk.kid) next.set(jwk.kid, await importJWK(jwk, SIGNING_ALGORITHM));
    }
    keys = next;
    loadedAt = Date.now();
  };

  const refresh = (): Promise<void> => (loading ??= reload().finally(() => (loading = undefined)));

  return async (header) => {
    const kid = header.kid;
    if (kid === undefined) throw new errors.JWKSNoMatchingKey();
    const age = Date.now() - loadedAt;
    if (!keys.has(kid) && age >= refetchCooldownMs) {
      await refresh();
    } else if (age >= maxAgeMs && Date.now() - attemptedAt >= refetchCooldownMs) {
      // Known kid, old list: answer from it and re-read behind (a failed read is retried after the cooldown).
      refresh().catch(() => undefined);
    }
    const key = keys.get(kid);
    if (!key) throw new errors.JWKSNoMatchingKey();
    return key;
  };
}

/** Resolves `kid` from an auth node's JWKS over HTTP (`AUTH_URL`), cached and refetched on an unknown `kid`. */
export function remoteJwksResolver(authUrl: URL, { refetchCooldownMs = 1_000, maxAgeMs = 60_000 }: KeyResolverOptions = {}): JWTVerifyGetKey {
  return createRemoteJWKSet(new URL(JWKS_PATH, authUrl), {
    cooldownDuration: refetchCooldownMs,
    cacheMaxAge: maxAgeMs,
    timeoutDuration: 2_000,
  });
}

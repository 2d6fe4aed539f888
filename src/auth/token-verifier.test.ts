import { SignJWT, importJWK, type JWTVerifyGetKey } from 'jose';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { AppError } from '../platform/errors.js';
import { TOKEN_AUDIENCE, TOKEN_ISSUER } from './access-token.js';
import { keyStoreResolver } from './key-resolvers.js';
import type { KeyStore, PublicJwk, SigningKey } from './key-store.js';
import { generateSigningKey } from './signing-key.js';
import { TokenIssuer } from './token-issuer.js';
import { TokenVerifier } from './token-verifier.js';

/** A key store whose key list a test can change under the verifier's feet. */
class ListKeyStore implements Pick<KeyStore, 'activeSigningKey' | 'publicKeys'> {
  constructor(public keys: SigningKey[]) {}
  async activeSigningKey(): Promise<SigningKey> {
    const key = this.keys.at(-1);
    if (!key) throw new Error('no key');
    return key;
  }
  async publicKeys(): Promise<PublicJwk[]> {
    return this.keys.map((key) => key.publicJwk);
  }
}

const b64 = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');

async function expectRejection(promise: Promise<unknown>, code: string): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
}

describe('TokenIssuer and TokenVerifier', () => {
  let key: SigningKey;
  let store: ListKeyStore;
  let issuer: TokenIssuer;
  const now = Date.UTC(2026, 10, 27, 12, 0, 0);

  beforeAll(async () => {
    key = await generateSigningKey();
    store = new ListKeyStore([key]);
    issuer = new TokenIssuer(store, { now: () => now });
  });

  const verifierAt = (at: number, getKey: JWTVerifyGetKey = keyStoreResolver(store)): TokenVerifier =>
    new TokenVerifier(getKey, { now: () => at });

  /** Signs arbitrary claims with the real key, for tests that need a token the issuer would not make. */
  async function signWithRealKey(claims: Record<string, unknown>, header: Record<string, unknown> = {}): Promise<string> {
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'EdDSA', kid: key.kid, ...header })
      .sign(await importJWK(key.privateJwk, 'EdDSA'));
  }
  const validClaims = (): Record<string, unknown> => ({
    iss: TOKEN_ISSUER,
    aud: TOKEN_AUDIENCE,
    sub: 'user-1',
    iat: Math.floor(now / 1000),
    exp: Math.floor(now / 1000) + 900,
    jti: 'jti-1',
    roles: [],
  });

  it('issues an EdDSA token with kid, iss, aud, sub, iat, exp, jti and roles that verifies', async () => {
    const { accessToken, expiresIn } = await issuer.issue('user-1', ['admin']);
    expect(expiresIn).toBe(900);
    const [header, payload] = accessToken.split('.').slice(0, 2).map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()) as unknown);
    expect(header).toMatchObject({ alg: 'EdDSA', kid: key.kid });
    expect(payload).toMatchObject({ iss: TOKEN_ISSUER, aud: TOKEN_AUDIENCE, sub: 'user-1', roles: ['admin'] });
    expect(payload).toHaveProperty('jti');
    expect(payload).toHaveProperty('iat', Math.floor(now / 1000));
    expect(payload).toHaveProperty('exp', Math.floor(now / 1000) + 900);

    const claims = await verifierAt(now + 1000).verify(accessToken);
    expect(claims).toMatchObject({ userId: 'user-1', roles: ['admin'] });
  });

  it('accepts a token until its expiry and answers token_expired after', async () => {
    const { accessToken } = await issuer.issue('user-1', []);
    await expect(verifierAt(now + 899_000).verify(accessToken)).resolves.toMatchObject({ userId: 'user-1' });
    await expectRejection(verifierAt(now + 901_000).verify(accessToken), 'token_expired');
  });

  it('answers token_expired for a cached token once it expires, without re-verifying', async () => {
    let clock = now;
    const getKey = vi.fn(keyStoreResolver(store));
    const verifier = new TokenVerifier(getKey, { now: () => clock });
    const { accessToken } = await issuer.issue('user-1', []);
    await verifier.verify(accessToken);
    await verifier.verify(accessToken);
    expect(getKey).toHaveBeenCalledTimes(1);
    clock = now + 901_000;
    await expectRejection(verifier.verify(accessToken), 'token_expired');
  });

  it('accepts a token at most the access-token lifetime after its iat, whatever its exp (a key thief minting year-long tokens)', async () => {
    let clock = now;
    const verifier = new TokenVerifier(keyStoreResolver(store), { now: () => clock });
    const longLived = await signWithRealKey({ ...validClaims(), exp: Math.floor(now / 1000) + 365 * 24 * 3600 });
    await expect(verifier.verify(longLived)).resolves.toMatchObject({ userId: 'user-1', expiresAt: Math.floor(now / 1000) + 900 });
    clock = now + 899_000;
    await expect(verifier.verify(longLived)).resolves.toMatchObject({ userId: 'user-1' }); // from the cache
    clock = now + 901_000;
    await expectRejection(verifier.verify(longLived), 'token_expired'); // the cache holds it no longer either
    await expectRejection(verifierAt(now + 901_000).verify(longLived), 'token_expired'); // nor a fresh verifier
    // An iat a little ahead of this node's clock (another node's clock runs fast) is fine.
    const fromTheFuture = await signWithRealKey({ ...validClaims(), iat: Math.floor(now / 1000) + 2 });
    await expect(verifierAt(now).verify(fromTheFuture)).resolves.toMatchObject({ userId: 'user-1' });
  });

  it('keeps the cache bounded by evicting the oldest token', async () => {
    const getKey = vi.fn(keyStoreResolver(store));
    const verifier = new TokenVerifier(getKey, { now: () => now, cacheSize: 2 });
    const tokens = await Promise.all([1, 2, 3].map((n) => issuer.issue(`user-${n}`, [])));
    for (const { accessToken } of tokens) await verifier.verify(accessToken);
    expect(getKey).toHaveBeenCalledTimes(3);
    await verifier.verify(tokens[2]!.accessToken);
    expect(getKey).toHaveBeenCalledTimes(3);
    await verifier.verify(tokens[0]!.accessToken);
    expect(getKey).toHaveBeenCalledTimes(4);
  });

  describe('refuses forged and foreign tokens with 401 unauthorized', () => {
    it('alg "none"', async () => {
      const token = `${b64({ alg: 'none', kid: key.kid, typ: 'JWT' })}.${b64(validClaims())}.`;
      await expectRejection(verifierAt(now).verify(token), 'unauthorized');
    });

    it('HS256 signed with the public key as the HMAC secret (algorithm confusion)', async () => {
      for (const secret of [Buffer.from(key.publicJwk.x, 'base64url'), Buffer.from(JSON.stringify(key.publicJwk))]) {
        const token = await new SignJWT(validClaims()).setProtectedHeader({ alg: 'HS256', kid: key.kid }).sign(secret);
        await expectRejection(verifierAt(now).verify(token), 'unauthorized');
      }
    });

    it('a tampered payload', async () => {
      const { accessToken } = await issuer.issue('user-1', []);
      const [header, , signature] = accessToken.split('.');
      const forged = `${header}.${b64({ ...validClaims(), sub: 'someone-else', roles: ['admin'] })}.${signature}`;
      await expectRejection(verifierAt(now).verify(forged), 'unauthorized');
    });

    it('a wrong audience or issuer', async () => {
      await expectRejection(verifierAt(now).verify(await signWithRealKey({ ...validClaims(), aud: 'other-app' })), 'unauthorized');
      await expectRejection(verifierAt(now).verify(await signWithRealKey({ ...validClaims(), iss: 'evil' })), 'unauthorized');
    });

    it('missing required claims or roles that are not a known role list', async () => {
      const { jti: _jti, ...withoutJti } = validClaims();
      await expectRejection(verifierAt(now).verify(await signWithRealKey(withoutJti)), 'unauthorized');
      await expectRejection(verifierAt(now).verify(await signWithRealKey({ ...validClaims(), roles: ['root'] })), 'unauthorized');
    });

    it('a token not yet valid (nbf in the future)', async () => {
      const token = await signWithRealKey({ ...validClaims(), nbf: Math.floor(now / 1000) + 600 });
      await expectRejection(verifierAt(now).verify(token), 'unauthorized');
    });

    it('a key the store does not know (unknown kid, or a stranger signing with our kid)', async () => {
      const stranger = await generateSigningKey();
      const strangerIssuer = new TokenIssuer(new ListKeyStore([stranger]), { now: () => now });
      await expectRejection(verifierAt(now).verify((await strangerIssuer.issue('user-1', [])).accessToken), 'unauthorized');
      const impostor = await new SignJWT(validClaims())
        .setProtectedHeader({ alg: 'EdDSA', kid: key.kid })
        .sign(await importJWK(stranger.privateJwk, 'EdDSA'));
      await expectRejection(verifierAt(now).verify(impostor), 'unauthorized');
    });

    it('garbage', async () => {
      for (const garbage of ['', 'abc', 'a.b.c', '...', `${b64({ alg: 'EdDSA' })}.%%%.x`, 'eyJ'.repeat(300)]) {
        await expectRejection(verifierAt(now).verify(garbage), 'unauthorized');
      }
    });
  });

  it('finds a key added after the verifier loaded the store (refetch on unknown kid)', async () => {
    const rotating = new ListKeyStore([key]);
    const verifier = new TokenVerifier(keyStoreResolver(rotating, { refetchCooldownMs: 0 }), { now: () => now });
    await verifier.verify((await new TokenIssuer(rotating, { now: () => now }).issue('user-1', [])).accessToken);

    rotating.keys = [key, await generateSigningKey()];
    const fresh = await new TokenIssuer(rotating, { now: () => now }).issue('user-2', []);
    await expect(verifier.verify(fresh.accessToken)).resolves.toMatchObject({ userId: 'user-2' });
  });

  it('reads the key store at most once per cooldown however many unknown kids arrive', async () => {
    const counting = new ListKeyStore([key]);
    const publicKeys = vi.spyOn(counting, 'publicKeys');
    const verifier = new TokenVerifier(keyStoreResolver(counting, { refetchCooldownMs: 60_000 }), { now: () => now });
    const tokens = await Promise.all(
      Array.from({ length: 20 }, (_, n) => signWithRealKey({ ...validClaims(), jti: `j${n}` }, { kid: `made-up-${n}` })),
    );
    for (const token of tokens) await expectRejection(verifier.verify(token), 'unauthorized');
    expect(publicKeys).toHaveBeenCalledTimes(1);
  });
});

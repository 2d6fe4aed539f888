import { randomUUID } from 'node:crypto';
import { SignJWT, importJWK, type CryptoKey } from 'jose';
import { ACCESS_TOKEN_TTL_SECONDS, TOKEN_AUDIENCE, TOKEN_ISSUER, type Role } from './access-token.js';
import type { KeyStore } from './key-store.js';
import { SIGNING_ALGORITHM } from './signing-key.js';

export interface IssuedToken {
  accessToken: string;
  /** Seconds until it expires. */
  expiresIn: number;
}

export interface TokenIssuerOptions {
  /** @default 900 */
  ttlSeconds?: number;
  /** Milliseconds since the epoch; tests move it. @default Date.now */
  now?: () => number;
}

/** Signs access tokens with the key store's active Ed25519 key. */
export class TokenIssuer {
  private readonly ttlSeconds: number;
  private readonly now: () => number;
  private signingKey: Promise<{ kid: string; key: CryptoKey | Uint8Array }> | undefined;

  constructor(
    private readonly keys: KeyStore,
    options: TokenIssuerOptions = {},
  ) {
    this.ttlSeconds = options.ttlSeconds ?? ACCESS_TOKEN_TTL_SECONDS;
    this.now = options.now ?? Date.now;
  }

  async issue(userId: string, roles: readonly Role[]): Promise<IssuedToken> {
    const { kid, key } = await this.loadSigningKey();
    const issuedAt = Math.floor(this.now() / 1000);
    const accessToken = await new SignJWT({ roles: [...roles] })
      .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid, typ: 'JWT' })
      .setIssuer(TOKEN_ISSUER)
      .setAudience(TOKEN_AUDIENCE)
      .setSubject(userId)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + this.ttlSeconds)
      .setJti(randomUUID())
      .sign(key);
    return { accessToken, expiresIn: this.ttlSeconds };
  }

  private loadSigningKey(): Promise<{ kid: string; key: CryptoKey | Uint8Array }> {
    // Importing a JWK costs more than signing with it: do it once.
    this.signingKey ??= this.keys.activeSigningKey().then(async ({ kid, privateJwk }) => ({
      kid,
      key: await importJWK(privateJwk, SIGNING_ALGORITHM),
    }));
    return this.signingKey;
  }
}

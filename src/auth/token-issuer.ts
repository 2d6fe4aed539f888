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
  private imported: { kid: string; key: Promise<CryptoKey | Uint8Array> } | undefined;

  constructor(
    private readonly keys: Pick<KeyStore, 'activeSigningKey'>,
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

  private async loadSigningKey(): Promise<{ kid: string; key: CryptoKey | Uint8Array }> {
    // Asked every time (the store answers from memory between reads), so a rotation reaches
    // this process; importing a JWK costs more than signing with it: once per key.
    const { kid, privateJwk } = await this.keys.activeSigningKey();
    if (this.imported?.kid !== kid) this.imported = { kid, key: importJWK(privateJwk, SIGNING_ALGORITHM) };
    return { kid, key: await this.imported.key };
  }
}

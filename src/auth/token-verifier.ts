import { errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { AppError } from '../platform/errors.js';
import { ACCESS_TOKEN_TTL_SECONDS, TOKEN_AUDIENCE, TOKEN_ISSUER, type AccessClaims, type Role } from './access-token.js';
import { SIGNING_ALGORITHM } from './signing-key.js';

export interface TokenVerifierOptions {
  /**
   * How many verified tokens to remember. A hit skips the signature check (~6k/s a core
   * for Ed25519), which is what lets a hot client's every action stay cheap.
   * @default 10000
   */
  cacheSize?: number;
  /**
   * A token is accepted at most this long after its `iat`, whatever its `exp` says. Ours
   * expire sooner anyway; a token minted with a stolen signing key and a far `exp` does not
   * outlive this (nor its place in the cache) once the key is rotated out.
   * @default ACCESS_TOKEN_TTL_SECONDS (900)
   */
  maxTokenAgeSeconds?: number;
  /** Milliseconds since the epoch; tests move it. @default Date.now */
  now?: () => number;
}

/**
 * Verifies access tokens locally — never by asking the auth service per request — with
 * `alg` pinned to EdDSA and `iss`, `aud`, `exp` checked. Every service uses this one.
 */
export class TokenVerifier {
  private readonly cache = new Map<string, AccessClaims>();
  private readonly cacheSize: number;
  private readonly maxTokenAgeSeconds: number;
  private readonly now: () => number;

  constructor(
    private readonly getKey: JWTVerifyGetKey,
    options: TokenVerifierOptions = {},
  ) {
    this.cacheSize = options.cacheSize ?? 10_000;
    this.maxTokenAgeSeconds = options.maxTokenAgeSeconds ?? ACCESS_TOKEN_TTL_SECONDS;
    this.now = options.now ?? Date.now;
  }

  /** @throws AppError `token_expired`, `unauthorized`, or `unavailable` when the keys cannot be fetched */
  async verify(token: string): Promise<AccessClaims> {
    const cached = this.cache.get(token);
    if (cached) {
      if (cached.expiresAt * 1000 > this.now()) return cached;
      this.cache.delete(token);
      throw new AppError('token_expired', 'The access token has expired; refresh it.');
    }
    const claims = await this.verifySignature(token);
    if (claims.expiresAt * 1000 <= this.now()) throw new AppError('token_expired', 'The access token has expired; refresh it.');
    // Map keeps insertion order, so the first key is the oldest: a cheap FIFO bound.
    if (this.cache.size >= this.cacheSize) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(token, claims);
    return claims;
  }

  private async verifySignature(token: string): Promise<AccessClaims> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.getKey, {
        algorithms: [SIGNING_ALGORITHM],
        issuer: TOKEN_ISSUER,
        audience: TOKEN_AUDIENCE,
        requiredClaims: ['sub', 'exp', 'iat', 'jti'],
        currentDate: new Date(this.now()),
      }));
    } catch (error) {
      throw toAppError(error);
    }
    const { sub, exp, iat, jti, roles } = payload;
    if (typeof sub !== 'string' || typeof exp !== 'number' || typeof iat !== 'number' || typeof jti !== 'string' || !isRoleList(roles)) {
      throw new AppError('unauthorized', 'The access token is malformed.');
    }
    // No check of an `iat` in the future: nodes' clocks a second apart must not refuse fresh tokens.
    return { userId: sub, roles, expiresAt: Math.min(exp, iat + this.maxTokenAgeSeconds), jti };
  }
}

function isRoleList(value: unknown): value is Role[] {
  return Array.isArray(value) && value.every((role) => role === 'admin');
}

function toAppError(error: unknown): AppError {
  if (error instanceof errors.JWTExpired) {
    return new AppError('token_expired', 'The access token has expired; refresh it.', { cause: error });
  }
  if (error instanceof errors.JWKSTimeout || !(error instanceof errors.JOSEError)) {
    // The key set could not be fetched: our fault, not the client's.
    return new AppError('unavailable', 'Signing keys are unreachable; try again shortly.', { cause: error });
  }
  return new AppError('unauthorized', 'The access token is invalid.', { cause: error });
}

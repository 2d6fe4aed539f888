/** `iss` and `aud` of every access token (docs/API.md). */
export const TOKEN_ISSUER = 'live-leaderboard';
export const TOKEN_AUDIENCE = 'live-leaderboard';

/** @default 900 (15 minutes) */
export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;

export type Role = 'admin';

/** What a verified access token says about its bearer. */
export interface AccessClaims {
  /** The user id (`sub`). */
  userId: string;
  roles: readonly Role[];
  /** Expiry, seconds since the epoch (`exp`). */
  expiresAt: number;
  jti: string;
}

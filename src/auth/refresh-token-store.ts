/** A refresh token as stored: only its hash, never the token itself. */
export interface RefreshTokenRecord {
  tokenHash: string;
  /** Every token rotated from one login shares a family; reuse of a spent one revokes it. */
  familyId: string;
  userId: string;
  expiresAt: Date;
}

export type SpendResult =
  | { outcome: 'spent'; userId: string; familyId: string }
  /** The token was already spent: its family is now revoked. */
  | { outcome: 'reused'; familyId: string }
  /** Unknown, expired, or of a revoked family. */
  | { outcome: 'invalid' };

/** Port: refresh-token families (SQLite embedded, PostgreSQL distributed). */
export interface RefreshTokenStore {
  add(token: RefreshTokenRecord): Promise<void>;
  /**
   * Spends a token atomically: of two concurrent calls with one token, exactly one gets
   * `spent`. Spending an already spent token revokes its whole family.
   */
  spend(tokenHash: string, now: Date): Promise<SpendResult>;
  revokeFamily(familyId: string, now: Date): Promise<void>;
}

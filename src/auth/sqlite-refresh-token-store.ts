import type { SqliteDatabase } from '../platform/sqlite.js';
import type { RefreshTokenRecord, RefreshTokenStore, SpendResult } from './refresh-token-store.js';

interface TokenRow {
  family_id: string;
  user_id: string;
  expires_at: number;
  spent_at: number | null;
  revoked_at: number | null;
}

/** `RefreshTokenStore` on the embedded SQLite database; expects `AUTH_SQLITE_MIGRATIONS` applied. */
export class SqliteRefreshTokenStore implements RefreshTokenStore {
  private readonly addFamily;
  private readonly addToken;
  private readonly lookup;
  private readonly markSpent;
  private readonly revoke;
  private readonly spendTransaction;
  private readonly addTransaction;

  constructor(db: SqliteDatabase) {
    this.addFamily = db.prepare('INSERT OR IGNORE INTO refresh_token_families (id, user_id) VALUES (?, ?)');
    this.addToken = db.prepare('INSERT INTO refresh_tokens (token_hash, family_id, user_id, expires_at) VALUES (?, ?, ?, ?)');
    this.lookup = db.prepare<[string], TokenRow>(`
      SELECT t.family_id, t.user_id, t.expires_at, t.spent_at, f.revoked_at
      FROM refresh_tokens t JOIN refresh_token_families f ON f.id = t.family_id
      WHERE t.token_hash = ?`);
    this.markSpent = db.prepare('UPDATE refresh_tokens SET spent_at = ? WHERE token_hash = ? AND spent_at IS NULL');
    this.revoke = db.prepare('UPDATE refresh_token_families SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL');
    // better-sqlite3 runs the whole function as one synchronous transaction, so no other
    // request can spend the same token between the read and the update.
    this.spendTransaction = db.transaction((tokenHash: string, nowMs: number): SpendResult => {
      const row = this.lookup.get(tokenHash);
      if (!row || row.revoked_at !== null || row.expires_at <= nowMs) return { outcome: 'invalid' };
      if (row.spent_at !== null) {
        this.revoke.run(nowMs, row.family_id);
        return { outcome: 'reused', familyId: row.family_id };
      }
      this.markSpent.run(nowMs, tokenHash);
      return { outcome: 'spent', userId: row.user_id, familyId: row.family_id };
    });
    // One transaction, so one disk flush (DURABILITY=fsync) on the event loop instead of two.
    this.addTransaction = db.transaction((token: RefreshTokenRecord) => {
      this.addFamily.run(token.familyId, token.userId);
      this.addToken.run(token.tokenHash, token.familyId, token.userId, token.expiresAt.getTime());
    });
  }

  async add(token: RefreshTokenRecord): Promise<void> {
    this.addTransaction(token);
  }

  async spend(tokenHash: string, now: Date): Promise<SpendResult> {
    return this.spendTransaction.immediate(tokenHash, now.getTime());
  }

  async revokeFamily(familyId: string, now: Date): Promise<void> {
    this.revoke.run(now.getTime(), familyId);
  }
}

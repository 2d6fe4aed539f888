import type { PostgresPool } from '../platform/postgres.js';
import type { RefreshTokenRecord, RefreshTokenStore, SpendResult } from './refresh-token-store.js';

/**
 * `RefreshTokenStore` on the shared PostgreSQL database; expects `AUTH_POSTGRES_MIGRATIONS`
 * applied. Every auth process spends against the same rows, so atomicity comes from the
 * database's row locks, not from anything in this process.
 */
export class PostgresRefreshTokenStore implements RefreshTokenStore {
  constructor(private readonly pool: PostgresPool) {}

  async add(token: RefreshTokenRecord): Promise<void> {
    // One statement, so a crash cannot leave a family without its first token; the foreign
    // key is checked at the end of the statement, after the family row is in.
    await this.pool.query(
      `WITH family AS (
         INSERT INTO refresh_token_families (id, user_id) VALUES ($2, $3) ON CONFLICT (id) DO NOTHING
       )
       INSERT INTO refresh_tokens (token_hash, family_id, user_id, expires_at) VALUES ($1, $2, $3, $4)`,
      [token.tokenHash, token.familyId, token.userId, token.expiresAt],
    );
  }

  async spend(tokenHash: string, now: Date): Promise<SpendResult> {
    // The UPDATE locks the token row; a concurrent spend waits for it, then re-checks
    // `spent_at IS NULL` on the committed row and matches nothing. Exactly one caller wins.
    const spent = await this.pool.query<{ user_id: string; family_id: string }>(
      `UPDATE refresh_tokens t SET spent_at = $2
       FROM refresh_token_families f
       WHERE t.token_hash = $1 AND f.id = t.family_id
         AND t.spent_at IS NULL AND t.expires_at > $2 AND f.revoked_at IS NULL
       RETURNING t.user_id, t.family_id`,
      [tokenHash, now],
    );
    const row = spent.rows[0];
    if (row) return { outcome: 'spent', userId: row.user_id, familyId: row.family_id };

    // Not spendable. If only because it was spent already, that is reuse: revoke the family.
    // Spent, revoked and expired-as-of-`now` never revert, so this cannot contradict the
    // UPDATE above; and as the family row is locked too, of several reuses one revokes and
    // the rest find the family revoked, which is `invalid` — as when SQLite serializes them.
    const reused = await this.pool.query<{ id: string }>(
      `UPDATE refresh_token_families f SET revoked_at = $2
       FROM refresh_tokens t
       WHERE t.token_hash = $1 AND f.id = t.family_id
         AND t.spent_at IS NOT NULL AND t.expires_at > $2 AND f.revoked_at IS NULL
       RETURNING f.id`,
      [tokenHash, now],
    );
    const family = reused.rows[0];
    return family ? { outcome: 'reused', familyId: family.id } : { outcome: 'invalid' };
  }

  async revokeFamily(familyId: string, now: Date): Promise<void> {
    await this.pool.query('UPDATE refresh_token_families SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL', [familyId, now]);
  }
}

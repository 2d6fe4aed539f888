import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { anotherPostgresProcess, emptied, migratedPostgresPool } from '../../test/infrastructure.js';
import { PostgresRefreshTokenStore } from './postgres-refresh-token-store.js';
import { PostgresUserStore } from './postgres-user-store.js';
import { userAdder } from './refresh-token-store.contract.js';

const pool = await migratedPostgresPool();

describe.skipIf(!pool)('PostgresRefreshTokenStore across processes', () => {
  it('lets exactly one of two processes spend a refresh token, and counts the other as reuse', async () => {
    const db = await emptied(pool, 'users, refresh_token_families, refresh_tokens');
    const other = await anotherPostgresProcess(db);
    const userId = await userAdder(new PostgresUserStore(db))();
    const familyId = randomUUID();
    const now = new Date();
    await new PostgresRefreshTokenStore(db).add({ tokenHash: 'hash-raced', familyId, userId, expiresAt: new Date(now.getTime() + 60_000) });

    const stores = [new PostgresRefreshTokenStore(db), new PostgresRefreshTokenStore(other)];
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => stores[i % 2]!.spend('hash-raced', now)));

    expect(results.filter((result) => result.outcome === 'spent')).toHaveLength(1);
    // Every loser saw a spent token: one of them revoked the family, the rest found it revoked.
    expect(results.filter((result) => result.outcome === 'reused')).toEqual([{ outcome: 'reused', familyId }]);
    const { rows } = await db.query<{ revoked_at: Date | null }>('SELECT revoked_at FROM refresh_token_families WHERE id = $1', [familyId]);
    expect(rows[0]?.revoked_at).toBeInstanceOf(Date);
  });
});

import { describe, expect, it } from 'vitest';
import { embeddedDatabase } from '../../test/helpers.js';
import { userAdder } from './refresh-token-store.contract.js';
import { SqliteRefreshTokenStore } from './sqlite-refresh-token-store.js';
import { SqliteUserStore } from './sqlite-user-store.js';

describe('SqliteRefreshTokenStore', () => {
  it('adds a family and its first token together: a refused token leaves no family behind', async () => {
    const db = embeddedDatabase();
    const store = new SqliteRefreshTokenStore(db);
    const userId = await userAdder(new SqliteUserStore(db))();
    const expiresAt = new Date('2026-11-27T11:00:00.000Z');
    await store.add({ tokenHash: 'hash-taken', familyId: 'family-1', userId, expiresAt });

    await expect(store.add({ tokenHash: 'hash-taken', familyId: 'family-2', userId, expiresAt })).rejects.toThrow(/UNIQUE/);
    const families = db.prepare('SELECT id FROM refresh_token_families ORDER BY id').pluck().all();
    expect(families).toEqual(['family-1']);
  });
});

import { describe, expect, it } from 'vitest';
import { anotherPostgresProcess, emptied, migratedPostgresPool } from '../../test/infrastructure.js';
import { PostgresKeyStore } from './postgres-key-store.js';

const pool = await migratedPostgresPool();

describe.skipIf(!pool)('PostgresKeyStore across processes', () => {
  it('settles processes starting on an empty key table on one signing key', async () => {
    const db = await emptied(pool, 'signing_keys');
    const other = await anotherPostgresProcess(db);
    const stores = [db, other, db, other].map((on) => new PostgresKeyStore(on));

    const keys = await Promise.all(stores.map((store) => store.activeSigningKey()));

    expect(new Set(keys.map((key) => key.kid)).size).toBe(1);
    expect(await new PostgresKeyStore(other).publicKeys()).toEqual([keys[0]?.publicJwk]);
  });
});

import { describe } from 'vitest';
import { emptied, migratedPostgresPool } from '../../test/infrastructure.js';
import { describeKeyStore } from './key-store.contract.js';
import { PostgresKeyStore } from './postgres-key-store.js';

const pool = await migratedPostgresPool();

describe.skipIf(!pool)('PostgresKeyStore', () => {
  describeKeyStore('PostgreSQL', async () => {
    const db = await emptied(pool, 'signing_keys');
    return { store: new PostgresKeyStore(db), reopen: () => new PostgresKeyStore(db) };
  });
});

import { describe } from 'vitest';
import { emptied, migratedPostgresPool } from '../../test/infrastructure.js';
import { PostgresRefreshTokenStore } from './postgres-refresh-token-store.js';
import { PostgresUserStore } from './postgres-user-store.js';
import { describeRefreshTokenStore, userAdder } from './refresh-token-store.contract.js';

const pool = await migratedPostgresPool();

describe.skipIf(!pool)('PostgresRefreshTokenStore', () => {
  describeRefreshTokenStore('PostgreSQL', async () => {
    const db = await emptied(pool, 'users, refresh_token_families, refresh_tokens');
    return { store: new PostgresRefreshTokenStore(db), addUser: userAdder(new PostgresUserStore(db)) };
  });
});

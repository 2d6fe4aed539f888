import { describe } from 'vitest';
import { emptied, migratedPostgresPool } from '../../test/infrastructure.js';
import { PostgresUserStore } from './postgres-user-store.js';
import { describeUserStore } from './user-store.contract.js';

const pool = await migratedPostgresPool();

describe.skipIf(!pool)('PostgresUserStore', () => {
  describeUserStore('PostgreSQL', async () => new PostgresUserStore(await emptied(pool, 'users CASCADE')));
});

import { describe, onTestFinished } from 'vitest';
import { emptied, migratedPostgresPool } from '../../test/infrastructure.js';
import { InProcessEventBus } from '../platform/in-process-event-bus.js';
import type { PostgresPool } from '../platform/postgres.js';
import { describeCredentialStore } from './credential-store.contract.js';
import { PostgresCredentialStore } from './postgres-credential-store.js';

const pool = await migratedPostgresPool();

/** A store on `db`, as one node opens it; closed when the test ends. */
async function open(db: PostgresPool): Promise<PostgresCredentialStore> {
  const store = await PostgresCredentialStore.open(db, new InProcessEventBus());
  onTestFinished(() => store.close());
  return store;
}

describe.skipIf(!pool)('PostgresCredentialStore', () => {
  describeCredentialStore('PostgreSQL', async () => {
    const db = await emptied(pool, 'server_credentials');
    return { store: await open(db), reopen: () => open(db) };
  });
});

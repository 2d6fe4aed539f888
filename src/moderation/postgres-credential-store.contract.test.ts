import { describe, expect, it, onTestFinished } from 'vitest';
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

  it('keeps a credential revoked while a reload was reading the table out of the reloaded map', async () => {
    const db = await emptied(pool, 'server_credentials');
    const bus = new InProcessEventBus();
    const store = await PostgresCredentialStore.open(db, bus);
    onTestFinished(() => store.close());
    await store.create({ name: 'arena', secretHash: 'hash-arena', createdAt: Date.now() });

    // The reload's SELECT still sees the row; another node's revocation arrives before its answer.
    const reloading = store.reload();
    await bus.publish({ type: 'credential.revoked', name: 'arena' });
    await reloading;
    // That node's DELETE, which in reality committed before it said so.
    await db.query("DELETE FROM server_credentials WHERE name = 'arena'");
    expect(await store.findByHash('hash-arena')).toBeUndefined();
  });
});

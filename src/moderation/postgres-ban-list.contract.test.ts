import { describe, onTestFinished } from 'vitest';
import { emptied, migratedPostgresPool } from '../../test/infrastructure.js';
import { InProcessEventBus } from '../platform/in-process-event-bus.js';
import type { PostgresPool } from '../platform/postgres.js';
import { describeBanList } from './ban-list.contract.js';
import { PostgresBanList } from './postgres-ban-list.js';

const pool = await migratedPostgresPool();

/** A list on `db`, as one process opens it; closed when the test ends. */
async function open(db: PostgresPool): Promise<PostgresBanList> {
  const list = await PostgresBanList.open(db, new InProcessEventBus());
  onTestFinished(() => list.close());
  return list;
}

describe.skipIf(!pool)('PostgresBanList', () => {
  describeBanList('PostgreSQL', async () => {
    const db = await emptied(pool, 'banned_users');
    return { list: await open(db), reopen: () => open(db) };
  });
});

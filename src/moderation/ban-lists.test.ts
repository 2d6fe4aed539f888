import path from 'node:path';
import { onTestFinished } from 'vitest';
import { postgresAvailable, postgresTestPool } from '../../test/infrastructure.js';
import { temporaryDirectory } from '../../test/helpers.js';
import { InProcessEventBus } from '../platform/in-process-event-bus.js';
import { openSqliteDatabase } from '../platform/sqlite.js';
import { migrateEmbeddedSchema, migratePostgresSchema } from '../storage/schema.js';
import { describeBanList } from './ban-list.contract.js';
import { PostgresBanList } from './postgres-ban-list.js';
import { SqliteBanList } from './sqlite-ban-list.js';

describeBanList('SQLite', async () => {
  const db = openSqliteDatabase(path.join(temporaryDirectory(), 'bans.db'));
  onTestFinished(() => void db.close());
  migrateEmbeddedSchema(db);
  return { list: new SqliteBanList(db), reopen: async () => new SqliteBanList(db) };
});

if (postgresAvailable) {
  const pool = await postgresTestPool();
  await migratePostgresSchema(pool);
  const open = async () => {
    const list = await PostgresBanList.open(pool, new InProcessEventBus());
    onTestFinished(() => list.close());
    return list;
  };
  describeBanList('PostgreSQL', async () => {
    await pool.query('TRUNCATE banned_users');
    return { list: await open(), reopen: open };
  });
}

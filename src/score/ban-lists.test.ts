import path from 'node:path';
import { onTestFinished } from 'vitest';
import { postgresAvailable, postgresTestPool } from '../../test/infrastructure.js';
import { temporaryDirectory } from '../../test/helpers.js';
import { InProcessEventBus } from '../platform/in-process-event-bus.js';
import { applyPostgresMigrations } from '../platform/postgres.js';
import { applySqliteMigrations, openSqliteDatabase } from '../platform/sqlite.js';
import { describeBanList } from './ban-list.contract.js';
import { PostgresBanList } from './postgres-ban-list.js';
import { SCORE_POSTGRES_MIGRATIONS } from './postgres-migrations.js';
import { SqliteBanList } from './sqlite-ban-list.js';
import { SCORE_SQLITE_MIGRATIONS } from './sqlite-migrations.js';

describeBanList('SQLite', async () => {
  const db = openSqliteDatabase(path.join(temporaryDirectory(), 'bans.db'));
  onTestFinished(() => void db.close());
  applySqliteMigrations(db, 'score', SCORE_SQLITE_MIGRATIONS);
  return { list: new SqliteBanList(db), reopen: async () => new SqliteBanList(db) };
});

if (postgresAvailable) {
  const pool = await postgresTestPool();
  await applyPostgresMigrations(pool, 'score', SCORE_POSTGRES_MIGRATIONS);
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

import path from 'node:path';
import { onTestFinished } from 'vitest';
import { temporaryDirectory } from '../../test/helpers.js';
import { applySqliteMigrations, openSqliteDatabase } from '../platform/sqlite.js';
import { describeLedger } from './ledger.contract.js';
import { SqliteLedger } from './sqlite-ledger.js';
import { SCORE_SQLITE_MIGRATIONS } from './sqlite-migrations.js';

describeLedger('SQLite', () => {
  const db = openSqliteDatabase(path.join(temporaryDirectory(), 'ledger.db'));
  onTestFinished(() => {
    db.close();
  });
  applySqliteMigrations(db, 'score', SCORE_SQLITE_MIGRATIONS);
  return new SqliteLedger(db);
});

import path from 'node:path';
import { onTestFinished } from 'vitest';
import { postgresAvailable, postgresTestPool } from '../../test/infrastructure.js';
import { temporaryDirectory } from '../../test/helpers.js';
import { openSqliteDatabase } from '../platform/sqlite.js';
import { migrateEmbeddedSchema, migratePostgresSchema } from '../storage/schema.js';
import type { AuditEntry } from './audit-log.js';
import { describeAuditLog } from './audit-log.contract.js';
import { AUDIT_COLUMNS, storedAuditEntry, type AuditRow } from './buffered-audit-log.js';
import { PostgresAuditLog } from './postgres-audit-log.js';
import { SqliteAuditLog } from './sqlite-audit-log.js';

/** A stored row as the contract compares it: the entry as recorded, without its id. */
function toEntry(row: AuditRow): AuditEntry {
  const { id: _id, ...entry } = storedAuditEntry(row);
  return entry;
}

// A long interval: the contract flushes explicitly.
const options = { maxBuffered: 3, flushIntervalMs: 60_000 };

describeAuditLog('SQLite', async () => {
  const db = openSqliteDatabase(path.join(temporaryDirectory(), 'audit.db'));
  onTestFinished(() => void db.close());
  migrateEmbeddedSchema(db);
  return {
    log: new SqliteAuditLog(db, options),
    stored: async () => db.prepare<[], AuditRow>(`SELECT ${AUDIT_COLUMNS} FROM audit_log ORDER BY id`).all().map(toEntry),
  };
});

if (postgresAvailable) {
  const pool = await postgresTestPool();
  await migratePostgresSchema(pool);
  describeAuditLog('PostgreSQL', async () => {
    await pool.query('TRUNCATE audit_log');
    return {
      log: new PostgresAuditLog(pool, options),
      stored: async () => (await pool.query<AuditRow>(`SELECT ${AUDIT_COLUMNS} FROM audit_log ORDER BY id`)).rows.map(toEntry),
    };
  });
}

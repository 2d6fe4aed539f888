import { describe } from 'vitest';
import { emptied, migratedPostgresPool } from '../../test/infrastructure.js';
import { CONTRACT_BUFFERING, describeAuditLog, recordedEntry } from './audit-log.contract.js';
import { AUDIT_COLUMNS, type AuditRow } from './buffered-audit-log.js';
import { PostgresAuditLog } from './postgres-audit-log.js';

const pool = await migratedPostgresPool();

describe.skipIf(!pool)('PostgresAuditLog', () => {
  describeAuditLog('PostgreSQL', async () => {
    const db = await emptied(pool, 'audit_log');
    return {
      log: new PostgresAuditLog(db, CONTRACT_BUFFERING),
      stored: async () => (await db.query<AuditRow>(`SELECT ${AUDIT_COLUMNS} FROM audit_log ORDER BY id`)).rows.map(recordedEntry),
    };
  });
});

import { embeddedDatabase } from '../../test/helpers.js';
import { CONTRACT_BUFFERING, describeAuditLog, recordedEntry } from './audit-log.contract.js';
import { AUDIT_COLUMNS, type AuditRow } from './buffered-audit-log.js';
import { SqliteAuditLog } from './sqlite-audit-log.js';

describeAuditLog('SQLite', async () => {
  const db = embeddedDatabase();
  return {
    log: new SqliteAuditLog(db, CONTRACT_BUFFERING),
    stored: async () => db.prepare<[], AuditRow>(`SELECT ${AUDIT_COLUMNS} FROM audit_log ORDER BY id`).all().map(recordedEntry),
  };
});

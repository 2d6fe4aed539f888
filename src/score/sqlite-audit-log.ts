import type { SqliteDatabase } from '../platform/sqlite.js';
import type { AuditEntry } from './audit-log.js';
import { BufferedAuditLog, type BufferedAuditLogOptions } from './buffered-audit-log.js';

/** `AuditLog` on the embedded database: buffered, one transaction per flush. */
export class SqliteAuditLog extends BufferedAuditLog {
  constructor(db: SqliteDatabase, options: BufferedAuditLogOptions = {}) {
    const insert = db.prepare('INSERT INTO audit_log (at, event, user_id, ip, action_type, code, detail) VALUES (?, ?, ?, ?, ?, ?, ?)');
    const writeBatch = db.transaction((entries: readonly AuditEntry[]) => {
      for (const e of entries) {
        insert.run(e.at, e.event, e.userId ?? null, e.ip ?? null, e.actionType ?? null, e.code ?? null, e.detail ?? null);
      }
    });
    super((entries) => writeBatch(entries), options);
  }
}

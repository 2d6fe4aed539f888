import type { SqliteDatabase } from '../platform/sqlite.js';
import type { AuditEntry, AuditQuery, StoredAuditEntry } from './audit-log.js';
import { AUDIT_COLUMNS, auditFilter, BufferedAuditLog, storedAuditEntry, type AuditRow, type BufferedAuditLogOptions } from './buffered-audit-log.js';

/** `AuditLog` on the embedded database: buffered, one transaction per flush. */
export class SqliteAuditLog extends BufferedAuditLog {
  constructor(
    private readonly db: SqliteDatabase,
    options: BufferedAuditLogOptions = {},
  ) {
    const insert = db.prepare('INSERT INTO audit_log (at, event, user_id, ip, action_type, code, detail) VALUES (?, ?, ?, ?, ?, ?, ?)');
    const writeBatch = db.transaction((entries: readonly AuditEntry[]) => {
      for (const e of entries) {
        insert.run(e.at, e.event, e.userId ?? null, e.ip ?? null, e.actionType ?? null, e.code ?? null, e.detail ?? null);
      }
    });
    super((entries) => writeBatch(entries), options);
  }

  async recent(query: AuditQuery): Promise<StoredAuditEntry[]> {
    // The cursor is a decimal string; compared with the INTEGER id column, SQLite reads it as a number.
    const { where, params } = auditFilter(query, () => '?');
    const rows = this.db.prepare<(string | number)[], AuditRow>(`SELECT ${AUDIT_COLUMNS} FROM audit_log ${where} ORDER BY id DESC LIMIT ?`).all(...params, query.limit);
    return rows.map(storedAuditEntry);
  }
}

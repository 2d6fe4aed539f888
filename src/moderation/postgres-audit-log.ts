import type { PostgresPool } from '../platform/postgres.js';
import type { AuditQuery, StoredAuditEntry } from './audit-log.js';
import { AUDIT_COLUMNS, auditFilter, BufferedAuditLog, storedAuditEntry, type AuditRow, type BufferedAuditLogOptions } from './buffered-audit-log.js';

/** `AuditLog` on PostgreSQL: buffered, one multi-row insert per flush. */
export class PostgresAuditLog extends BufferedAuditLog {
  constructor(
    private readonly pool: PostgresPool,
    options: BufferedAuditLogOptions = {},
  ) {
    super(async (entries) => {
      await pool.query(
        `INSERT INTO audit_log (at, event, user_id, ip, action_type, code, detail)
         SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])`,
        [
          entries.map((e) => e.at),
          entries.map((e) => e.event),
          entries.map((e) => e.userId ?? null),
          entries.map((e) => e.ip ?? null),
          entries.map((e) => e.actionType ?? null),
          entries.map((e) => e.code ?? null),
          entries.map((e) => e.detail ?? null),
        ],
      );
    }, options);
  }

  async recent(query: AuditQuery): Promise<StoredAuditEntry[]> {
    const { where, params } = auditFilter(query, (index) => `$${index}`);
    const { rows } = await this.pool.query<AuditRow>(`SELECT ${AUDIT_COLUMNS} FROM audit_log ${where} ORDER BY id DESC LIMIT $${params.length + 1}`, [
      ...params,
      query.limit,
    ]);
    return rows.map(storedAuditEntry);
  }
}

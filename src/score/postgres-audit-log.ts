import { Counter, type Registry } from 'prom-client';
import type { PostgresPool } from '../platform/postgres.js';
import type { AuditEntry, AuditLog } from './audit-log.js';

export interface PostgresAuditLogOptions {
  /** @default 200 */
  flushIntervalMs?: number;
  /** Entries held at most between flushes; past it new ones are dropped and counted. @default 50000 */
  maxBuffered?: number;
  metrics?: Registry;
}

/** `AuditLog` on PostgreSQL: buffered, one multi-row insert per flush. */
export class PostgresAuditLog implements AuditLog {
  private buffer: AuditEntry[] = [];
  private readonly timer: NodeJS.Timeout;
  private readonly maxBuffered: number;
  private readonly dropped: Counter | undefined;

  constructor(
    private readonly pool: PostgresPool,
    options: PostgresAuditLogOptions = {},
  ) {
    this.maxBuffered = options.maxBuffered ?? 50_000;
    this.dropped =
      options.metrics &&
      new Counter({ name: 'audit_entries_dropped_total', help: 'Audit entries dropped because the buffer was full', registers: [options.metrics] });
    this.timer = setInterval(() => void this.flush().catch(() => {}), options.flushIntervalMs ?? 200);
    this.timer.unref();
  }

  record(entry: AuditEntry): void {
    if (this.buffer.length >= this.maxBuffered) {
      this.dropped?.inc();
      return;
    }
    this.buffer.push(entry);
  }

  async flush(): Promise<void> {
    if (this.buffer.length === 0) return;
    const entries = this.buffer;
    this.buffer = [];
    try {
      await this.pool.query(
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
    } catch (error) {
      // PostgreSQL away: keep the entries for the next flush, within the bound.
      this.buffer = [...entries, ...this.buffer].slice(0, this.maxBuffered);
      throw error;
    }
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}

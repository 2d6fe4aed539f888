import { Counter, type Registry } from 'prom-client';
import type { SqliteDatabase } from '../platform/sqlite.js';
import type { AuditEntry, AuditLog } from './audit-log.js';

export interface SqliteAuditLogOptions {
  /** @default 200 */
  flushIntervalMs?: number;
  /**
   * Entries held at most between flushes; past it new entries are dropped (and counted),
   * so an attack can fill neither memory nor the disk faster than a flush drains.
   * @default 50000
   */
  maxBuffered?: number;
  /** Where to count dropped entries (`audit_entries_dropped_total`). */
  metrics?: Registry;
}

/** `AuditLog` on the embedded database, written in batches. */
export class SqliteAuditLog implements AuditLog {
  private buffer: AuditEntry[] = [];
  private readonly writeBatch: (entries: readonly AuditEntry[]) => void;
  private readonly timer: NodeJS.Timeout;
  private readonly maxBuffered: number;
  private readonly dropped: Counter | undefined;

  constructor(
    db: SqliteDatabase,
    options: SqliteAuditLogOptions = {},
  ) {
    this.maxBuffered = options.maxBuffered ?? 50_000;
    this.dropped =
      options.metrics &&
      new Counter({ name: 'audit_entries_dropped_total', help: 'Audit entries dropped because the buffer was full', registers: [options.metrics] });
    const insert = db.prepare(
      'INSERT INTO audit_log (at, event, user_id, ip, action_type, code, detail) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.writeBatch = db.transaction((entries: readonly AuditEntry[]) => {
      for (const e of entries) {
        insert.run(e.at, e.event, e.userId ?? null, e.ip ?? null, e.actionType ?? null, e.code ?? null, e.detail ?? null);
      }
    });
    this.timer = setInterval(() => void this.flush(), options.flushIntervalMs ?? 200);
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
    this.writeBatch(entries);
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}

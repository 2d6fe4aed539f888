import { Counter, type Registry } from 'prom-client';
import type { AuditEntry, AuditLog } from './audit-log.js';

export interface BufferedAuditLogOptions {
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

/**
 * An `AuditLog` that buffers entries and hands them to `write` in batches: a flood of
 * rejected requests costs one insert batch per interval, not one commit each. Adapters
 * (SQLite, PostgreSQL) only say how a batch is written.
 */
export class BufferedAuditLog implements AuditLog {
  private buffer: AuditEntry[] = [];
  private readonly timer: NodeJS.Timeout;
  private readonly maxBuffered: number;
  private readonly dropped: Counter | undefined;

  constructor(
    private readonly write: (entries: readonly AuditEntry[]) => Promise<void> | void,
    options: BufferedAuditLogOptions = {},
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
      await this.write(entries);
    } catch (error) {
      // Storage away: keep the entries for the next flush, within the bound.
      this.buffer = [...entries, ...this.buffer].slice(0, this.maxBuffered);
      throw error;
    }
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}

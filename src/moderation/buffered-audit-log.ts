import { Counter, type Registry } from 'prom-client';
import type { AuditEntry, AuditLog, AuditQuery, StoredAuditEntry } from './audit-log.js';

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
 * (SQLite, PostgreSQL) say how a batch is written and how entries are read back.
 */
export abstract class BufferedAuditLog implements AuditLog {
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

  abstract recent(query: AuditQuery): Promise<StoredAuditEntry[]>;

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}

/** An `audit_log` row as both SQL adapters read it. */
export interface AuditRow {
  id: number | string;
  at: number | string;
  event: string;
  user_id: string | null;
  ip: string | null;
  action_type: string | null;
  code: string | null;
  detail: string | null;
}

export const AUDIT_COLUMNS = 'id, at, event, user_id, ip, action_type, code, detail';

/**
 * The WHERE clause of an `AuditQuery` (`placeholder(i)` spells the i-th parameter: `?` or
 * `$1`) and its parameters; built from the filters given, so each shape of query can use
 * the `(user_id, id)` index.
 */
export function auditFilter(query: AuditQuery, placeholder: (index: number) => string): { where: string; params: (string | number)[] } {
  const conditions: string[] = [];
  const params: (string | number)[] = [];
  const add = (column: string, operator: string, value: string | undefined): void => {
    if (value === undefined) return;
    params.push(value);
    conditions.push(`${column} ${operator} ${placeholder(params.length)}`);
  };
  add('user_id', '=', query.userId);
  add('event', '=', query.event);
  add('id', '<', query.beforeId);
  return { where: conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '', params };
}

/** A stored row as the port returns it: numbers as numbers, absent fields left out. */
export function storedAuditEntry(row: AuditRow): StoredAuditEntry {
  const optional = { userId: row.user_id, ip: row.ip, actionType: row.action_type, code: row.code, detail: row.detail };
  return {
    id: String(row.id),
    at: Number(row.at),
    event: row.event,
    ...Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== null)),
  };
}

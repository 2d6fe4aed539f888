import type { SqliteDatabase } from '../platform/sqlite.js';
import { webhookMessage, type WebhookEvent, type WebhookEventType } from './webhook-events.js';
import type { DeliveryStatus, PendingDelivery, SqliteWebhookWriter, WebhookDelivery, WebhookOutbox } from './webhook-outbox.js';

/** A delivery log row as both adapters read it (PostgreSQL's BIGINTs come as strings). */
export interface DeliveryRow {
  message_id: string;
  type: WebhookEventType;
  url: string;
  status: DeliveryStatus;
  attempts: number;
  last_error: string | null;
  created_at: number | string;
  delivered_at: number | string | null;
}

interface PendingRow {
  id: number;
  message_id: string;
  body: string;
  attempts: number;
  created_at: number;
  next_attempt_at: number;
}

/**
 * `WebhookOutbox` on the embedded database. `write` runs inside whatever transaction the
 * caller has open on the same connection (the ledger's batch, a ban): the event commits with
 * its cause or not at all.
 */
export class SqliteWebhookOutbox implements WebhookOutbox, SqliteWebhookWriter {
  private readonly statements;
  private readonly closeOnce: (board: string, period: string, event: WebhookEvent, now: number) => boolean;
  /** One delivery round per receiver at a time (this process is the database's only writer). */
  private readonly delivering = new Set<string>();

  constructor(
    db: SqliteDatabase,
    private readonly urls: readonly string[],
  ) {
    this.statements = {
      insert: db.prepare<[string, string, string, string, number, number]>(
        'INSERT INTO webhook_deliveries (message_id, url, type, body, created_at, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      pendingFor: db.prepare<[string, number], PendingRow>(
        "SELECT id, message_id, body, attempts, created_at, next_attempt_at FROM webhook_deliveries WHERE url = ? AND status = 'pending' ORDER BY id LIMIT ?",
      ),
      delivered: db.prepare<[number, number]>("UPDATE webhook_deliveries SET status = 'delivered', attempts = attempts + 1, delivered_at = ? WHERE id = ?"),
      failed: db.prepare<[string, string, number, number]>('UPDATE webhook_deliveries SET status = ?, attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE id = ?'),
      deliveries: db.prepare<[number, number], DeliveryRow>(
        'SELECT message_id, type, url, status, attempts, last_error, created_at, delivered_at FROM webhook_deliveries ORDER BY id DESC LIMIT ? OFFSET ?',
      ),
      forgetSettled: db.prepare<[number, number]>(
        "DELETE FROM webhook_deliveries WHERE id IN (SELECT id FROM webhook_deliveries WHERE status <> 'pending' AND created_at < ? LIMIT ?)",
      ),
      watch: db.prepare<[string, number]>('INSERT OR IGNORE INTO period_watch (board, since) VALUES (?, ?)'),
      watchedSince: db.prepare<[string], { since: number }>('SELECT since FROM period_watch WHERE board = ?'),
      isClosed: db.prepare<[string, string], { closed: 1 }>('SELECT 1 AS closed FROM closed_periods WHERE board = ? AND period = ?'),
      close: db.prepare<[string, string, number]>('INSERT OR IGNORE INTO closed_periods (board, period, closed_at) VALUES (?, ?, ?)'),
    };
    this.closeOnce = db.transaction((board: string, period: string, event: WebhookEvent, now: number) => {
      if (this.statements.close.run(board, period, now).changes === 0) return false;
      this.write([event], now);
      return true;
    });
  }

  write(events: readonly WebhookEvent[], now: number): void {
    if (this.urls.length === 0) return;
    for (const event of events) {
      const message = webhookMessage(event, now);
      // Due at once: the sender's wall clock, not the event's, decides when it is sent again.
      for (const url of this.urls) this.statements.insert.run(message.id, url, message.type, message.body, now, 0);
    }
  }

  async enqueue(events: readonly WebhookEvent[], now: number): Promise<void> {
    this.write(events, now);
  }

  async pendingFor(url: string, limit: number): Promise<PendingDelivery[]> {
    return this.statements.pendingFor.all(url, limit).map((row) => ({
      key: String(row.id),
      messageId: row.message_id,
      body: row.body,
      attempts: row.attempts,
      createdAt: row.created_at,
      nextAttemptAt: row.next_attempt_at,
    }));
  }

  async markDelivered(key: string, at: number): Promise<void> {
    this.statements.delivered.run(at, Number(key));
  }

  async markAttemptFailed(key: string, failure: { error: string; nextAttemptAt: number; giveUp: boolean }): Promise<void> {
    this.statements.failed.run(failure.giveUp ? 'failed' : 'pending', failure.error, failure.nextAttemptAt, Number(key));
  }

  async deliveries(limit: number, offset: number): Promise<WebhookDelivery[]> {
    return this.statements.deliveries.all(limit, offset).map(toDelivery);
  }

  async forgetSettled(before: number, limit: number): Promise<number> {
    return this.statements.forgetSettled.run(before, limit).changes;
  }

  async watchedSince(board: string, now: number): Promise<number> {
    this.statements.watch.run(board, now);
    return (this.statements.watchedSince.get(board) as { since: number }).since;
  }

  async isClosed(board: string, period: string): Promise<boolean> {
    return this.statements.isClosed.get(board, period) !== undefined;
  }

  async closePeriod(board: string, period: string, event: WebhookEvent, now: number): Promise<boolean> {
    return this.closeOnce(board, period, event, now);
  }

  async exclusively(url: string, work: () => Promise<void>): Promise<void> {
    if (this.delivering.has(url)) return;
    this.delivering.add(url);
    try {
      await work();
    } finally {
      this.delivering.delete(url);
    }
  }
}

/** A delivery log row in the port's shape (shared with the PostgreSQL adapter). */
export function toDelivery(row: DeliveryRow): WebhookDelivery {
  return {
    id: row.message_id,
    type: row.type,
    url: row.url,
    status: row.status,
    attempts: row.attempts,
    ...(row.last_error !== null && { lastError: row.last_error }),
    createdAt: Number(row.created_at),
    ...(row.delivered_at !== null && { deliveredAt: Number(row.delivered_at) }),
  };
}

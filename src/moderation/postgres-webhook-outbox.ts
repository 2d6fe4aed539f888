import { createHash } from 'node:crypto';
import { inTransaction, withTryAdvisoryLock, type PostgresClient, type PostgresPool } from '../platform/postgres.js';
import { toDelivery, type DeliveryRow } from './sqlite-webhook-outbox.js';
import { webhookMessage, type WebhookEvent } from './webhook-events.js';
import type { PendingDelivery, PostgresWebhookWriter, WebhookDelivery, WebhookOutbox } from './webhook-outbox.js';

/**
 * `WebhookOutbox` on PostgreSQL, shared by every node. `writeWith` runs in the caller's
 * transaction (the ledger's batch, a ban); a period is closed once whichever node gets there
 * first (its primary key); one node at a time delivers to a receiver (a session advisory
 * lock per receiver), so the order per receiver holds with any number of nodes.
 */
export class PostgresWebhookOutbox implements WebhookOutbox, PostgresWebhookWriter {
  constructor(
    private readonly pool: PostgresPool,
    private readonly urls: readonly string[],
  ) {}

  async writeWith(client: PostgresClient | PostgresPool, events: readonly WebhookEvent[], now: number): Promise<void> {
    if (this.urls.length === 0 || events.length === 0) return;
    // Due at once (0): the sender's wall clock, not the event's, decides when it is sent again.
    const rows = events.flatMap((event) => {
      const message = webhookMessage(event, now);
      return this.urls.map((url) => ({ url, ...message }));
    });
    await client.query(
      `INSERT INTO webhook_deliveries (message_id, url, type, body, created_at, next_attempt_at)
       SELECT id, url, type, body, $5, 0 FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS m(id, url, type, body)`,
      [rows.map((row) => row.id), rows.map((row) => row.url), rows.map((row) => row.type), rows.map((row) => row.body), now],
    );
  }

  async enqueue(events: readonly WebhookEvent[], now: number): Promise<void> {
    await this.writeWith(this.pool, events, now);
  }

  async pendingFor(url: string, limit: number): Promise<PendingDelivery[]> {
    const { rows } = await this.pool.query<{ id: string; message_id: string; body: string; attempts: number; created_at: string; next_attempt_at: string }>(
      "SELECT id, message_id, body, attempts, created_at, next_attempt_at FROM webhook_deliveries WHERE url = $1 AND status = 'pending' ORDER BY id LIMIT $2",
      [url, limit],
    );
    return rows.map((row) => ({
      key: row.id,
      messageId: row.message_id,
      body: row.body,
      attempts: row.attempts,
      createdAt: Number(row.created_at),
      nextAttemptAt: Number(row.next_attempt_at),
    }));
  }

  async markDelivered(key: string, at: number): Promise<void> {
    await this.pool.query("UPDATE webhook_deliveries SET status = 'delivered', attempts = attempts + 1, delivered_at = $2 WHERE id = $1", [key, at]);
  }

  async markAttemptFailed(key: string, failure: { error: string; nextAttemptAt: number; giveUp: boolean }): Promise<void> {
    await this.pool.query('UPDATE webhook_deliveries SET status = $2, attempts = attempts + 1, last_error = $3, next_attempt_at = $4 WHERE id = $1', [
      key,
      failure.giveUp ? 'failed' : 'pending',
      failure.error,
      failure.nextAttemptAt,
    ]);
  }

  async deliveries(limit: number, offset: number): Promise<WebhookDelivery[]> {
    const { rows } = await this.pool.query<DeliveryRow>('SELECT message_id, type, url, status, attempts, last_error, created_at, delivered_at FROM webhook_deliveries ORDER BY id DESC LIMIT $1 OFFSET $2', [
      limit,
      offset,
    ]);
    return rows.map(toDelivery);
  }

  async forgetSettled(before: number, limit: number): Promise<number> {
    const { rowCount } = await this.pool.query(
      "DELETE FROM webhook_deliveries WHERE id IN (SELECT id FROM webhook_deliveries WHERE status <> 'pending' AND created_at < $1 LIMIT $2)",
      [before, limit],
    );
    return rowCount ?? 0;
  }

  async watchedSince(board: string, now: number): Promise<number> {
    await this.pool.query('INSERT INTO period_watch (board, since) VALUES ($1, $2) ON CONFLICT DO NOTHING', [board, now]);
    const { rows } = await this.pool.query<{ since: string }>('SELECT since FROM period_watch WHERE board = $1', [board]);
    return Number(rows[0]?.since);
  }

  async isClosed(board: string, period: string): Promise<boolean> {
    const { rowCount } = await this.pool.query('SELECT 1 FROM closed_periods WHERE board = $1 AND period = $2', [board, period]);
    return (rowCount ?? 0) > 0;
  }

  async closePeriod(board: string, period: string, event: WebhookEvent, now: number): Promise<boolean> {
    return inTransaction(this.pool, async (client) => {
      const { rowCount } = await client.query('INSERT INTO closed_periods (board, period, closed_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [
        board,
        period,
        now,
      ]);
      if ((rowCount ?? 0) === 0) return false;
      await this.writeWith(client, [event], now);
      return true;
    });
  }

  async exclusively(url: string, work: () => Promise<void>): Promise<void> {
    await withTryAdvisoryLock(this.pool, receiverLockKey(url), work);
  }
}

/** The advisory lock of one receiver: 64 bits of a hash of its URL. */
function receiverLockKey(url: string): string {
  return createHash('sha1').update(`webhook:${url}`).digest().readBigInt64BE(0).toString();
}

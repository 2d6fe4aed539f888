import type { EventBus } from '../platform/event-bus.js';
import { inTransaction, type PostgresPool } from '../platform/postgres.js';
import type { BanList } from './ban-list.js';
import type { PostgresWebhookWriter } from './webhook-outbox.js';

export interface PostgresBanListOptions {
  /** How stale a missed pub/sub message can leave this node. @default 30000 */
  reloadIntervalMs?: number;
  /** Where `user.banned` and `user.unbanned` go, in the transaction that changes the list. */
  webhooks?: PostgresWebhookWriter;
}

/**
 * `BanList` on PostgreSQL, answered from an in-memory Set on every node. A ban written by
 * one node reaches the others as a `user.banned` event over the bus (pub/sub); since pub/sub
 * may drop a message while a node reconnects, each node also reloads the Set periodically.
 */
export class PostgresBanList implements BanList {
  private banned = new Set<string>();
  private readonly timer: NodeJS.Timeout;
  private readonly unsubscribe: (() => void)[];

  private constructor(
    private readonly pool: PostgresPool,
    bus: EventBus,
    reloadIntervalMs: number,
    private readonly webhooks: PostgresWebhookWriter | undefined,
  ) {
    this.unsubscribe = [
      bus.subscribe('user.banned', (event) => void this.banned.add(event.userId)),
      bus.subscribe('user.unbanned', (event) => void this.banned.delete(event.userId)),
    ];
    this.timer = setInterval(() => void this.reload().catch(() => {}), reloadIntervalMs);
    this.timer.unref();
  }

  static async open(pool: PostgresPool, bus: EventBus, options: PostgresBanListOptions = {}): Promise<PostgresBanList> {
    const list = new PostgresBanList(pool, bus, options.reloadIntervalMs ?? 30_000, options.webhooks);
    await list.reload();
    return list;
  }

  async isBanned(userId: string): Promise<boolean> {
    return this.banned.has(userId);
  }

  async list(): Promise<string[]> {
    return [...this.banned];
  }

  async ban(userId: string, at: Date): Promise<void> {
    await inTransaction(this.pool, async (client) => {
      const { rowCount } = await client.query('INSERT INTO banned_users (user_id, banned_at) VALUES ($1, $2) ON CONFLICT DO NOTHING', [userId, at.getTime()]);
      // An event only when the list changed: banning a banned user tells no one again.
      if ((rowCount ?? 0) > 0) await this.webhooks?.writeWith(client, [{ type: 'user.banned', data: { userId } }], at.getTime());
    });
    this.banned.add(userId);
  }

  async unban(userId: string, at = new Date()): Promise<void> {
    await inTransaction(this.pool, async (client) => {
      const { rowCount } = await client.query('DELETE FROM banned_users WHERE user_id = $1', [userId]);
      if ((rowCount ?? 0) > 0) await this.webhooks?.writeWith(client, [{ type: 'user.unbanned', data: { userId } }], at.getTime());
    });
    this.banned.delete(userId);
  }

  async reload(): Promise<void> {
    const { rows } = await this.pool.query<{ user_id: string }>('SELECT user_id FROM banned_users');
    this.banned = new Set(rows.map((row) => row.user_id));
  }

  close(): void {
    clearInterval(this.timer);
    for (const stop of this.unsubscribe) stop();
  }
}

import type { EventBus } from '../platform/event-bus.js';
import type { PostgresPool } from '../platform/postgres.js';
import type { BanList } from './ban-list.js';

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
  ) {
    this.unsubscribe = [
      bus.subscribe('user.banned', (event) => void this.banned.add(event.userId)),
      bus.subscribe('user.unbanned', (event) => void this.banned.delete(event.userId)),
    ];
    this.timer = setInterval(() => void this.reload().catch(() => {}), reloadIntervalMs);
    this.timer.unref();
  }

  /** @param reloadIntervalMs how stale a missed pub/sub message can leave this node @default 30000 */
  static async open(pool: PostgresPool, bus: EventBus, reloadIntervalMs = 30_000): Promise<PostgresBanList> {
    const list = new PostgresBanList(pool, bus, reloadIntervalMs);
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
    await this.pool.query('INSERT INTO banned_users (user_id, banned_at) VALUES ($1, $2) ON CONFLICT DO NOTHING', [userId, at.getTime()]);
    this.banned.add(userId);
  }

  async unban(userId: string): Promise<void> {
    await this.pool.query('DELETE FROM banned_users WHERE user_id = $1', [userId]);
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

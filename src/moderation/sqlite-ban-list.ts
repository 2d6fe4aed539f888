import type { SqliteDatabase } from '../platform/sqlite.js';
import type { BanList } from './ban-list.js';
import type { SqliteWebhookWriter } from './webhook-outbox.js';

/**
 * `BanList` on the embedded database with every banned id held in a Set: bans are few, and
 * this process is the only writer, so the Set is always current.
 */
export class SqliteBanList implements BanList {
  private readonly banned: Set<string>;
  private readonly banOnce: (userId: string, at: number) => void;
  private readonly unbanOnce: (userId: string, at: number) => void;

  /** @param webhooks where `user.banned` and `user.unbanned` go, in the transaction that changes the list */
  constructor(db: SqliteDatabase, webhooks?: SqliteWebhookWriter) {
    this.banned = new Set(
      db
        .prepare<[], { user_id: string }>('SELECT user_id FROM banned_users')
        .all()
        .map((row) => row.user_id),
    );
    const insert = db.prepare<[string, number]>('INSERT OR IGNORE INTO banned_users (user_id, banned_at) VALUES (?, ?)');
    const remove = db.prepare<[string]>('DELETE FROM banned_users WHERE user_id = ?');
    // An event only when the list changed: banning a banned user tells no one again.
    this.banOnce = db.transaction((userId: string, at: number) => {
      if (insert.run(userId, at).changes > 0) webhooks?.write([{ type: 'user.banned', data: { userId } }], at);
    });
    this.unbanOnce = db.transaction((userId: string, at: number) => {
      if (remove.run(userId).changes > 0) webhooks?.write([{ type: 'user.unbanned', data: { userId } }], at);
    });
  }

  async isBanned(userId: string): Promise<boolean> {
    return this.banned.has(userId);
  }

  async list(): Promise<string[]> {
    return [...this.banned];
  }

  async ban(userId: string, at: Date): Promise<void> {
    this.banOnce(userId, at.getTime());
    this.banned.add(userId);
  }

  async unban(userId: string, at = new Date()): Promise<void> {
    this.unbanOnce(userId, at.getTime());
    this.banned.delete(userId);
  }
}

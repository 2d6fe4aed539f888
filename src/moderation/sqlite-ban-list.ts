import type { SqliteDatabase } from '../platform/sqlite.js';
import type { BanList } from './ban-list.js';

/**
 * `BanList` on the embedded database with every banned id held in a Set: bans are few, and
 * this process is the only writer, so the Set is always current.
 */
export class SqliteBanList implements BanList {
  private readonly banned: Set<string>;
  private readonly insert;
  private readonly remove;

  constructor(db: SqliteDatabase) {
    this.banned = new Set(
      db
        .prepare<[], { user_id: string }>('SELECT user_id FROM banned_users')
        .all()
        .map((row) => row.user_id),
    );
    this.insert = db.prepare('INSERT OR IGNORE INTO banned_users (user_id, banned_at) VALUES (?, ?)');
    this.remove = db.prepare('DELETE FROM banned_users WHERE user_id = ?');
  }

  async isBanned(userId: string): Promise<boolean> {
    return this.banned.has(userId);
  }

  async list(): Promise<string[]> {
    return [...this.banned];
  }

  async ban(userId: string, at: Date): Promise<void> {
    this.insert.run(userId, at.getTime());
    this.banned.add(userId);
  }

  async unban(userId: string): Promise<void> {
    this.remove.run(userId);
    this.banned.delete(userId);
  }
}

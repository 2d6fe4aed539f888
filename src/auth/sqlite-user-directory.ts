import type { SqliteDatabase } from '../platform/sqlite.js';
import { NameCache } from './name-cache.js';
import type { FoundUser, UserDirectory, UserSearch } from './user-directory.js';

/** `UserDirectory` and `UserSearch` over the embedded database's `users` table, recent names cached. */
export class SqliteUserDirectory implements UserDirectory, UserSearch {
  private readonly names = new NameCache();
  private readonly byId;
  private readonly byPrefix;

  constructor(db: SqliteDatabase) {
    this.byId = db.prepare<[string], { username: string }>('SELECT username FROM users WHERE id = ?');
    // A range on the unique index of lower-cased names: usernames are ASCII below DEL (0x7f).
    this.byPrefix = db.prepare<[string, string, number], { id: string; username: string; created_at: string }>(
      'SELECT id, username, created_at FROM users WHERE username_key >= ? AND username_key < ? ORDER BY username_key LIMIT ?',
    );
  }

  async search(prefix: string, limit: number): Promise<FoundUser[]> {
    const key = prefix.toLowerCase();
    return this.byPrefix.all(key, `${key}\u007f`, limit).map((row) => ({ id: row.id, username: row.username, createdAt: new Date(row.created_at).toISOString() }));
  }

  async usernames(userIds: readonly string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    for (const id of userIds) {
      let name = this.names.get(id);
      if (name === undefined) {
        name = this.byId.get(id)?.username;
        if (name !== undefined) this.names.set(id, name);
      }
      if (name !== undefined) found.set(id, name);
    }
    return found;
  }
}

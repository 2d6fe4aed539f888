import type { SqliteDatabase } from '../platform/sqlite.js';
import { NameCache } from './name-cache.js';
import type { UserDirectory } from './user-directory.js';

/** `UserDirectory` over the embedded database's `users` table, recent names cached. */
export class SqliteUserDirectory implements UserDirectory {
  private readonly names = new NameCache();
  private readonly byId;

  constructor(db: SqliteDatabase) {
    this.byId = db.prepare<[string], { username: string }>('SELECT username FROM users WHERE id = ?');
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

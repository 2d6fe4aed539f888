import type { PostgresPool } from '../platform/postgres.js';
import { NameCache } from './name-cache.js';
import type { FoundUser, UserDirectory, UserSearch } from './user-directory.js';

/** `UserDirectory` over PostgreSQL's `users`, one query per call for the names not in the cache of recent ones. */
export class PostgresUserDirectory implements UserDirectory, UserSearch {
  private readonly names = new NameCache();

  constructor(private readonly pool: PostgresPool) {}

  async usernames(userIds: readonly string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    for (const id of userIds) {
      const name = this.names.get(id);
      if (name !== undefined) found.set(id, name);
    }
    const missing = userIds.filter((id) => !found.has(id));
    if (missing.length > 0) {
      const { rows } = await this.pool.query<{ id: string; username: string }>('SELECT id, username FROM users WHERE id = ANY($1::text[])', [missing]);
      for (const row of rows) {
        this.names.set(row.id, row.username);
        found.set(row.id, row.username);
      }
    }
    return found;
  }

  async search(prefix: string, limit: number): Promise<FoundUser[]> {
    const key = prefix.toLowerCase();
    // Byte order ("C"), as SQLite compares: the database's own collation may order `_` and `-` otherwise.
    const { rows } = await this.pool.query<{ id: string; username: string; created_at: Date }>(
      `SELECT id, username, created_at FROM users
       WHERE username_key COLLATE "C" >= $1 AND username_key COLLATE "C" < $2 ORDER BY username_key COLLATE "C" LIMIT $3`,
      [key, `${key}\u007f`, limit],
    );
    return rows.map((row) => ({ id: row.id, username: row.username, createdAt: row.created_at.toISOString() }));
  }
}

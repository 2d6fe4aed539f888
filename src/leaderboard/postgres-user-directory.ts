import type { PostgresPool } from '../platform/postgres.js';
import type { UserDirectory } from './user-directory.js';

/** `UserDirectory` over PostgreSQL's `users`, one query per call for the names not yet cached (names never change). */
export class PostgresUserDirectory implements UserDirectory {
  private readonly names = new Map<string, string>();

  constructor(private readonly pool: PostgresPool) {}

  async usernames(userIds: readonly string[]): Promise<Map<string, string>> {
    const missing = userIds.filter((id) => !this.names.has(id));
    if (missing.length > 0) {
      const { rows } = await this.pool.query<{ id: string; username: string }>('SELECT id, username FROM users WHERE id = ANY($1::text[])', [missing]);
      for (const row of rows) this.names.set(row.id, row.username);
    }
    const found = new Map<string, string>();
    for (const id of userIds) {
      const name = this.names.get(id);
      if (name !== undefined) found.set(id, name);
    }
    return found;
  }
}

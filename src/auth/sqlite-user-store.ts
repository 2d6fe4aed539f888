import type { SqliteDatabase } from '../platform/sqlite.js';
import { UsernameTakenError, usernameKey, type UserRecord, type UserStore } from './user-store.js';

interface UserRow {
  id: string;
  username: string;
  password_hash: string;
  created_at: string;
}

/** `UserStore` on the embedded SQLite database; expects `AUTH_SQLITE_MIGRATIONS` applied. */
export class SqliteUserStore implements UserStore {
  private readonly insert;
  private readonly byKey;
  private readonly byId;

  constructor(db: SqliteDatabase) {
    this.insert = db.prepare('INSERT INTO users (id, username, username_key, password_hash, created_at) VALUES (?, ?, ?, ?, ?)');
    this.byKey = db.prepare<[string], UserRow>('SELECT id, username, password_hash, created_at FROM users WHERE username_key = ?');
    this.byId = db.prepare<[string], UserRow>('SELECT id, username, password_hash, created_at FROM users WHERE id = ?');
  }

  async create(user: UserRecord): Promise<void> {
    try {
      this.insert.run(user.id, user.username, usernameKey(user.username), user.passwordHash, user.createdAt.toISOString());
    } catch (error) {
      if (isUniqueViolation(error, 'users.username_key')) throw new UsernameTakenError(`username ${user.username} is taken`);
      throw error;
    }
  }

  async findByUsername(username: string): Promise<UserRecord | undefined> {
    return toRecord(this.byKey.get(usernameKey(username)));
  }

  async findById(id: string): Promise<UserRecord | undefined> {
    return toRecord(this.byId.get(id));
  }
}

function isUniqueViolation(error: unknown, column: string): boolean {
  return (
    error instanceof Error &&
    (error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE' &&
    error.message.includes(column)
  );
}

function toRecord(row: UserRow | undefined): UserRecord | undefined {
  return row && { id: row.id, username: row.username, passwordHash: row.password_hash, createdAt: new Date(row.created_at) };
}

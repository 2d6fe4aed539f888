import pg from 'pg';
import type { PostgresPool } from '../platform/postgres.js';
import { UsernameTakenError, usernameKey, type UserRecord, type UserStore } from './user-store.js';

interface UserRow {
  id: string;
  username: string;
  password_hash: string;
  created_at: Date;
}

const UNIQUE_VIOLATION = '23505';
const USERNAME_CONSTRAINT = 'users_username_key_unique';

/** `UserStore` on the shared PostgreSQL database; expects `AUTH_POSTGRES_MIGRATIONS` applied. */
export class PostgresUserStore implements UserStore {
  constructor(private readonly pool: PostgresPool) {}

  async create(user: UserRecord): Promise<void> {
    try {
      await this.pool.query('INSERT INTO users (id, username, username_key, password_hash, created_at) VALUES ($1, $2, $3, $4, $5)', [
        user.id,
        user.username,
        usernameKey(user.username),
        user.passwordHash,
        user.createdAt,
      ]);
    } catch (error) {
      // Only the name's constraint means "taken": a duplicate id is a bug and must surface as one.
      if (error instanceof pg.DatabaseError && error.code === UNIQUE_VIOLATION && error.constraint === USERNAME_CONSTRAINT) {
        throw new UsernameTakenError(`username ${user.username} is taken`, { cause: error });
      }
      throw error;
    }
  }

  async findByUsername(username: string): Promise<UserRecord | undefined> {
    return this.findOne('username_key', usernameKey(username));
  }

  async findById(id: string): Promise<UserRecord | undefined> {
    return this.findOne('id', id);
  }

  private async findOne(column: 'id' | 'username_key', value: string): Promise<UserRecord | undefined> {
    const { rows } = await this.pool.query<UserRow>(`SELECT id, username, password_hash, created_at FROM users WHERE ${column} = $1`, [value]);
    const row = rows[0];
    return row && { id: row.id, username: row.username, passwordHash: row.password_hash, createdAt: row.created_at };
  }
}

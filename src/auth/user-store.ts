/** A registered player as the auth service stores them. */
export interface UserRecord {
  id: string;
  /** As the player typed it; uniqueness ignores case. */
  username: string;
  passwordHash: string;
  createdAt: Date;
}

/** Thrown by `UserStore.create` when the name is taken, whatever its case. */
export class UsernameTakenError extends Error {
  override readonly name = 'UsernameTakenError';
}

/** Port: where users live (SQLite embedded, PostgreSQL distributed). */
export interface UserStore {
  /** @throws UsernameTakenError when a user with the same name, case-insensitively, exists */
  create(user: UserRecord): Promise<void>;
  /** Case-insensitive. */
  findByUsername(username: string): Promise<UserRecord | undefined>;
  findById(id: string): Promise<UserRecord | undefined>;
}

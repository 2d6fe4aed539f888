/** A registered player as the auth service stores them. */
export interface UserRecord {
  id: string;
  /** As the player typed it; uniqueness ignores case. */
  username: string;
  passwordHash: string;
  createdAt: Date;
}

/** The key usernames are unique by: they are ASCII (`[A-Za-z0-9_-]`), so lower-casing is the whole case fold. */
export function usernameKey(username: string): string {
  return username.toLowerCase();
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

/** Port: display names for user ids (the auth service's users, read by the leaderboard). */
export interface UserDirectory {
  /** Usernames of the given ids; unknown ids are missing from the map. */
  usernames(userIds: readonly string[]): Promise<Map<string, string>>;
}

/** A user as the operator's search lists them. */
export interface FoundUser {
  id: string;
  username: string;
  /** ISO time */
  createdAt: string;
}

/** Port: users found by the start of their name, any case (the admin's player search). */
export interface UserSearch {
  /** Up to `limit` users whose username starts with `prefix` (`[A-Za-z0-9_-]`, any case), by username. */
  search(prefix: string, limit: number): Promise<FoundUser[]>;
}

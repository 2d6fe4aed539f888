/** Port: display names for user ids (the auth service's users, read by the leaderboard). */
export interface UserDirectory {
  /** Usernames of the given ids; unknown ids are missing from the map. */
  usernames(userIds: readonly string[]): Promise<Map<string, string>>;
}

/**
 * Port: what a ban does to the boards. The leaderboard service implements it; moderation
 * calls it before answering, so a ban's `204` means the player is already off every board.
 */
export interface BoardMembership {
  /** Takes the user off every board and period held, and publishes the changed tops. */
  removeUser(userId: string): Promise<void>;
  /** Puts the user back from the ledger's totals, and publishes the changed tops. */
  restoreUser(userId: string): Promise<void>;
}

/**
 * Port: which users may not score. Checked on every action, so adapters answer from
 * memory and invalidate on ban/unban rather than query storage per request.
 */
export interface BanList {
  isBanned(userId: string): Promise<boolean>;
  /** Every banned user id (bans are few): rebuilding a board filters them in one pass. */
  list(): Promise<string[]>;
  ban(userId: string, at: Date): Promise<void>;
  unban(userId: string, at?: Date): Promise<void>;
}

/** How often a board starts over. */
export type BoardPeriod = 'all-time' | 'daily' | 'weekly';

/** A ranked board: every accepted action adds its points to each board's current period. */
export interface BoardDefinition {
  id: string;
  period: BoardPeriod;
}

/** API.md "Leaderboard service": the boards every deployment has. */
export const DEFAULT_BOARDS: readonly BoardDefinition[] = [
  { id: 'global', period: 'all-time' },
  { id: 'daily', period: 'daily' },
  { id: 'weekly', period: 'weekly' },
];

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The key of the period `atMs` falls in: `all` for all-time boards, the UTC date for daily
 * ones, and the date of the week's Monday (UTC) for weekly ones. A reset is a new key,
 * never a mass delete.
 */
export function periodKey(period: BoardPeriod, atMs: number): string {
  switch (period) {
    case 'all-time':
      return 'all';
    case 'daily':
      return isoDate(startOfUtcDay(atMs));
    case 'weekly':
      return isoDate(startOfUtcWeek(atMs));
  }
}

/** When the period holding `atMs` ends (ms since the epoch); undefined for all-time boards. */
export function periodEndsAt(period: BoardPeriod, atMs: number): number | undefined {
  switch (period) {
    case 'all-time':
      return undefined;
    case 'daily':
      return startOfUtcDay(atMs) + DAY_MS;
    case 'weekly':
      return startOfUtcWeek(atMs) + 7 * DAY_MS;
  }
}

export function startOfUtcDay(atMs: number): number {
  return Math.floor(atMs / DAY_MS) * DAY_MS;
}

function startOfUtcWeek(atMs: number): number {
  const day = startOfUtcDay(atMs);
  // getUTCDay: Sunday 0 … Saturday 6; weeks start on Monday.
  const daysSinceMonday = (new Date(day).getUTCDay() + 6) % 7;
  return day - daysSinceMonday * DAY_MS;
}

function isoDate(atMs: number): string {
  return new Date(atMs).toISOString().slice(0, 10);
}

/**
 * Board periods: which period an instant falls in, its key, when it ends. A reset is a new
 * key, never a mass delete; keys of one calendar kind sort by time as strings.
 */

/** A calendar period: the board starts over at each boundary (00:00 UTC; Monday; the 1st). */
export type CalendarPeriod = 'all-time' | 'daily' | 'weekly' | 'monthly';

/** A dated season: the board counts actions in `[start, end)` and never changes afterwards. */
export interface Season {
  /** ms since the epoch */
  start: number;
  /** ms since the epoch, exclusive */
  end: number;
}

export type BoardPeriod = CalendarPeriod | Season;

export type SeasonState = 'upcoming' | 'live' | 'closed';

const DAY_MS = 24 * 60 * 60 * 1000;

export function isSeason(period: BoardPeriod): period is Season {
  return typeof period === 'object';
}

/**
 * The key of the period `atMs` falls in: `all` for all-time boards, the UTC date for daily
 * ones, the date of the week's Monday for weekly ones, `YYYY-MM` for monthly ones, and the
 * start instant (ISO) for a season, whose one period it is whenever the instant lies.
 */
export function periodKey(period: BoardPeriod, atMs: number): string {
  if (isSeason(period)) return new Date(period.start).toISOString();
  switch (period) {
    case 'all-time':
      return 'all';
    case 'daily':
      return isoDate(startOfUtcDay(atMs));
    case 'weekly':
      return isoDate(startOfUtcWeek(atMs));
    case 'monthly':
      return isoDate(startOfUtcMonth(atMs)).slice(0, 7);
  }
}

/** When the period holding `atMs` starts (ms since the epoch); undefined for all-time boards. */
export function periodStartsAt(period: BoardPeriod, atMs: number): number | undefined {
  if (isSeason(period)) return period.start;
  switch (period) {
    case 'all-time':
      return undefined;
    case 'daily':
      return startOfUtcDay(atMs);
    case 'weekly':
      return startOfUtcWeek(atMs);
    case 'monthly':
      return startOfUtcMonth(atMs);
  }
}

/** When the period holding `atMs` ends, exclusive (ms since the epoch); undefined for all-time boards. */
export function periodEndsAt(period: BoardPeriod, atMs: number): number | undefined {
  if (isSeason(period)) return period.end;
  switch (period) {
    case 'all-time':
      return undefined;
    case 'daily':
      return startOfUtcDay(atMs) + DAY_MS;
    case 'weekly':
      return startOfUtcWeek(atMs) + 7 * DAY_MS;
    case 'monthly': {
      const date = new Date(startOfUtcMonth(atMs));
      return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
    }
  }
}

/** When a calendar board next starts over after `atMs`; undefined for all-time boards and seasons (they never reset). */
export function nextResetAt(period: BoardPeriod, atMs: number): number | undefined {
  return isSeason(period) ? undefined : periodEndsAt(period, atMs);
}

/** Whether an action at `atMs` counts on a board of this period: always, except outside a season's dates. */
export function countsAt(period: BoardPeriod, atMs: number): boolean {
  return !isSeason(period) || (atMs >= period.start && atMs < period.end);
}

export function seasonState(season: Season, nowMs: number): SeasonState {
  return nowMs < season.start ? 'upcoming' : nowMs < season.end ? 'live' : 'closed';
}

/**
 * The keys of the `count` periods before the one holding `nowMs`, oldest first (none for
 * all-time boards and seasons, which have one period).
 */
export function pastPeriodKeys(period: BoardPeriod, nowMs: number, count: number): string[] {
  if (isSeason(period) || period === 'all-time') return [];
  const keys: string[] = [];
  let start = periodStartsAt(period, nowMs) as number;
  for (let i = 0; i < count; i += 1) {
    start = periodStartsAt(period, start - 1) as number;
    keys.unshift(periodKey(period, start));
  }
  return keys;
}

/**
 * The keys of the periods that ended after `afterMs` and at or before `atMs`, oldest first,
 * at most `limit` (the newest): for a calendar board each day, week or month that turned; for
 * a season its one key once it closed; none for all-time boards, which never end.
 */
export function endedPeriodKeys(period: BoardPeriod, afterMs: number, atMs: number, limit = 60): string[] {
  if (period === 'all-time') return [];
  if (isSeason(period)) return period.end > afterMs && period.end <= atMs ? [periodKey(period, period.start)] : [];
  const keys: string[] = [];
  // The current period's start is the end of the one before it.
  let end = periodStartsAt(period, atMs) as number;
  while (end > afterMs && keys.length < limit) {
    keys.unshift(periodKey(period, end - 1));
    end = periodStartsAt(period, end - 1) as number;
  }
  return keys;
}

/** Whether `key` is written as a key of this kind of period (not whether the board keeps it). */
export function isPeriodKeyOf(period: BoardPeriod, key: string): boolean {
  if (isSeason(period)) return key === periodKey(period, period.start);
  switch (period) {
    case 'all-time':
      return key === 'all';
    case 'daily':
    case 'weekly': {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(key)) return false;
      const at = Date.parse(`${key}T00:00:00.000Z`);
      return Number.isFinite(at) && periodKey(period, at) === key;
    }
    case 'monthly':
      return /^\d{4}-(0[1-9]|1[0-2])$/.test(key);
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

function startOfUtcMonth(atMs: number): number {
  const date = new Date(atMs);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
}

function isoDate(atMs: number): string {
  return new Date(atMs).toISOString().slice(0, 10);
}

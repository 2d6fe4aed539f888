import type { Aggregate, BoardDefinition } from '../platform/boards.js';
import { countsAt, pastPeriodKeys, periodKey, startOfUtcDay } from '../platform/periods.js';

/** A player's value on one board period, and which action last touched it. */
export interface Total {
  score: number;
  /** When `score` was reached (ms): the tie-break, earlier ranks higher. */
  reachedAt: number;
  /** The ledger sequence of the last action counted: a late or repeated event carries an older one. */
  version: number;
}

/**
 * The rule of each aggregate: the total after one more value, reached at `at`. `max` and
 * `min` keep the time the best value was first reached (an equal value later changes
 * nothing, an equal value reached earlier moves the time back); `sum` takes the latest
 * action's time and `last` the latest action's value. Actions arrive in time order, except
 * an approved held action, which counts as of its original time: these rules give the
 * total it would have given then. The version always advances to the action's.
 */
export function nextTotal(aggregate: Aggregate, current: Total | undefined, value: number, at: number, version: number): Total {
  if (current === undefined) return { score: value, reachedAt: at, version };
  switch (aggregate) {
    case 'sum':
      return { score: current.score + value, reachedAt: Math.max(current.reachedAt, at), version };
    case 'last':
      return at >= current.reachedAt ? { score: value, reachedAt: at, version } : { ...current, version };
    case 'max':
      return better(value, at, current, (a, b) => a > b) ? { score: value, reachedAt: at, version } : { ...current, version };
    case 'min':
      return better(value, at, current, (a, b) => a < b) ? { score: value, reachedAt: at, version } : { ...current, version };
  }
}

function better(value: number, at: number, current: Total, beats: (a: number, b: number) => boolean): boolean {
  return beats(value, current.score) || (value === current.score && at < current.reachedAt);
}

/** A board an action counts on, with the period it lands in and the value it brings. */
export interface CountedBoard {
  board: BoardDefinition;
  period: string;
  value: number;
}

/**
 * Which boards an action counts on: those whose metric it yields, in their current period (a
 * season's only while it runs). Every calendar period turns at 00:00 UTC and a season's key
 * never changes, so the boards' period keys are worked out once per UTC day, not per action
 * (this runs for every accepted action, inside the group commit).
 */
export class BoardCounter {
  private keys: { day: number; keys: readonly string[] } | undefined;

  constructor(private readonly boards: readonly BoardDefinition[]) {}

  counted(values: Readonly<Record<string, number>>, at: number): CountedBoard[] {
    const periods = this.periodsAt(at);
    const counted: CountedBoard[] = [];
    this.boards.forEach((board, i) => {
      const value = values[board.metric];
      if (value !== undefined && countsAt(board.period, at)) counted.push({ board, period: periods[i] as string, value });
    });
    return counted;
  }

  /**
   * The boards an action at `at` counts on as seen at `now`: like `counted`, but only in
   * periods a board still keeps at `now` (its current one and `retainPastPeriods` before
   * it). How an approved held action counts as of its original time.
   */
  countedAsOf(values: Readonly<Record<string, number>>, at: number, now: number): CountedBoard[] {
    return this.boards.flatMap((board) => {
      const value = values[board.metric];
      if (value === undefined || !countsAt(board.period, at)) return [];
      const period = periodKey(board.period, at);
      const kept = period === periodKey(board.period, now) || pastPeriodKeys(board.period, now, board.retainPastPeriods).includes(period);
      return kept ? [{ board, period, value }] : [];
    });
  }

  private periodsAt(at: number): readonly string[] {
    const day = startOfUtcDay(at);
    if (this.keys?.day !== day) this.keys = { day, keys: this.boards.map((board) => periodKey(board.period, at)) };
    return this.keys.keys;
  }
}

/** A ledger row as a refill reads it back. */
export interface LedgerValuesRow {
  id: number;
  userId: string;
  at: number;
  values: Readonly<Record<string, number>>;
}

/**
 * Computes a board period's totals from ledger rows in ledger order, as the actions would
 * have counted one by one: how a board added to the configuration is filled.
 */
export function totalsFromLedger(board: BoardDefinition, rows: Iterable<LedgerValuesRow>): Map<string, Total> {
  const totals = new Map<string, Total>();
  for (const row of rows) {
    const value = row.values[board.metric];
    if (value === undefined) continue;
    totals.set(row.userId, nextTotal(board.aggregate, totals.get(row.userId), value, row.at, row.id));
  }
  return totals;
}

/**
 * The metric values of a stored ledger row: its `metric_values` column, or — for a row
 * written before actions had metrics — its points.
 */
export function storedValues(points: number, metricValues: string | null): Record<string, number> {
  if (metricValues !== null) return JSON.parse(metricValues) as Record<string, number>;
  return points > 0 ? { points } : {};
}

/** What a board's totals were computed under: a change to any of these refills its current period. */
export function definitionSignature(board: BoardDefinition): string {
  const { metric, aggregate, period } = board;
  return JSON.stringify({ metric, aggregate, period });
}

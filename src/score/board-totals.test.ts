import { describe, expect, it } from 'vitest';
import { boardDefinition, type BoardConfig } from '../platform/boards.js';
import { BoardCounter, definitionSignature, nextTotal, storedValues, totalsFromLedger, type LedgerValuesRow } from './board-totals.js';

const board = (config: Partial<BoardConfig>) => boardDefinition({ id: 'b', ...config });

describe('nextTotal', () => {
  it('sums, and takes the time of the latest action', () => {
    expect(nextTotal('sum', undefined, 5, 10, 1)).toEqual({ score: 5, reachedAt: 10, version: 1 });
    expect(nextTotal('sum', { score: 5, reachedAt: 10, version: 1 }, 3, 20, 2)).toEqual({ score: 8, reachedAt: 20, version: 2 });
  });

  it('keeps the best value and when it was first reached (max, min); an equal value later changes only the version', () => {
    const held = { score: 50, reachedAt: 10, version: 1 };
    expect(nextTotal('max', held, 40, 20, 2)).toEqual({ score: 50, reachedAt: 10, version: 2 });
    expect(nextTotal('max', held, 50, 20, 2)).toEqual({ score: 50, reachedAt: 10, version: 2 });
    expect(nextTotal('max', held, 60, 20, 2)).toEqual({ score: 60, reachedAt: 20, version: 2 });
    expect(nextTotal('min', held, 60, 20, 2)).toEqual({ score: 50, reachedAt: 10, version: 2 });
    expect(nextTotal('min', held, 40, 20, 2)).toEqual({ score: 40, reachedAt: 20, version: 2 });
  });

  it('takes the latest value (last), also when it goes down', () => {
    expect(nextTotal('last', { score: 50, reachedAt: 10, version: 1 }, 7, 20, 2)).toEqual({ score: 7, reachedAt: 20, version: 2 });
  });
});

describe('nextTotal of an action older than the total (an approved held action)', () => {
  const total = { score: 50, reachedAt: 100, version: 1 };
  it('adds to a sum and keeps the later time', () => {
    expect(nextTotal('sum', total, 5, 40, 9)).toEqual({ score: 55, reachedAt: 100, version: 9 });
  });
  it('leaves a later value in place (last)', () => {
    expect(nextTotal('last', total, 7, 40, 9)).toEqual({ score: 50, reachedAt: 100, version: 9 });
  });
  it('takes a better value, and an equal one reached earlier moves the time back (max, min)', () => {
    expect(nextTotal('max', total, 60, 40, 9)).toEqual({ score: 60, reachedAt: 40, version: 9 });
    expect(nextTotal('max', total, 50, 40, 9)).toEqual({ score: 50, reachedAt: 40, version: 9 });
    expect(nextTotal('min', total, 50, 40, 9)).toEqual({ score: 50, reachedAt: 40, version: 9 });
    expect(nextTotal('min', total, 60, 40, 9)).toEqual({ score: 50, reachedAt: 100, version: 9 });
  });
});

describe('BoardCounter', () => {
  it("counts an action on the boards whose metric it yields, in each board's current period, a season only while it runs", () => {
    const at = Date.parse('2026-11-27T12:00:00Z');
    const boards = [
      board({ id: 'global' }),
      board({ id: 'daily', period: 'daily' }),
      board({ id: 'sprint', metric: 'sprint-ms', aggregate: 'min', order: 'asc', period: 'monthly' }),
      board({ id: 'winter', period: { start: '2026-12-01T00:00:00Z', end: '2027-03-01T00:00:00Z' } }),
    ];
    const counter = new BoardCounter(boards);
    expect(counter.counted({ points: 10, 'sprint-ms': 4000 }, at).map(({ board, period, value }) => [board.id, period, value])).toEqual([
      ['global', 'all', 10],
      ['daily', '2026-11-27', 10],
      ['sprint', '2026-11', 4000],
    ]);
    expect(counter.counted({ points: 1 }, Date.parse('2026-12-24T00:00:00Z')).map(({ board }) => board.id)).toEqual(['global', 'daily', 'winter']);
    expect(counter.counted({ kills: 1 }, at)).toEqual([]);
    // Back on the first day (a late action): the keys follow the instant, not the last day asked.
    expect(counter.counted({ points: 1 }, at).map(({ period }) => period)).toEqual(['all', '2026-11-27']);
  });
});

describe('BoardCounter.countedAsOf', () => {
  it('counts an old action in its own period, only where the board still keeps that period', () => {
    const boards = [board({ id: 'global' }), board({ id: 'daily', period: 'daily', retainPastPeriods: 1 }), board({ id: 'weekly', period: 'weekly' })];
    const counter = new BoardCounter(boards);
    const at = Date.parse('2026-11-26T23:00:00Z'); // a Thursday
    const counted = (now: string) => counter.countedAsOf({ points: 3 }, at, Date.parse(now)).map(({ board, period }) => `${board.id}:${period}`);
    expect(counted('2026-11-27T01:00:00Z')).toEqual(['global:all', 'daily:2026-11-26', 'weekly:2026-11-23']);
    // Two days on the daily board no longer keeps the 26th; two Mondays on, the week is gone too.
    expect(counted('2026-11-28T01:00:00Z')).toEqual(['global:all', 'weekly:2026-11-23']);
    expect(counted('2026-12-07T01:00:00Z')).toEqual(['global:all']);
  });
});

describe('totalsFromLedger', () => {
  it('gives what the actions gave one by one, and ignores rows without the metric', () => {
    const rows: LedgerValuesRow[] = [
      { id: 1, userId: 'a', at: 10, values: { points: 1, 'sprint-ms': 5000 } },
      { id: 2, userId: 'b', at: 11, values: { points: 1 } },
      { id: 3, userId: 'a', at: 12, values: { points: 1, 'sprint-ms': 4000 } },
      { id: 4, userId: 'a', at: 13, values: { points: 1, 'sprint-ms': 4500 } },
    ];
    expect(totalsFromLedger(board({ metric: 'sprint-ms', aggregate: 'min' }), rows)).toEqual(new Map([['a', { score: 4000, reachedAt: 12, version: 4 }]]));
    expect(totalsFromLedger(board({}), rows)).toEqual(
      new Map([
        ['a', { score: 3, reachedAt: 13, version: 4 }],
        ['b', { score: 1, reachedAt: 11, version: 2 }],
      ]),
    );
  });

  it('reads rows of the first release as points only', () => {
    expect(storedValues(50, null)).toEqual({ points: 50 });
    expect(storedValues(0, '{"match-score":7}')).toEqual({ 'match-score': 7 });
  });
});

describe('definitionSignature', () => {
  it('changes with metric, aggregate and period, not with order or retained periods', () => {
    const base = definitionSignature(board({ period: 'daily' }));
    expect(definitionSignature(board({ period: 'daily', order: 'asc', retainPastPeriods: 5 }))).toBe(base);
    expect(definitionSignature(board({ period: 'weekly' }))).not.toBe(base);
    expect(definitionSignature(board({ period: 'daily', aggregate: 'max' }))).not.toBe(base);
    expect(definitionSignature(board({ period: 'daily', metric: 'kills' }))).not.toBe(base);
  });
});

import { describe, expect, it } from 'vitest';
import { boardDefinition, DEFAULT_BOARDS } from '../platform/boards.js';
import { periodKey } from '../platform/periods.js';
import type { ScoreUpdated } from '../platform/events.js';
import { InProcessEventBus } from '../platform/in-process-event-bus.js';
import type { BanList } from '../moderation/index.js';
import { InMemoryBoardStore } from './in-memory-board-store.js';
import { LeaderboardService, movedRanges } from './leaderboard-service.js';

const DAY = 24 * 60 * 60 * 1000;
const T0 = Date.UTC(2026, 10, 23, 12); // a Monday

const noBans: BanList = { isBanned: async () => false, list: async () => [], ban: async () => undefined, unban: async () => undefined };

let version = 0;
function event(userId: string, at: number, score: number): ScoreUpdated {
  version += 1;
  return {
    type: 'score.updated',
    actionId: String(version),
    userId,
    points: 1,
    at,
    totals: DEFAULT_BOARDS.map((board) => ({ board: board.id, period: periodKey(board.period, at), score, reachedAt: at, version })),
  };
}

describe('LeaderboardService periods', () => {
  it('keeps the current period and retainPastPeriods before it, dropping older ones as days pass', async () => {
    const clock = { now: T0 };
    const service = new LeaderboardService({
      boards: DEFAULT_BOARDS,
      store: new InMemoryBoardStore(),
      totals: { totals: async () => [], totalOf: async () => undefined, top: async () => [] },
      directory: { usernames: async (ids) => new Map(ids.map((id) => [id, id])) },
      bans: noBans,
      bus: new InProcessEventBus(),
      now: () => clock.now,
    });
    await service.start();
    for (let day = 0; day < 20; day += 1) {
      clock.now = T0 + day * DAY;
      await service.apply(event('u1', clock.now, day + 1));
      expect(service.heldPeriods('daily').length).toBeLessThanOrEqual(2);
      expect(service.heldPeriods('weekly').length).toBeLessThanOrEqual(2);
    }
    expect(service.heldPeriods('daily')).toEqual(['2026-12-11', '2026-12-12']);
    expect(service.heldPeriods('fastest-sprint')).toEqual(['2026-11-09', '2026-11-16', '2026-11-23', '2026-11-30', '2026-12-07']);
    expect(service.heldPeriods('monthly')).toEqual(['2026-11', '2026-12']);
    expect(service.heldPeriods('global')).toEqual(['all']);

    // A late event for yesterday still lands; one for a dropped day is ignored (it stays in the ledger).
    await service.apply(event('u2', clock.now - DAY, 5));
    await service.apply(event('u3', clock.now - 5 * DAY, 5));
    expect(service.heldPeriods('daily')).toEqual(['2026-12-11', '2026-12-12']);
    service.stop();
  });
});

describe('LeaderboardService rebuild', () => {
  it('keeps an event applied while a lost board is being rebuilt from the ledger', async () => {
    const store = new InMemoryBoardStore();
    const index = store.index('global', 'all', 'desc');
    const replace = index.replace.bind(index);
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let replacing!: () => void;
    const started = new Promise<void>((resolve) => (replacing = resolve));
    // The rebuild reads the ledger, then takes its time loading (as a million rows into Redis would).
    index.replace = async (rows) => {
      const read = [...rows];
      replacing();
      await released;
      await replace(read);
    };
    const service = new LeaderboardService({
      boards: [boardDefinition({ id: 'global', period: 'all-time' })],
      store,
      totals: { totals: async () => [['u1', 5, 1, 1] as const], totalOf: async () => undefined, top: async () => [] },
      directory: { usernames: async (ids) => new Map(ids.map((id) => [id, id])) },
      bans: noBans,
      bus: new InProcessEventBus(),
      now: () => T0,
    });
    const starting = service.start();
    await started;
    await service.apply({ type: 'score.updated', actionId: 'a2', userId: 'u2', points: 7, at: T0, totals: [{ board: 'global', period: 'all', score: 7, reachedAt: T0, version: 2 }] });
    release();
    await starting;
    expect((await service.page('global', 0, 10))?.entries.map((entry) => [entry.userId, entry.score])).toEqual([
      ['u2', 7],
      ['u1', 5],
    ]);
  });
});

describe('movedRanges', () => {
  it('bounds the ranks each change moved, merged', () => {
    // 9 → 3 moves 3…9; a newcomer at 5 moves 5 and everything below; one who left 12 moves 12 on.
    expect(movedRanges([9], [3])).toEqual([[3, 9]]);
    expect(movedRanges([null], [5])).toEqual([[5, null]]);
    expect(movedRanges([12], [null])).toEqual([[12, null]]);
    expect(movedRanges([4, 20, 30], [4, 25, 40])).toEqual([
      [4, 4],
      [20, 25],
      [30, 40],
    ]);
    expect(movedRanges([1, 3, 2], [2, 5, 9])).toEqual([[1, 9]]);
    expect(movedRanges([null, null], [null, null])).toEqual([]);
    // A rank the store could not tell (0) moves them all.
    expect(movedRanges([0, 5], [3, 4])).toEqual([[1, null]]);
    const many = Array.from({ length: 40 }, (_, i) => i * 10 + 1);
    expect(movedRanges(many, many)).toEqual([[1, 391]]);
  });
});

describe('LeaderboardService ranks.moved', () => {
  it('publishes the ranks a flush moved: a climb, a newcomer, a ban, a new period', async () => {
    const clock = { now: T0 };
    const bus = new InProcessEventBus();
    const moved: unknown[] = [];
    bus.subscribe('ranks.moved', (event) => void (event.board === 'global' && moved.push(event.ranges)));
    const service = new LeaderboardService({
      boards: [boardDefinition({ id: 'global', period: 'all-time' })],
      store: new InMemoryBoardStore(),
      totals: { totals: async () => [], totalOf: async () => undefined, top: async () => [] },
      directory: { usernames: async (ids) => new Map(ids.map((id) => [id, id])) },
      bans: noBans,
      bus,
      now: () => clock.now,
    });
    await service.start();
    const score = (userId: string, value: number) => {
      version += 1;
      return service.apply({ type: 'score.updated', actionId: String(version), userId, points: 1, at: clock.now, totals: [{ board: 'global', period: 'all', score: value, reachedAt: clock.now, version }] });
    };
    for (const [userId, value] of [['a', 50], ['b', 40], ['c', 30], ['d', 20]] as const) await score(userId, value);
    await service.flush();
    moved.length = 0;

    await score('d', 45); // 4 → 2
    await service.flush();
    await score('e', 35); // a newcomer at 4
    await service.flush();
    await service.removeUser('a'); // 1 leaves
    expect(moved).toEqual([[[2, 4]], [[4, null]], [[1, null]]]);
    service.stop();
  });
});

describe('LeaderboardService when the store fails a question', () => {
  it('goes on applying a player whose earlier rank could not be read (a store away for a moment)', async () => {
    const store = new InMemoryBoardStore();
    let failRankOf = true;
    const flaky = new Proxy(store, {
      get(target, property, receiver) {
        if (property !== 'index') return Reflect.get(target, property, receiver) as unknown;
        return (...args: Parameters<InMemoryBoardStore['index']>) => {
          const index = target.index(...args);
          return new Proxy(index, {
            get(inner, name, innerReceiver) {
              if (name === 'rankOf' && failRankOf) return async () => Promise.reject(new Error('store away'));
              const value = Reflect.get(inner, name, innerReceiver) as unknown;
              return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(inner) : value;
            },
          });
        };
      },
    });
    const service = new LeaderboardService({
      boards: [boardDefinition({ id: 'global', period: 'all-time' })],
      store: flaky,
      totals: { totals: async () => [], totalOf: async () => undefined, top: async () => [] },
      directory: { usernames: async (ids) => new Map(ids.map((id) => [id, id])) },
      bans: noBans,
      bus: new InProcessEventBus(),
      now: () => T0,
    });
    await service.start();
    const score = (value: number) => {
      version += 1;
      return service.apply({ type: 'score.updated', actionId: String(version), userId: 'u1', points: 1, at: T0, totals: [{ board: 'global', period: 'all', score: value, reachedAt: T0, version }] });
    };
    await score(5);
    failRankOf = false;
    await service.flush();
    await score(9);
    await service.flush();
    expect((await service.page('global', 0, 10))?.entries.map((entry) => entry.score)).toEqual([9]);
    service.stop();
  });
});

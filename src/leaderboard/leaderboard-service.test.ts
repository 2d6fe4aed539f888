import { describe, expect, it } from 'vitest';
import { DEFAULT_BOARDS, periodKey } from '../platform/boards.js';
import type { ScoreUpdated } from '../platform/events.js';
import { InProcessEventBus } from '../platform/in-process-event-bus.js';
import type { BanList } from '../score/ban-list.js';
import { InMemoryBoardStore } from './in-memory-board-store.js';
import { LeaderboardService } from './leaderboard-service.js';

const DAY = 24 * 60 * 60 * 1000;
const T0 = Date.UTC(2026, 10, 23, 12); // a Monday

const noBans: BanList = { isBanned: async () => false, list: async () => [], ban: async () => undefined, unban: async () => undefined };

function event(userId: string, at: number, score: number): ScoreUpdated {
  return {
    type: 'score.updated',
    actionId: `${userId}-${at}`,
    userId,
    points: 1,
    at,
    totals: DEFAULT_BOARDS.map((board) => ({ board: board.id, period: periodKey(board.period, at), score, reachedAt: at })),
  };
}

describe('LeaderboardService periods', () => {
  it('keeps the current period and retainPastPeriods before it, dropping older ones as days pass', async () => {
    const clock = { now: T0 };
    const service = new LeaderboardService({
      boards: DEFAULT_BOARDS,
      store: new InMemoryBoardStore(),
      totals: { totals: async () => [], totalOf: async () => undefined },
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
    expect(service.heldPeriods('global')).toEqual(['all']);

    // A late event for yesterday still lands; one for a dropped day is ignored (it stays in the ledger).
    await service.apply(event('u2', clock.now - DAY, 5));
    await service.apply(event('u3', clock.now - 5 * DAY, 5));
    expect(service.heldPeriods('daily')).toEqual(['2026-12-11', '2026-12-12']);
    service.stop();
  });
});

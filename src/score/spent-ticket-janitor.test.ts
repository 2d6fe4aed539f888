import { describe, expect, it, vi } from 'vitest';
import { ActionCatalog, type ActionType } from './catalog.js';
import { SpentTicketJanitor } from './spent-ticket-janitor.js';

const NOW = Date.UTC(2026, 11, 1);
const click: ActionType = { type: 'click', points: 1, mode: 'instant', cooldownMs: 0 };
const quest: ActionType = { type: 'quest', points: 50, mode: 'timed', minDurationMs: 2_000, maxDurationMs: 600_000, cooldownMs: 0 };
const raid: ActionType = { type: 'raid', points: 500, mode: 'timed', minDurationMs: 60_000, maxDurationMs: 3_600_000, cooldownMs: 0 };

describe('SpentTicketJanitor', () => {
  it('forgets records older than the longest ticket life plus a margin, batch after batch', async () => {
    let left = 12;
    const forgetSpentTickets = vi.fn(async (_usedBefore: number, limit: number) => {
      const deleted = Math.min(left, limit);
      left -= deleted;
      return deleted;
    });
    const janitor = new SpentTicketJanitor({ forgetSpentTickets }, new ActionCatalog([click, quest, raid]), { now: () => NOW, batchSize: 5, marginMs: 60_000 });
    expect(await janitor.sweep()).toBe(12);
    expect(forgetSpentTickets.mock.calls).toEqual([
      [NOW - 3_600_000 - 60_000, 5],
      [NOW - 3_600_000 - 60_000, 5],
      [NOW - 3_600_000 - 60_000, 5],
    ]);
  });

  it('forgets nothing while a timed type has no maxDurationMs (its tickets never expire), or there is none', async () => {
    const forgetSpentTickets = vi.fn(async () => 0);
    const { maxDurationMs: _unbounded, ...endless } = raid;
    for (const actions of [[click, quest, endless], [click]]) {
      expect(await new SpentTicketJanitor({ forgetSpentTickets }, new ActionCatalog(actions)).sweep()).toBe(0);
    }
    expect(forgetSpentTickets).not.toHaveBeenCalled();
  });
});

import { describe, expect, it } from 'vitest';
import type { ActionToRecord, Ledger, Outbox, RecordOutcome } from './ledger.js';

const T0 = Date.UTC(2026, 10, 27, 12, 0, 0); // a Friday
const DAY = 24 * 60 * 60 * 1000;

/** The behaviour every `Ledger` + `Outbox` adapter must share. `factory` gives a fresh, empty one. */
export function describeLedger(name: string, factory: () => Promise<Ledger & Outbox> | (Ledger & Outbox)): void {
  let keys = 0;
  const click = (userId: string, overrides: Partial<ActionToRecord> = {}): ActionToRecord => ({
    userId,
    type: 'click',
    points: 1,
    at: T0,
    idempotencyKey: `key-${++keys}-contract`,
    cooldownMs: 0,
    ...overrides,
  });
  const accepted = (outcome: RecordOutcome | undefined) => {
    if (outcome?.status !== 'accepted') throw new Error(`expected accepted, got ${JSON.stringify(outcome)}`);
    return outcome;
  };

  describe(`Ledger contract: ${name}`, () => {
    it('records an action with monotonic ids and the user totals of every board', async () => {
      const ledger = await factory();
      const [first, second] = await ledger.record([click('u1', { points: 3 }), click('u1', { points: 4, at: T0 + 1 })]);
      expect(accepted(first).receipt).toEqual({
        action: { id: expect.any(String) as string, type: 'click', points: 3, at: new Date(T0).toISOString() },
        totals: { global: 3, daily: 3, weekly: 3 },
      });
      expect(accepted(second).receipt.totals).toEqual({ global: 7, daily: 7, weekly: 7 });
      expect(Number(accepted(second).receipt.action.id)).toBeGreaterThan(Number(accepted(first).receipt.action.id));
    });

    it('starts the daily total over at 00:00 UTC and the weekly one on Monday, never the global one', async () => {
      const ledger = await factory();
      await ledger.record([click('u1', { points: 5 })]);
      const [saturday] = await ledger.record([click('u1', { points: 1, at: T0 + DAY })]);
      expect(accepted(saturday).receipt.totals).toEqual({ global: 6, daily: 1, weekly: 6 });
      const [monday] = await ledger.record([click('u1', { points: 1, at: T0 + 3 * DAY })]);
      expect(accepted(monday).receipt.totals).toEqual({ global: 7, daily: 1, weekly: 1 });
    });

    it('replays a repeated key of the same user, inside a batch or later, counting nothing', async () => {
      const ledger = await factory();
      const action = click('u1');
      const [first, repeatInBatch] = await ledger.record([action, { ...action, at: T0 + 5 }]);
      expect(repeatInBatch).toEqual({ status: 'replayed', receipt: accepted(first).receipt });
      const [later] = await ledger.record([{ ...action, at: T0 + 10 }]);
      expect(later).toEqual({ status: 'replayed', receipt: accepted(first).receipt });
      expect(await ledger.findReceipt('u1', action.idempotencyKey)).toEqual(accepted(first).receipt);
      expect(await ledger.findReceipt('u2', action.idempotencyKey)).toBeUndefined();
      const [otherUser] = await ledger.record([{ ...action, userId: 'u2' }]);
      expect(accepted(otherUser).receipt.totals.global).toBe(1);
    });

    it('spends a ticket once', async () => {
      const ledger = await factory();
      const quest = (n: number) => click('u1', { type: 'quest', points: 50, ticketId: 'ticket-1', at: T0 + n });
      const [first, second] = await ledger.record([quest(0), quest(1)]);
      expect(first?.status).toBe('accepted');
      expect(second).toEqual({ status: 'rejected', code: 'ticket_used' });
      expect(await ledger.record([quest(2)])).toEqual([{ status: 'rejected', code: 'ticket_used' }]);
    });

    it('forgets the records of tickets spent before a time, a batch at a time, and nothing newer', async () => {
      const ledger = await factory();
      const quest = (ticketId: string, at: number) => click('u1', { type: 'quest', points: 50, ticketId, at });
      await ledger.record([quest('t-a', T0), quest('t-b', T0 + 1_000), quest('t-c', T0 + 2_000), quest('t-d', T0 + 3_000)]);

      expect(await ledger.forgetSpentTickets(T0, 10)).toBe(0); // strictly before
      expect(await ledger.forgetSpentTickets(T0 + 2_500, 2)).toBe(2);
      expect(await ledger.forgetSpentTickets(T0 + 2_500, 2)).toBe(1);
      expect(await ledger.forgetSpentTickets(T0 + 2_500, 2)).toBe(0);
      // t-d is still spent; a forgotten ticket is known no more (the service refuses it as expired first).
      expect(await ledger.record([quest('t-d', T0 + 4_000)])).toEqual([{ status: 'rejected', code: 'ticket_used' }]);
      expect((await ledger.record([quest('t-a', T0 + 4_000)]))[0]?.status).toBe('accepted');
    });

    it('holds cooldowns per user and type, telling how long is left', async () => {
      const ledger = await factory();
      const spin = (userId: string, at: number) => click(userId, { type: 'spin', cooldownMs: 10_000, at });
      const outcomes = await ledger.record([spin('u1', T0), spin('u1', T0 + 4_000), spin('u2', T0 + 4_000), click('u1', { at: T0 + 4_000 })]);
      expect(outcomes.map((outcome) => outcome.status)).toEqual(['accepted', 'rejected', 'accepted', 'accepted']);
      expect(outcomes[1]).toEqual({ status: 'rejected', code: 'cooldown', retryAfterMs: 6_000 });
      expect((await ledger.record([spin('u1', T0 + 10_000)]))[0]?.status).toBe('accepted');
    });

    it('holds daily caps until 00:00 UTC', async () => {
      const ledger = await factory();
      const bonus = (at: number) => click('u1', { type: 'daily-bonus', points: 100, dailyCap: 2, at });
      const outcomes = await ledger.record([bonus(T0), bonus(T0 + 1), bonus(T0 + 2)]);
      expect(outcomes.map((outcome) => outcome.status)).toEqual(['accepted', 'accepted', 'rejected']);
      expect(outcomes[2]).toEqual({ status: 'rejected', code: 'daily_cap', retryAfterMs: 12 * 60 * 60 * 1000 - 2 });
      expect((await ledger.record([bonus(T0 + DAY / 2)]))[0]?.status).toBe('accepted');
    });

    it('commits every accepted action with its outbox event, readable in order until acknowledged', async () => {
      const ledger = await factory();
      const outcomes = await ledger.record([click('u1'), click('u2', { points: 2 }), click('u1', { at: T0 + 1 })]);
      const committed = outcomes.map((outcome) => accepted(outcome).committed);
      expect(committed[1]?.event).toEqual({
        type: 'score.updated',
        actionId: accepted(outcomes[1]).receipt.action.id,
        userId: 'u2',
        points: 2,
        at: T0,
        totals: [
          { board: 'global', period: 'all', score: 2, reachedAt: T0 },
          { board: 'daily', period: '2026-11-27', score: 2, reachedAt: T0 },
          { board: 'weekly', period: '2026-11-23', score: 2, reachedAt: T0 },
        ],
      });
      expect(await ledger.pending(10)).toEqual(committed);
      expect(await ledger.pending(2)).toEqual(committed.slice(0, 2));
      await ledger.acknowledge(committed[1]?.outboxId ?? 0);
      expect(await ledger.pending(10)).toEqual(committed.slice(2));
    });

    it('never reuses an outbox id, even after the outbox was emptied', async () => {
      const ledger = await factory();
      const [first] = await ledger.record([click('u1')]);
      const firstId = accepted(first).committed.outboxId;
      await ledger.acknowledge(firstId);
      const [second] = await ledger.record([click('u1', { at: T0 + 1 })]);
      expect(accepted(second).committed.outboxId).toBeGreaterThan(firstId);
    });

    it('writes no event and no total for a rejected or replayed action', async () => {
      const ledger = await factory();
      const action = click('u1', { type: 'quest', ticketId: 't-9' });
      await ledger.record([action]);
      const before = await ledger.pending(10);
      await ledger.record([action, click('u1', { type: 'quest', ticketId: 't-9' })]);
      expect(await ledger.pending(10)).toEqual(before);
      expect((await ledger.findReceipt('u1', action.idempotencyKey))?.totals.global).toBe(1);
    });
  });
}

import { describe, expect, it } from 'vitest';
import { boardDefinition, type BoardConfig, type BoardDefinition } from '../platform/boards.js';
import { definitionSignature } from './board-totals.js';
import type { ActionToRecord, Ledger, Outbox, RecordOutcome } from './ledger.js';
import type { ReviewQueue } from '../moderation/index.js';

const T0 = Date.UTC(2026, 10, 27, 12, 0, 0); // a Friday
const DAY = 24 * 60 * 60 * 1000;

/** The boards of the contract: the three of the first release, and one of each v2 kind. */
export const CONTRACT_BOARDS: readonly BoardDefinition[] = (
  [
    { id: 'global', period: 'all-time' },
    { id: 'daily', period: 'daily' },
    { id: 'weekly', period: 'weekly' },
    { id: 'fastest', metric: 'sprint-ms', aggregate: 'min', order: 'asc', period: 'weekly' },
    { id: 'best', metric: 'match-score', aggregate: 'max' },
    { id: 'rating', metric: 'rating', aggregate: 'last' },
    { id: 'winter', metric: 'kills', period: { start: '2026-12-01T00:00:00Z', end: '2027-03-01T00:00:00Z' } },
  ] satisfies BoardConfig[]
).map(boardDefinition);

/**
 * The behaviour every `Ledger` + `Outbox` + `ReviewQueue` adapter must share. `factory` gives a fresh,
 * empty one that keeps the totals of `boards`.
 */
export function describeLedger(
  name: string,
  factory: (boards: readonly BoardDefinition[]) => Promise<Ledger & Outbox & ReviewQueue> | (Ledger & Outbox & ReviewQueue),
): void {
  let keys = 0;
  const click = (userId: string, overrides: Partial<ActionToRecord> = {}): ActionToRecord => {
    const points = overrides.points ?? 1;
    return {
      userId,
      type: 'click',
      points,
      values: points > 0 ? { points } : {},
      at: T0,
      idempotencyKey: `key-${++keys}-contract`,
      cooldownMs: 0,
      ...overrides,
    };
  };
  const ledgerOf = () => factory(CONTRACT_BOARDS);
  const accepted = (outcome: RecordOutcome | undefined) => {
    if (outcome?.status !== 'accepted') throw new Error(`expected accepted, got ${JSON.stringify(outcome)}`);
    return outcome;
  };

  describe(`Ledger contract: ${name}`, () => {
    it('records an action with monotonic ids and the user totals of every board', async () => {
      const ledger = await ledgerOf();
      const [first, second] = await ledger.record([click('u1', { points: 3 }), click('u1', { points: 4, at: T0 + 1 })]);
      expect(accepted(first).receipt).toEqual({
        action: { id: expect.any(String) as string, type: 'click', points: 3, values: { points: 3 }, at: new Date(T0).toISOString() },
        totals: { global: 3, daily: 3, weekly: 3 },
      });
      expect(accepted(second).receipt.totals).toEqual({ global: 7, daily: 7, weekly: 7 });
      expect(Number(accepted(second).receipt.action.id)).toBeGreaterThan(Number(accepted(first).receipt.action.id));
    });

    it('starts the daily total over at 00:00 UTC and the weekly one on Monday, never the global one', async () => {
      const ledger = await ledgerOf();
      await ledger.record([click('u1', { points: 5 })]);
      const [saturday] = await ledger.record([click('u1', { points: 1, at: T0 + DAY })]);
      expect(accepted(saturday).receipt.totals).toEqual({ global: 6, daily: 1, weekly: 6 });
      const [monday] = await ledger.record([click('u1', { points: 1, at: T0 + 3 * DAY })]);
      expect(accepted(monday).receipt.totals).toEqual({ global: 7, daily: 1, weekly: 1 });
    });

    it('replays a repeated key of the same user, inside a batch or later, counting nothing', async () => {
      const ledger = await ledgerOf();
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
      const ledger = await ledgerOf();
      const quest = (n: number) => click('u1', { type: 'quest', points: 50, ticketId: 'ticket-1', at: T0 + n });
      const [first, second] = await ledger.record([quest(0), quest(1)]);
      expect(first?.status).toBe('accepted');
      expect(second).toEqual({ status: 'rejected', code: 'ticket_used' });
      expect(await ledger.record([quest(2)])).toEqual([{ status: 'rejected', code: 'ticket_used' }]);
    });

    it('forgets the records of tickets spent before a time, a batch at a time, and nothing newer', async () => {
      const ledger = await ledgerOf();
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
      const ledger = await ledgerOf();
      const spin = (userId: string, at: number) => click(userId, { type: 'spin', cooldownMs: 10_000, at });
      const outcomes = await ledger.record([spin('u1', T0), spin('u1', T0 + 4_000), spin('u2', T0 + 4_000), click('u1', { at: T0 + 4_000 })]);
      expect(outcomes.map((outcome) => outcome.status)).toEqual(['accepted', 'rejected', 'accepted', 'accepted']);
      expect(outcomes[1]).toEqual({ status: 'rejected', code: 'cooldown', retryAfterMs: 6_000 });
      expect((await ledger.record([spin('u1', T0 + 10_000)]))[0]?.status).toBe('accepted');
    });

    it('holds daily caps until 00:00 UTC', async () => {
      const ledger = await ledgerOf();
      const bonus = (at: number) => click('u1', { type: 'daily-bonus', points: 100, dailyCap: 2, at });
      const outcomes = await ledger.record([bonus(T0), bonus(T0 + 1), bonus(T0 + 2)]);
      expect(outcomes.map((outcome) => outcome.status)).toEqual(['accepted', 'accepted', 'rejected']);
      expect(outcomes[2]).toEqual({ status: 'rejected', code: 'daily_cap', retryAfterMs: 12 * 60 * 60 * 1000 - 2 });
      expect((await ledger.record([bonus(T0 + DAY / 2)]))[0]?.status).toBe('accepted');
    });

    it('commits every accepted action with its outbox event, readable in order until acknowledged', async () => {
      const ledger = await ledgerOf();
      const outcomes = await ledger.record([click('u1'), click('u2', { points: 2 }), click('u1', { at: T0 + 1 })]);
      const committed = outcomes.map((outcome) => accepted(outcome).committed);
      const version = Number(accepted(outcomes[1]).receipt.action.id);
      expect(committed[1]?.event).toEqual({
        type: 'score.updated',
        actionId: String(version),
        userId: 'u2',
        points: 2,
        values: { points: 2 },
        at: T0,
        totals: [
          { board: 'global', period: 'all', score: 2, reachedAt: T0, version },
          { board: 'daily', period: '2026-11-27', score: 2, reachedAt: T0, version },
          { board: 'weekly', period: '2026-11-23', score: 2, reachedAt: T0, version },
        ],
      });
      expect(await ledger.pending(10)).toEqual(committed);
      expect(await ledger.pending(2)).toEqual(committed.slice(0, 2));
      await ledger.acknowledge(committed[1]?.outboxId ?? 0);
      expect(await ledger.pending(10)).toEqual(committed.slice(2));
    });

    it('never reuses an outbox id, even after the outbox was emptied', async () => {
      const ledger = await ledgerOf();
      const [first] = await ledger.record([click('u1')]);
      const firstId = accepted(first).committed.outboxId;
      await ledger.acknowledge(firstId);
      const [second] = await ledger.record([click('u1', { at: T0 + 1 })]);
      expect(accepted(second).committed.outboxId).toBeGreaterThan(firstId);
    });

    it('writes no event and no total for a rejected or replayed action', async () => {
      const ledger = await ledgerOf();
      const action = click('u1', { type: 'quest', ticketId: 't-9' });
      await ledger.record([action]);
      const before = await ledger.pending(10);
      await ledger.record([action, click('u1', { type: 'quest', ticketId: 't-9' })]);
      expect(await ledger.pending(10)).toEqual(before);
      expect((await ledger.findReceipt('u1', action.idempotencyKey))?.totals.global).toBe(1);
    });

    it('counts each metric on the boards that rank it, by their aggregate: sum, min, max and last', async () => {
      const ledger = await ledgerOf();
      const act = (values: Record<string, number>, at: number) => click('u1', { points: values.points ?? 0, values, at });
      const outcomes = await ledger.record([
        act({ points: 10, 'sprint-ms': 5_000 }, T0),
        act({ 'match-score': 300, rating: 1500 }, T0 + 1),
        act({ points: 10, 'sprint-ms': 4_200 }, T0 + 2),
        act({ 'match-score': 200, rating: 1400 }, T0 + 3),
        act({ points: 10, 'sprint-ms': 4_200 }, T0 + 4),
        act({ 'match-score': 300, rating: 1450 }, T0 + 5),
      ]);
      expect(outcomes.map((outcome) => accepted(outcome).receipt.totals)).toEqual([
        { global: 10, daily: 10, weekly: 10, fastest: 5_000 },
        { best: 300, rating: 1500 },
        { global: 20, daily: 20, weekly: 20, fastest: 4_200 },
        { best: 300, rating: 1400 },
        { global: 30, daily: 30, weekly: 30, fastest: 4_200 },
        { best: 300, rating: 1450 },
      ]);
      const events = outcomes.map((outcome) => accepted(outcome).committed.event);
      // An equal best keeps the time it was first reached; every total carries its action's version.
      expect(events[4]?.totals.find((total) => total.board === 'fastest')).toEqual({
        board: 'fastest',
        period: '2026-11-23',
        score: 4_200,
        reachedAt: T0 + 2,
        version: Number(accepted(outcomes[4]).receipt.action.id),
      });
      expect(events[5]?.totals.find((total) => total.board === 'best')).toMatchObject({ score: 300, reachedAt: T0 + 1 });
      expect(events[3]?.totals.find((total) => total.board === 'rating')).toMatchObject({ score: 1400, reachedAt: T0 + 3 });
      expect(accepted(outcomes[1]).receipt.action.values).toEqual({ 'match-score': 300, rating: 1500 });
    });

    it('counts on a season only between its start and its end', async () => {
      const ledger = await ledgerOf();
      const kill = (at: number) => click('u1', { points: 0, values: { kills: 1 }, at });
      const outcomes = await ledger.record([
        kill(Date.parse('2026-11-30T23:59:59.999Z')),
        kill(Date.parse('2026-12-01T00:00:00Z')),
        kill(Date.parse('2027-02-28T23:00:00Z')),
        kill(Date.parse('2027-03-01T00:00:00Z')),
      ]);
      expect(outcomes.map((outcome) => accepted(outcome).receipt.totals)).toEqual([{}, { winter: 1 }, { winter: 2 }, {}]);
      expect(accepted(outcomes[1]).committed.event.totals).toEqual([
        { board: 'winter', period: '2026-12-01T00:00:00.000Z', score: 1, reachedAt: Date.parse('2026-12-01T00:00:00Z'), version: Number(accepted(outcomes[1]).receipt.action.id) },
      ]);
    });

    it('fills a board period from its history exactly as the actions counted one by one, and remembers the definition it filled', async () => {
      const ledger = await ledgerOf();
      const run = (userId: string, ms: number, at: number) => click(userId, { points: 10, values: { points: 10, 'sprint-ms': ms }, at });
      const outcomes = await ledger.record([
        run('a', 5_000, T0),
        run('b', 4_800, T0 + 1),
        run('a', 4_700, T0 + 2),
        run('a', 4_900, T0 + 3),
        // Last week: outside the period filled below.
        run('c', 1_000, T0 - 7 * DAY),
      ]);
      const live = new Map(outcomes.flatMap((outcome) => accepted(outcome).committed.event.totals.filter((t) => t.board === 'fastest' && t.period === '2026-11-23').map((t) => [accepted(outcome).receipt.action.id, t])));
      expect(await ledger.filledBoards()).toEqual(new Map());

      // The same board, filled from the ledger under another id: the values the actions gave.
      const fastest = CONTRACT_BOARDS.find((board) => board.id === 'fastest') as BoardDefinition;
      const monday = Date.parse('2026-11-23T00:00:00Z');
      const read = await ledger.refillBoard(fastest, '2026-11-23', { from: monday, to: monday + 7 * DAY });
      expect(read).toBe(4);
      expect(await ledger.filledBoards()).toEqual(new Map([['fastest', definitionSignature(fastest)]]));
      // What the next action sees is the filled total: a's best stays 4,700, reached at T0 + 2.
      const [after] = await ledger.record([run('a', 4_750, T0 + 10)]);
      expect(accepted(after).committed.event.totals.find((t) => t.board === 'fastest')).toMatchObject({ score: 4_700, reachedAt: T0 + 2 });
      expect(live.size).toBe(4);

      // A board new to the configuration, filled from all time: sums of points, the last action's time.
      const points: BoardDefinition = { ...(CONTRACT_BOARDS[0] as BoardDefinition), id: 'new-global' };
      expect(await ledger.refillBoard(points, 'all', {})).toBe(6);
      const [next] = await ledger.record([click('b', { points: 1, at: T0 + 20 })]);
      expect(accepted(next).receipt.totals.global).toBe(11);
    });

    it('records a held action with no totals and no event, spends its key and cap, and leaves it out of a refill', async () => {
      const ledger = await ledgerOf();
      const match = (score: number, overrides: Partial<ActionToRecord> = {}) =>
        click('u1', { type: 'match-result', points: 0, values: { 'match-score': score }, dailyCap: 2, ...overrides });
      const before = await ledger.pending(100);
      const suspicious = match(90_000, { held: { reason: 'too good' } });
      const [held] = await ledger.record([suspicious]);
      expect(held?.status).toBe('held');
      const receipt = held?.status === 'held' ? held.receipt : undefined;
      expect(receipt).toEqual({
        action: { id: expect.any(String) as string, type: 'match-result', points: 0, values: { 'match-score': 90_000 }, at: new Date(T0).toISOString(), status: 'held' },
        totals: {},
      });
      expect(await ledger.pending(100)).toEqual(before);
      // Its key replays it as held; its cap is spent.
      expect(await ledger.record([{ ...suspicious, at: T0 + 1 }])).toEqual([{ status: 'replayed', receipt }]);
      expect(await ledger.findReceipt('u1', suspicious.idempotencyKey)).toEqual(receipt);
      const [plain, overCap] = await ledger.record([match(300, { at: T0 + 2 }), match(400, { at: T0 + 3 })]);
      expect(accepted(plain).receipt.totals).toEqual({ best: 300 });
      expect(overCap).toMatchObject({ status: 'rejected', code: 'daily_cap' });
      // A refill counts the accepted action only.
      const best = CONTRACT_BOARDS.find((board) => board.id === 'best') as BoardDefinition;
      expect(await ledger.refillBoard(best, 'all', {})).toBe(1);
    });
  });

  describe(`Review queue contract: ${name}`, () => {
    const held = (userId: string, overrides: Partial<ActionToRecord> = {}) => click(userId, { points: 5, held: { reason: '"points" 5 is above its review threshold 2' }, ...overrides });
    const heldId = (outcome: RecordOutcome | undefined): string => {
      if (outcome?.status !== 'held') throw new Error(`expected held, got ${JSON.stringify(outcome)}`);
      return outcome.receipt.action.id;
    };

    it('lists held actions oldest first with their reason, a page at a time, and nothing else', async () => {
      const ledger = await ledgerOf();
      const [a, , b, c] = await ledger.record([held('u1'), click('u2'), held('u2', { at: T0 + 1 }), held('u3', { at: T0 + 2, values: { 'match-score': 7 }, points: 0 })]);
      const all = await ledger.heldActions(10, 0);
      expect(all.total).toBe(3);
      expect(all.held.map((h) => h.action.id)).toEqual([heldId(a), heldId(b), heldId(c)]);
      expect(all.held[0]).toEqual({ action: { id: heldId(a), type: 'click', values: { points: 5 }, at: T0 }, userId: 'u1', reason: '"points" 5 is above its review threshold 2' });
      expect(all.held[2]?.action.values).toEqual({ 'match-score': 7 });
      expect(await ledger.heldActions(1, 1)).toEqual({ total: 3, held: [all.held[1]] });
      expect((await ledger.heldActions(10, 3)).held).toEqual([]);
    });

    it('approves once: the action counts as of its original time, with a version newer than any, through the outbox', async () => {
      const ledger = await ledgerOf();
      const action = held('u1');
      const [first] = await ledger.record([action]);
      const [later] = await ledger.record([click('u1', { points: 1, at: T0 + 10 })]);
      const before = (await ledger.pending(100)).map((row) => row.outboxId);
      const outcome = await ledger.decide(heldId(first), 'approve', T0 + 20);
      expect(outcome).toMatchObject({ status: 'approved', userId: 'u1', type: 'click' });
      const committed = outcome.status === 'approved' ? outcome.committed : undefined;
      expect(committed?.event).toMatchObject({ type: 'score.updated', actionId: heldId(first), userId: 'u1', points: 5, values: { points: 5 }, at: T0 });
      const totals = committed?.event.totals ?? [];
      expect(totals.map(({ board, period, score, reachedAt }) => [board, period, score, reachedAt])).toEqual([
        ['global', 'all', 6, T0 + 10],
        ['daily', '2026-11-27', 6, T0 + 10],
        ['weekly', '2026-11-23', 6, T0 + 10],
      ]);
      for (const total of totals) expect(total.version).toBeGreaterThan(Number(accepted(later).receipt.action.id));
      expect((await ledger.pending(100)).map((row) => row.outboxId)).toEqual([...before, committed?.outboxId]);
      await ledger.published(committed?.outboxId as number);
      expect((await ledger.pending(100)).map((row) => row.outboxId)).toEqual(before);

      expect(await ledger.heldActions(10, 0)).toEqual({ total: 0, held: [] });
      expect(await ledger.decide(heldId(first), 'approve', T0 + 30)).toEqual({ status: 'conflict', current: 'approved' });
      expect(await ledger.decide(heldId(first), 'reject', T0 + 30)).toEqual({ status: 'conflict', current: 'approved' });
      // The next action adds to it, with a version newer than the approval's; a refill counts it.
      const [next] = await ledger.record([click('u1', { points: 1, at: T0 + 40 })]);
      expect(accepted(next).receipt.totals.global).toBe(7);
      expect(accepted(next).committed.event.totals[0]?.version).toBeGreaterThan(totals[0]?.version as number);
      const global = CONTRACT_BOARDS.find((board) => board.id === 'global') as BoardDefinition;
      expect(await ledger.refillBoard(global, 'all', {})).toBe(3);
      // Its key still replays what the game server was answered: held.
      expect(await ledger.findReceipt('u1', action.idempotencyKey)).toEqual(first?.status === 'held' && first.receipt);
    });

    it('counts an approval in a past period only while the board keeps it', async () => {
      const ledger = await ledgerOf();
      const [kept, gone] = await ledger.record([held('u1'), held('u2')]);
      // A day later the daily board still keeps yesterday (one past period); ten days later, no period but all-time.
      const keptOutcome = await ledger.decide(heldId(kept), 'approve', T0 + DAY);
      expect(keptOutcome.status === 'approved' && keptOutcome.committed?.event.totals.map(({ board, period }) => `${board}:${period}`)).toEqual([
        'global:all',
        'daily:2026-11-27',
        'weekly:2026-11-23',
      ]);
      const goneOutcome = await ledger.decide(heldId(gone), 'approve', T0 + 10 * DAY);
      expect(goneOutcome.status === 'approved' && goneOutcome.committed?.event.totals.map(({ board }) => board)).toEqual(['global']);
    });

    it('rejects once: the action never counts', async () => {
      const ledger = await ledgerOf();
      const [first] = await ledger.record([held('u1')]);
      expect(await ledger.decide(heldId(first), 'reject', T0 + 5)).toEqual({ status: 'rejected', userId: 'u1', type: 'click' });
      expect(await ledger.decide(heldId(first), 'approve', T0 + 6)).toEqual({ status: 'conflict', current: 'rejected' });
      const global = CONTRACT_BOARDS.find((board) => board.id === 'global') as BoardDefinition;
      expect(await ledger.refillBoard(global, 'all', {})).toBe(0);
      expect(await ledger.decide('999999999', 'approve', T0)).toEqual({ status: 'not_found' });
      const [plain] = await ledger.record([click('u1', { at: T0 + 7 })]);
      expect(await ledger.decide(accepted(plain).receipt.action.id, 'approve', T0 + 8)).toEqual({ status: 'conflict', current: 'accepted' });
    });

    it('lets one of two decisions taken at once win; the other is a conflict', async () => {
      const ledger = await ledgerOf();
      const [first] = await ledger.record([held('u1')]);
      const outcomes = await Promise.all([ledger.decide(heldId(first), 'approve', T0 + 1), ledger.decide(heldId(first), 'reject', T0 + 1)]);
      const statuses = outcomes.map((outcome) => outcome.status);
      expect(statuses.filter((status) => status === 'conflict')).toHaveLength(1);
      expect(statuses.filter((status) => status === 'approved' || status === 'rejected')).toHaveLength(1);
    });
  });
}

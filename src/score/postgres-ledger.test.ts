import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { anotherPostgresProcess, emptied, migratedPostgresPool } from '../../test/infrastructure.js';
import type { ScoreUpdated } from '../platform/events.js';
import type { PostgresPool } from '../platform/postgres.js';
import type { ActionToRecord } from './ledger.js';
import { PostgresLedger } from './postgres-ledger.js';

const pool = await migratedPostgresPool();

/** The file's pool with every score table emptied (sequences keep growing, as in production). */
const emptyTables = (): Promise<PostgresPool> => emptied(pool, 'ledger, board_totals, outbox, action_state, used_tickets, board_definitions');

const T0 = Date.UTC(2026, 10, 27, 12);
let keys = 0;
const action = (userId: string, overrides: Partial<ActionToRecord> = {}): ActionToRecord => ({
  userId,
  type: 'click',
  points: 1,
  values: { points: overrides.points ?? 1 },
  at: T0,
  idempotencyKey: `k${++keys}`,
  cooldownMs: 0,
  ...overrides,
});

describe.skipIf(!pool)('PostgreSQL ledger', () => {
  describe('across score nodes', () => {
    it('lets a daily cap be spent once when two nodes race for it', async () => {
      const first = await emptyTables();
      const nodes = [new PostgresLedger(first, { owner: 'a' }), new PostgresLedger(await anotherPostgresProcess(first), { owner: 'b' })];
      const bonus = (i: number) => action('u1', { type: 'daily-bonus', points: 100, dailyCap: 1, idempotencyKey: `bonus-${i}` });
      const outcomes = (await Promise.all(Array.from({ length: 8 }, (_, i) => (nodes[i % 2] as PostgresLedger).record([bonus(i)])))).flat();
      expect(outcomes.filter((o) => o.status === 'accepted')).toHaveLength(1);
      expect(outcomes.filter((o) => o.status === 'rejected' && o.code === 'daily_cap')).toHaveLength(7);
      const { rows } = await first.query<{ score: string }>("SELECT score FROM board_totals WHERE board = 'global' AND user_id = 'u1'");
      expect(rows.map((row) => Number(row.score))).toEqual([100]);
    });

    it('counts one idempotency key once when two nodes race with it, replaying the same receipt', async () => {
      const first = await emptyTables();
      const nodes = [new PostgresLedger(first, { owner: 'a' }), new PostgresLedger(await anotherPostgresProcess(first), { owner: 'b' })];
      const outcomes = (await Promise.all(nodes.map((node) => node.record([action('u1', { idempotencyKey: 'same' })])))).flat();
      expect(outcomes.map((o) => o.status).sort()).toEqual(['accepted', 'replayed']);
      const receipts = outcomes.map((o) => (o.status === 'rejected' ? undefined : o.receipt));
      expect(receipts[0]).toEqual(receipts[1]);
      expect(await nodes[1]?.findReceipt('u1', 'same')).toEqual(receipts[0]);
    });

    it('adds every concurrent action of one user exactly once to the totals', async () => {
      const first = await emptyTables();
      const nodes = [new PostgresLedger(first, { owner: 'a' }), new PostgresLedger(await anotherPostgresProcess(first), { owner: 'b' })];
      // Batches sharing users in opposite orders: the per-user locks must not deadlock.
      const batches = Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? ['u1', 'u2', 'u3'] : ['u3', 'u2', 'u1']).map((u) => action(u)));
      await Promise.all(batches.map((batch, i) => (nodes[i % 2] as PostgresLedger).record(batch)));
      const { rows } = await first.query<{ user_id: string; score: string }>(
        "SELECT user_id, score FROM board_totals WHERE board = 'global' ORDER BY user_id",
      );
      expect(rows.map((row) => [row.user_id, Number(row.score)])).toEqual([
        ['u1', 10],
        ['u2', 10],
        ['u3', 10],
      ]);
    });

    it("relays only its own outbox rows, and sweeps a dead node's rows after the grace period", async () => {
      const first = await emptyTables();
      const alive = new PostgresLedger(first, { owner: 'alive' });
      const dead = new PostgresLedger(first, { owner: `dead-${randomUUID()}` });
      await alive.record([action('u1')]);
      await dead.record([action('u2'), action('u3')]);
      expect((await alive.pending(10)).map((row) => row.event.userId)).toEqual(['u1']);

      const published: ScoreUpdated[] = [];
      const publish = async (event: ScoreUpdated) => void published.push(event);
      expect(await alive.sweepOrphans(publish, 60_000)).toBe(0); // still within the grace period
      expect(await alive.sweepOrphans(publish, 0)).toBe(2);
      expect(published.map((event) => event.userId)).toEqual(['u2', 'u3']);
      expect(await dead.pending(10)).toEqual([]);
      expect(await alive.pending(10)).toHaveLength(1); // its own row is the relay's, not the sweeper's
    });
  });
});

import { describe, expect, it } from 'vitest';
import { embeddedDatabase } from '../../test/helpers.js';
import { boardDefinition, DEFAULT_BOARDS } from '../platform/boards.js';
import type { ActionToRecord, RecordOutcome } from './ledger.js';
import { SqliteLedger } from './sqlite-ledger.js';

const T0 = Date.UTC(2026, 10, 27, 12);
let keys = 0;
const click = (userId: string, overrides: Partial<ActionToRecord> = {}): ActionToRecord => ({
  userId,
  type: 'click',
  points: 1,
  values: { points: 1 },
  at: T0 + keys,
  idempotencyKey: `key-${++keys}`,
  cooldownMs: 0,
  ...overrides,
});
const ONE_BOARD_PER_AGGREGATE = [
  boardDefinition({ id: 'sum', aggregate: 'sum' }),
  boardDefinition({ id: 'best', aggregate: 'max' }),
  boardDefinition({ id: 'low', aggregate: 'min', order: 'asc' }),
  boardDefinition({ id: 'last', aggregate: 'last' }),
];
const totalsOf = (outcome: RecordOutcome | undefined) => (outcome?.status === 'accepted' ? outcome.receipt.totals : undefined);

describe('SQLite ledger', () => {
  // The ledger works out the totals of players it has seen itself, without reading them back:
  // a batch that rolls back must take what it worked out with it.
  it('forgets the totals of a batch that rolled back, in the table and in what it works out next', async () => {
    const db = embeddedDatabase();
    const ledger = new SqliteLedger(db, DEFAULT_BOARDS);
    db.exec("CREATE TEMP TRIGGER refuse_boom BEFORE INSERT ON ledger WHEN NEW.type = 'boom' BEGIN SELECT RAISE(ABORT, 'boom'); END");

    expect(totalsOf((await ledger.record([click('u1')]))[0])?.global).toBe(1);
    await expect(ledger.record([click('u1'), click('u1', { type: 'boom' })])).rejects.toThrow(/boom/);
    const { score } = db.prepare("SELECT score FROM board_totals WHERE board = 'global' AND user_id = 'u1'").get() as { score: number };
    expect(score).toBe(1);

    const [next] = await ledger.record([click('u1'), click('u1')]);
    expect(totalsOf(next)?.global).toBe(2);
    ledger.flushTotals();
    const rows = db.prepare("SELECT board, score FROM board_totals WHERE user_id = 'u1' ORDER BY board").all() as { board: string; score: number }[];
    expect(new Set(rows.map((row) => row.score))).toEqual(new Set([3]));
  });

  it('writes the totals it works out exactly as the aggregate SQL would, for players seen before and new ones', async () => {
    const boards = ONE_BOARD_PER_AGGREGATE;
    const warm = embeddedDatabase();
    const cold = embeddedDatabase();
    const seenBefore = new SqliteLedger(warm, boards);
    // A fresh ledger per action knows no player: every total goes through the aggregate SQL.
    const actions = Array.from({ length: 60 }, (_, i) => click(`u${i % 3}`, { points: (i * 7) % 11, values: { points: (i * 7) % 11 }, at: T0 + ((i * 13) % 17) }));
    for (let i = 0; i < actions.length; i += 4) {
      const batch = actions.slice(i, i + 4);
      const mine = await seenBefore.record(batch);
      const reference: RecordOutcome[] = [];
      for (const action of batch) reference.push(...(await new SqliteLedger(cold, boards).record([action])));
      expect(mine.map(totalsOf)).toEqual(reference.map(totalsOf));
    }
    seenBefore.flushTotals();
    const table = (db: typeof warm) => db.prepare('SELECT board, user_id, score, reached_at, version FROM board_totals ORDER BY board, user_id').all();
    expect(table(warm)).toEqual(table(cold));
  });

  // Totals are written behind the ledger rows; the rows commit with each 201. A process that
  // dies before writing them leaves the table behind its rows: the next start counts the rest.
  it('after a crash, counts the rows whose totals were not written yet, exactly once', async () => {
    const boards = ONE_BOARD_PER_AGGREGATE;
    const db = embeddedDatabase();
    const reference = embeddedDatabase();
    const crashed = new SqliteLedger(db, boards);
    // u0 and u1 are seen before the last write, u2 and u3 only after it (their first totals go
    // to the table at once, the later ones wait): both kinds must come out counted once.
    const actions = Array.from({ length: 40 }, (_, i) => click(`u${i < 20 ? i % 2 : i % 4}`, { points: (i * 5) % 9, values: { points: (i * 5) % 9 }, at: T0 + ((i * 7) % 13) }));
    await crashed.record(actions.slice(0, 20));
    crashed.flushTotals();
    for (let i = 20; i < actions.length; i += 5) await crashed.record(actions.slice(i, i + 5));
    for (const action of actions) await new SqliteLedger(reference, boards).record([action]);
    const table = (of: typeof db) => of.prepare('SELECT board, user_id, score, reached_at, version FROM board_totals ORDER BY board, user_id').all();
    expect(table(db)).not.toEqual(table(reference)); // the crash left totals unwritten

    new SqliteLedger(db, boards); // the next start
    expect(table(db)).toEqual(table(reference));
    new SqliteLedger(db, boards); // and the one after changes nothing
    expect(table(db)).toEqual(table(reference));
  });

  it('writes the unwritten totals with an approval, which is no row to count again after a crash', async () => {
    const db = embeddedDatabase();
    const ledger = new SqliteLedger(db, DEFAULT_BOARDS);
    const [held] = await ledger.record([click('u1', { points: 5, values: { points: 5 }, held: { reason: 'checked by a person' } })]);
    await ledger.record([click('u1'), click('u2')]);
    await ledger.record([click('u1'), click('u2')]); // u1 and u2 known: these wait
    if (held?.status !== 'held') throw new Error('expected the action held');
    expect((await ledger.decide(held.receipt.action.id, 'approve', T0 + 100)).status).toBe('approved');

    const global = () => db.prepare("SELECT user_id, score FROM board_totals WHERE board = 'global' ORDER BY user_id").all();
    expect(global()).toEqual([
      { user_id: 'u1', score: 7 },
      { user_id: 'u2', score: 2 },
    ]);
    new SqliteLedger(db, DEFAULT_BOARDS); // a crash right after, and a start
    expect(global()).toEqual([
      { user_id: 'u1', score: 7 },
      { user_id: 'u2', score: 2 },
    ]);
  });
});

import { DEFAULT_BOARDS, periodKey, startOfUtcDay, type BoardDefinition } from '../platform/boards.js';
import { checkLimits, isLimited, type ActionState } from './action-limits.js';
import type { BoardTotal, ScoreUpdated } from '../platform/events.js';
import type { SqliteDatabase } from '../platform/sqlite.js';
import type { ActionReceipt, ActionToRecord, CommittedEvent, Ledger, Outbox, RecordOutcome } from './ledger.js';


interface ReceiptRow {
  id: number;
  type: string;
  points: number;
  at: number;
  totals: string;
}

interface StateRow {
  last_at: number;
  day: string;
  day_count: number;
}

/** `Ledger` and `Outbox` on the embedded SQLite database; expects `SCORE_SQLITE_MIGRATIONS` applied. */
export class SqliteLedger implements Ledger, Outbox {
  private readonly statements;
  private readonly recordBatch: (actions: readonly ActionToRecord[]) => RecordOutcome[];
  private periodCache: { day: number; keys: readonly string[] } | undefined;

  constructor(
    db: SqliteDatabase,
    private readonly boards: readonly BoardDefinition[] = DEFAULT_BOARDS,
  ) {
    this.statements = {
      receipt: db.prepare<[string, string], ReceiptRow>(
        'SELECT id, type, points, at, totals FROM ledger WHERE user_id = ? AND idempotency_key = ?',
      ),
      ticketUsed: db.prepare<[string], { used: 1 }>('SELECT 1 AS used FROM used_tickets WHERE ticket_id = ?'),
      spendTicket: db.prepare('INSERT INTO used_tickets (ticket_id, used_at) VALUES (?, ?)'),
      state: db.prepare<[string, string], StateRow>('SELECT last_at, day, day_count FROM action_state WHERE user_id = ? AND type = ?'),
      saveState: db.prepare(`
        INSERT INTO action_state (user_id, type, last_at, day, day_count) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (user_id, type) DO UPDATE SET last_at = excluded.last_at, day = excluded.day, day_count = excluded.day_count`),
      // Every board's total in one statement: one round through SQLite's VM instead of one per board.
      addToTotals: db.prepare<(string | number)[], { board: string; score: number }>(`
        INSERT INTO board_totals (board, period, user_id, score, reached_at)
        VALUES ${boards.map(() => '(?, ?, ?, ?, ?)').join(', ')}
        ON CONFLICT (board, period, user_id) DO UPDATE SET score = score + excluded.score, reached_at = excluded.reached_at
        RETURNING board, score`),
      insertAction: db.prepare<[string, string, number, number, string, string], { id: number }>(
        'INSERT INTO ledger (user_id, type, points, at, idempotency_key, totals) VALUES (?, ?, ?, ?, ?, ?) RETURNING id',
      ),
      insertEvent: db.prepare<[string], { id: number }>('INSERT INTO outbox (event) VALUES (?) RETURNING id'),
      pending: db.prepare<[number], { id: number; event: string }>('SELECT id, event FROM outbox ORDER BY id LIMIT ?'),
      acknowledge: db.prepare('DELETE FROM outbox WHERE id <= ?'),
      forgetSpentTickets: db.prepare('DELETE FROM used_tickets WHERE ticket_id IN (SELECT ticket_id FROM used_tickets WHERE used_at < ? LIMIT ?)'),
    };
    // One synchronous transaction for the whole batch: this is the group commit.
    this.recordBatch = db.transaction((actions: readonly ActionToRecord[]) => actions.map((action) => this.recordOne(action)));
  }

  async findReceipt(userId: string, idempotencyKey: string): Promise<ActionReceipt | undefined> {
    const row = this.statements.receipt.get(userId, idempotencyKey);
    return row && toReceipt(row);
  }

  async record(actions: readonly ActionToRecord[]): Promise<RecordOutcome[]> {
    return this.recordBatch(actions);
  }

  async pending(limit: number): Promise<CommittedEvent[]> {
    return this.statements.pending.all(limit).map((row) => ({ outboxId: row.id, event: JSON.parse(row.event) as ScoreUpdated }));
  }

  async acknowledge(upToId: number): Promise<void> {
    this.statements.acknowledge.run(upToId);
  }

  async forgetSpentTickets(usedBefore: number, limit: number): Promise<number> {
    return this.statements.forgetSpentTickets.run(usedBefore, limit).changes;
  }

  /** Each board's period key at `atMs`; computed once per UTC day, not per action. */
  private periodsAt(atMs: number): readonly string[] {
    const day = startOfUtcDay(atMs);
    if (this.periodCache?.day !== day) this.periodCache = { day, keys: this.boards.map((board) => periodKey(board.period, atMs)) };
    return this.periodCache.keys;
  }

  private recordOne(action: ActionToRecord): RecordOutcome {
    const s = this.statements;
    // Checked again inside the transaction: two requests with one key in one batch count once.
    const existing = s.receipt.get(action.userId, action.idempotencyKey);
    if (existing) return { status: 'replayed', receipt: toReceipt(existing) };
    if (action.ticketId !== undefined && s.ticketUsed.get(action.ticketId)) return { status: 'rejected', code: 'ticket_used' };

    // Only actions with a cooldown or a cap need per-user state: the hot path (a click)
    // reads and writes none.
    const limited = isLimited(action);
    let next: ActionState | undefined;
    if (limited) {
      const row = s.state.get(action.userId, action.type);
      const verdict = checkLimits(action, row && { lastAt: row.last_at, day: row.day, dayCount: row.day_count });
      if ('rejected' in verdict) return verdict.rejected;
      next = verdict.next;
    }

    const periods = this.periodsAt(action.at);
    const scores = new Map(
      s.addToTotals
        .all(...this.boards.flatMap((board, i) => [board.id, periods[i] as string, action.userId, action.points, action.at]))
        .map((row) => [row.board, row.score]),
    );
    const totals: BoardTotal[] = this.boards.map((board, i) => ({
      board: board.id,
      period: periods[i] as string,
      score: scores.get(board.id) as number,
      reachedAt: action.at,
    }));
    const totalsByBoard = Object.fromEntries(totals.map((total) => [total.board, total.score]));
    const { id } = s.insertAction.get(
      action.userId,
      action.type,
      action.points,
      action.at,
      action.idempotencyKey,
      JSON.stringify(totalsByBoard),
    ) as { id: number };
    if (next) s.saveState.run(action.userId, action.type, next.lastAt, next.day, next.dayCount);
    if (action.ticketId !== undefined) s.spendTicket.run(action.ticketId, action.at);

    const event: ScoreUpdated = {
      type: 'score.updated',
      actionId: String(id),
      userId: action.userId,
      points: action.points,
      at: action.at,
      totals,
    };
    const { id: outboxId } = s.insertEvent.get(JSON.stringify(event)) as { id: number };
    const receipt: ActionReceipt = {
      action: { id: String(id), type: action.type, points: action.points, at: new Date(action.at).toISOString() },
      totals: totalsByBoard,
    };
    return { status: 'accepted', receipt, committed: { outboxId, event } };
  }
}

function toReceipt(row: ReceiptRow): ActionReceipt {
  return {
    action: { id: String(row.id), type: row.type, points: row.points, at: new Date(row.at).toISOString() },
    totals: JSON.parse(row.totals) as Record<string, number>,
  };
}

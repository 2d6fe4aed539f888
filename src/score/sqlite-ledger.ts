import type { Statement } from 'better-sqlite3';
import { DEFAULT_BOARDS, type Aggregate, type BoardDefinition } from '../platform/boards.js';
import type { BoardTotal, ScoreUpdated } from '../platform/events.js';
import { withoutDiskFlush, type SqliteDatabase } from '../platform/sqlite.js';
import type { WalFlush } from '../platform/wal-flush.js';
import { checkLimits, isLimited, type ActionState } from './action-limits.js';
import { BoardCounter, definitionSignature, nextTotal, storedValues, totalsFromLedger, type CountedBoard, type LedgerValuesRow, type Total } from './board-totals.js';
import { heldReceipt, type ActionReceipt, type ActionToRecord, type CommittedEvent, type Ledger, type Outbox, type RecordOutcome } from './ledger.js';
import type { HeldAction, ReviewDecision, ReviewOutcome, ReviewQueue, SqliteWebhookWriter } from '../moderation/index.js';

interface ReceiptRow {
  id: number;
  type: string;
  points: number;
  metric_values: string | null;
  at: number;
  totals: string;
  status: string;
}

interface ReviewRow {
  id: number;
  user_id: string;
  type: string;
  points: number;
  metric_values: string | null;
  at: number;
  status: string;
  review_reason: string | null;
}

interface StateRow {
  last_at: number;
  day: string;
  day_count: number;
}

type TotalParameters = (string | number)[];
type ReturnedTotal = { board: string; score: number; reached_at: number; version: number };

/**
 * The SQL of each aggregate's rule (`nextTotal` in board-totals.ts, which the PostgreSQL
 * ledger runs in memory): the new value and time reached, from the stored row and
 * `excluded` (the action's). SET expressions all read the stored row as it was.
 */
const AGGREGATE_SQL: Record<Aggregate, { score: string; reachedAt: string }> = {
  sum: { score: 'score + excluded.score', reachedAt: 'max(reached_at, excluded.reached_at)' },
  last: {
    score: 'CASE WHEN excluded.reached_at >= reached_at THEN excluded.score ELSE score END',
    reachedAt: 'max(reached_at, excluded.reached_at)',
  },
  max: {
    score: 'max(score, excluded.score)',
    reachedAt: 'CASE WHEN excluded.score > score OR (excluded.score = score AND excluded.reached_at < reached_at) THEN excluded.reached_at ELSE reached_at END',
  },
  min: {
    score: 'min(score, excluded.score)',
    reachedAt: 'CASE WHEN excluded.score < score OR (excluded.score = score AND excluded.reached_at < reached_at) THEN excluded.reached_at ELSE reached_at END',
  },
};

/** `Ledger`, `Outbox` and `ReviewQueue` on the embedded SQLite database; expects the embedded schema migrated. */
export class SqliteLedger implements Ledger, Outbox, ReviewQueue {
  private readonly statements;
  private readonly recordBatch: (actions: readonly ActionToRecord[]) => RecordOutcome[];
  private readonly decideOne: (actionId: number, decision: ReviewDecision, now: number) => ReviewOutcome;
  private readonly replacePeriod: (board: BoardDefinition, period: string, totals: ReadonlyMap<string, Total>) => void;
  /** The totals upsert for 1, 2, … boards at once: one statement per action whatever it counts on. */
  private readonly upserts = new Map<number, Statement<TotalParameters, ReturnedTotal>>();
  /** The same, writing totals worked out here (no aggregate SQL, nothing read back). */
  private readonly writes = new Map<number, Statement<TotalParameters>>();
  /**
   * The current totals of players seen recently, by board, period and player. The data dir is
   * locked to this process, so nothing else writes `board_totals`: such a player's new totals
   * are worked out here (`nextTotal`, the rule the aggregate SQL follows) instead of in SQLite.
   * Bounded by `KNOWN_TOTALS_LIMIT`; forgotten when a transaction rolls back or a period is refilled.
   */
  private readonly knownTotals = new Map<string, Total>();
  /**
   * Totals in `knownTotals` that `board_totals` does not have yet. They are written behind the
   * ledger, all at once (`writeUnwritten`, at most every `TOTALS_WRITE_INTERVAL_MS`), with the
   * last ledger id they include as the checkpoint: a player acting ten times a second costs one
   * row write per board a second instead of ten. The ledger rows are the truth and commit with
   * each `201`; after a crash `recoverTotals` counts the rows past the checkpoint again. Anyone
   * reading `board_totals` calls `flushTotals` first (see `SqliteBoardTotalsReader`).
   */
  private readonly unwritten = new Map<string, { board: string; period: string; userId: string }>();
  private lastWriteAt = performance.now();
  /** Writes what is left unwritten when actions stop arriving, so the table is never long behind. */
  private idleWrite: NodeJS.Timeout | undefined;
  /** A rollback took totals worked out here with it: count the rows past the checkpoint again first. */
  private totalsStale = false;
  private readonly upsertSet: { score: string; reachedAt: string };
  private readonly counter: BoardCounter;
  /**
   * The next ledger id, handed out here so the totals can carry it as their version in the
   * same statement (one process writes an embedded database: the data dir is locked).
   */
  private nextId: number;

  constructor(
    private readonly db: SqliteDatabase,
    boards: readonly BoardDefinition[] = DEFAULT_BOARDS,
    /** Where `action.held` goes, in the transaction that holds the action. */
    private readonly webhooks?: SqliteWebhookWriter,
    /** Flushes each batch to the disk off the event loop; without it SQLite flushes inside the commit. */
    private readonly walFlush?: WalFlush,
  ) {
    this.statements = {
      receipt: db.prepare<[string, string], ReceiptRow>(
        'SELECT id, type, points, metric_values, at, totals, status FROM ledger WHERE user_id = ? AND idempotency_key = ?',
      ),
      ticketUsed: db.prepare<[string], { used: 1 }>('SELECT 1 AS used FROM used_tickets WHERE ticket_id = ?'),
      spendTicket: db.prepare('INSERT INTO used_tickets (ticket_id, used_at) VALUES (?, ?)'),
      state: db.prepare<[string, string], StateRow>('SELECT last_at, day, day_count FROM action_state WHERE user_id = ? AND type = ?'),
      saveState: db.prepare(`
        INSERT INTO action_state (user_id, type, last_at, day, day_count) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (user_id, type) DO UPDATE SET last_at = excluded.last_at, day = excluded.day, day_count = excluded.day_count`),
      insertAction: db.prepare<[number, string, string, number, string, number, string, string, string, string | null]>(
        'INSERT INTO ledger (id, user_id, type, points, metric_values, at, idempotency_key, totals, status, review_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      // `status <> 'accepted'` in every review query lets SQLite use the partial index.
      heldCount: db.prepare<[], { n: number }>("SELECT count(*) AS n FROM ledger WHERE status <> 'accepted' AND status = 'held'"),
      held: db.prepare<[number, number], ReviewRow>(
        "SELECT id, user_id, type, points, metric_values, at, status, review_reason FROM ledger WHERE status <> 'accepted' AND status = 'held' ORDER BY id LIMIT ? OFFSET ?",
      ),
      reviewRow: db.prepare<[number], ReviewRow>('SELECT id, user_id, type, points, metric_values, at, status, review_reason FROM ledger WHERE id = ?'),
      reject: db.prepare<[number]>("UPDATE ledger SET status = 'rejected' WHERE id = ?"),
      approve: db.prepare<[number, string, number]>("UPDATE ledger SET status = 'approved', approved_version = ?, totals = ? WHERE id = ?"),
      lastApprovedVersion: db.prepare<[], { version: number | null }>("SELECT max(approved_version) AS version FROM ledger WHERE status <> 'accepted'"),
      forgetEvent: db.prepare<[number]>('DELETE FROM outbox WHERE id = ?'),
      insertEvent: db.prepare<[string], { id: number }>('INSERT INTO outbox (event) VALUES (?) RETURNING id'),
      pending: db.prepare<[number], { id: number; event: string }>('SELECT id, event FROM outbox ORDER BY id LIMIT ?'),
      acknowledge: db.prepare('DELETE FROM outbox WHERE id <= ?'),
      forgetSpentTickets: db.prepare('DELETE FROM used_tickets WHERE ticket_id IN (SELECT ticket_id FROM used_tickets WHERE used_at < ? LIMIT ?)'),
      lastId: db.prepare<[], { id: number | null }>('SELECT max(id) AS id FROM ledger'),
      filled: db.prepare<[], { board: string; signature: string }>('SELECT board, signature FROM board_definitions'),
      markFilled: db.prepare(`
        INSERT INTO board_definitions (board, signature, filled_at) VALUES (?, ?, ?)
        ON CONFLICT (board) DO UPDATE SET signature = excluded.signature, filled_at = excluded.filled_at`),
      rowsBetween: db.prepare<[number, number], { id: number; user_id: string; at: number; points: number; metric_values: string | null }>(
        "SELECT id, user_id, at, points, metric_values FROM ledger WHERE at >= ? AND at < ? AND status IN ('accepted', 'approved') ORDER BY id",
      ),
      clearPeriod: db.prepare('DELETE FROM board_totals WHERE board = ? AND period = ?'),
      insertTotal: db.prepare('INSERT INTO board_totals (board, period, user_id, score, reached_at, version) VALUES (?, ?, ?, ?, ?, ?)'),
      storedTotal: db.prepare<[string, string, string], { score: number; reached_at: number; version: number }>(
        'SELECT score, reached_at, version FROM board_totals WHERE board = ? AND period = ? AND user_id = ?',
      ),
      checkpoint: db.prepare<[], { id: number }>('SELECT id FROM totals_checkpoint'),
      setCheckpoint: db.prepare<[number]>('UPDATE totals_checkpoint SET id = ?'),
      acceptedAfter: db.prepare<[number], { id: number; user_id: string; at: number; points: number; metric_values: string | null }>(
        "SELECT id, user_id, at, points, metric_values FROM ledger WHERE id > ? AND status = 'accepted' ORDER BY id",
      ),
    };
    // Board ids are `[a-z0-9-]`, safe as SQL literals: each board's aggregate in one CASE.
    const byBoard = (part: 'score' | 'reachedAt') =>
      `CASE board ${boards.map((board) => `WHEN '${board.id}' THEN ${AGGREGATE_SQL[board.aggregate][part]}`).join(' ')} ELSE excluded.${part === 'score' ? 'score' : 'reached_at'} END`;
    this.upsertSet = { score: byBoard('score'), reachedAt: byBoard('reachedAt') };
    this.counter = new BoardCounter(boards);
    // Approvals take versions from the same sequence without a ledger row of their own.
    this.nextId = Math.max(this.statements.lastId.get()?.id ?? 0, this.statements.lastApprovedVersion.get()?.version ?? 0) + 1;
    // One synchronous transaction for the whole batch: this is the group commit. The totals
    // worked out so far are written in it when they are due.
    this.recordBatch = db.transaction((actions: readonly ActionToRecord[]) => {
      if (this.knownTotals.size > KNOWN_TOTALS_LIMIT) {
        this.writeUnwritten();
        this.knownTotals.clear();
      }
      const outcomes = actions.map((action) => this.recordOne(action));
      if (this.unwritten.size >= UNWRITTEN_LIMIT || (this.unwritten.size > 0 && performance.now() - this.lastWriteAt >= TOTALS_WRITE_INTERVAL_MS)) {
        this.writeUnwritten();
      }
      return outcomes;
    });
    this.decideOne = db.transaction((actionId: number, decision: ReviewDecision, now: number) => this.decideHeld(actionId, decision, now));
    this.replacePeriod = db.transaction((board: BoardDefinition, period: string, totals: ReadonlyMap<string, Total>) => {
      this.statements.clearPeriod.run(board.id, period);
      for (const [userId, total] of totals) this.statements.insertTotal.run(board.id, period, userId, total.score, total.reachedAt, total.version);
      this.statements.markFilled.run(board.id, definitionSignature(board), Date.now());
    });
    this.recoverTotals();
  }

  async findReceipt(userId: string, idempotencyKey: string): Promise<ActionReceipt | undefined> {
    const row = this.statements.receipt.get(userId, idempotencyKey);
    if (!row) return undefined;
    // The row may be committed but not yet on the disk: a replay acknowledges it too.
    await this.walFlush?.flush();
    return toReceipt(row);
  }

  async record(actions: readonly ActionToRecord[]): Promise<RecordOutcome[]> {
    if (this.totalsStale) this.recoverTotals();
    const firstId = this.nextId;
    let outcomes: RecordOutcome[];
    try {
      outcomes = this.walFlush ? this.walFlush.commit(() => this.recordBatch(actions)) : this.recordBatch(actions);
    } catch (error) {
      // Rolled back: the ids go back too, so they stay dense, and totals worked out in memory are void.
      this.nextId = firstId;
      this.forgetWorkedOutTotals();
      throw error;
    }
    if (this.unwritten.size > 0) this.idleWrite ??= setTimeout(() => this.writeWhenIdle(), TOTALS_WRITE_INTERVAL_MS).unref();
    // Committed; no caller hears of it before it is on the disk.
    await this.walFlush?.flush();
    return outcomes;
  }

  /**
   * Writes the totals worked out since the last write, so that `board_totals` holds every
   * committed action: called before anything reads the table, and on close.
   */
  flushTotals(): void {
    if (this.totalsStale) this.recoverTotals();
    if (this.unwritten.size === 0) return;
    try {
      // Past the checkpoint the ledger's rows count these totals again: no need to wait for the disk.
      withoutDiskFlush(this.db, () => this.db.transaction(() => this.writeUnwritten())());
    } catch (error) {
      this.forgetWorkedOutTotals();
      throw error;
    }
  }

  async heldActions(limit: number, offset: number): Promise<{ total: number; held: HeldAction[] }> {
    const total = this.statements.heldCount.get()?.n ?? 0;
    return { total, held: this.statements.held.all(limit, offset).map(toHeldAction) };
  }

  async decide(actionId: string, decision: ReviewDecision, now: number): Promise<ReviewOutcome> {
    if (this.totalsStale) this.recoverTotals();
    const firstId = this.nextId;
    try {
      return this.decideOne(Number(actionId), decision, now);
    } catch (error) {
      this.nextId = firstId;
      this.forgetWorkedOutTotals();
      throw error;
    }
  }

  async published(outboxId: number): Promise<void> {
    this.statements.forgetEvent.run(outboxId);
  }

  async pending(limit: number): Promise<CommittedEvent[]> {
    return this.statements.pending.all(limit).map((row) => ({ outboxId: row.id, event: JSON.parse(row.event) as ScoreUpdated }));
  }

  async acknowledge(upToId: number): Promise<void> {
    // Lost in a power cut, these rows are published again: delivery is at least once anyway.
    withoutDiskFlush(this.db, () => this.statements.acknowledge.run(upToId));
  }

  async forgetSpentTickets(usedBefore: number, limit: number): Promise<number> {
    // Lost in a power cut, expired tickets are forgotten again by the next sweep.
    return withoutDiskFlush(this.db, () => this.statements.forgetSpentTickets.run(usedBefore, limit).changes);
  }

  async filledBoards(): Promise<Map<string, string>> {
    return new Map(this.statements.filled.all().map((row) => [row.board, row.signature]));
  }

  async refillBoard(board: BoardDefinition, period: string, range: { from?: number; to?: number }): Promise<number> {
    this.flushTotals();
    let read = 0;
    const rows = this.statements.rowsBetween.iterate(range.from ?? Number.MIN_SAFE_INTEGER, range.to ?? Number.MAX_SAFE_INTEGER);
    function* counted(): Generator<LedgerValuesRow> {
      for (const row of rows) {
        read += 1;
        yield { id: row.id, userId: row.user_id, at: row.at, values: storedValues(row.points, row.metric_values) };
      }
    }
    // Read to the end first: the connection writes nothing while a statement iterates.
    this.knownTotals.clear();
    this.replacePeriod(board, period, totalsFromLedger(board, counted()));
    return read;
  }

  private upsertFor(rows: number): Statement<TotalParameters, ReturnedTotal> {
    let statement = this.upserts.get(rows);
    if (!statement) {
      statement = this.db.prepare<TotalParameters, ReturnedTotal>(`
        INSERT INTO board_totals (board, period, user_id, score, reached_at, version)
        VALUES ${Array.from({ length: rows }, () => '(?, ?, ?, ?, ?, ?)').join(', ')}
        ON CONFLICT (board, period, user_id) DO UPDATE SET
          score = ${this.upsertSet.score}, reached_at = ${this.upsertSet.reachedAt}, version = excluded.version
        RETURNING board, score, reached_at, version`);
      this.upserts.set(rows, statement);
    }
    return statement;
  }

  private writeFor(rows: number): Statement<TotalParameters> {
    let statement = this.writes.get(rows);
    if (!statement) {
      statement = this.db.prepare<TotalParameters>(`
        INSERT INTO board_totals (board, period, user_id, score, reached_at, version)
        VALUES ${Array.from({ length: rows }, () => '(?, ?, ?, ?, ?, ?)').join(', ')}
        ON CONFLICT (board, period, user_id) DO UPDATE SET
          score = excluded.score, reached_at = excluded.reached_at, version = excluded.version`);
      this.writes.set(rows, statement);
    }
    return statement;
  }

  /**
   * Adds an action's values to the totals of the boards it counts on, versioned `version`. A
   * total known here is worked out in memory and written later (`unwritten`); the others go
   * through the aggregate SQL, all in one statement, and are written at once.
   */
  private addToTotals(counted: readonly CountedBoard[], userId: string, at: number, version: number): BoardTotal[] {
    if (counted.length === 0) return [];
    const keys = counted.map(({ board, period }) => totalKey(board.id, period, userId));
    const known = keys.map((key) => this.knownTotals.get(key));
    // Every unknown total in one statement: one round through SQLite's VM instead of one per board.
    let stored: Map<string, ReturnedTotal> | undefined;
    if (known.includes(undefined)) {
      const unknown = counted.filter((_, i) => known[i] === undefined);
      const parameters = unknown.flatMap(({ board, period, value }) => [board.id, period, userId, value, at, version]);
      stored = new Map(this.upsertFor(unknown.length).all(...parameters).map((row) => [row.board, row]));
    }
    return counted.map(({ board, period, value }, i) => {
      const before = known[i];
      let total: Total;
      if (before === undefined) {
        const row = stored?.get(board.id) as ReturnedTotal;
        total = { score: row.score, reachedAt: row.reached_at, version };
      } else {
        total = nextTotal(board.aggregate, before, value, at, version);
        // A player acting again before the write is already listed: nothing to allocate.
        if (!this.unwritten.has(keys[i] as string)) this.unwritten.set(keys[i] as string, { board: board.id, period, userId });
      }
      this.knownTotals.set(keys[i] as string, total);
      return { board: board.id, period, score: total.score, reachedAt: total.reachedAt, version };
    });
  }

  /** Writes `unwritten` and moves the checkpoint to the last ledger id; inside a transaction. */
  private writeUnwritten(): void {
    const rows = [...this.unwritten].map(([key, { board, period, userId }]) => {
      const total = this.knownTotals.get(key) as Total;
      return [board, period, userId, total.score, total.reachedAt, total.version];
    });
    for (let i = 0; i < rows.length; i += TOTALS_PER_WRITE) {
      const chunk = rows.slice(i, i + TOTALS_PER_WRITE);
      this.writeFor(chunk.length).run(...chunk.flat());
    }
    this.statements.setCheckpoint.run(this.nextId - 1);
    this.unwritten.clear();
    this.lastWriteAt = performance.now();
  }

  private writeWhenIdle(): void {
    this.idleWrite = undefined;
    if (!this.db.open || this.unwritten.size === 0) return;
    try {
      this.flushTotals();
    } catch {
      // Left to the next batch: it counts the rows past the checkpoint again (`totalsStale`).
    }
  }

  private forgetWorkedOutTotals(): void {
    this.knownTotals.clear();
    this.unwritten.clear();
    this.totalsStale = true;
  }

  /**
   * Brings `board_totals` up to the ledger: counts the accepted rows past the checkpoint again,
   * in id order, onto the stored totals, and writes them. A total whose version is already the
   * row's or later has it (versions follow the ledger order), so counting never doubles: a row
   * whose totals were written at once (a player new to this process) is skipped for them.
   * Runs at start (after a crash, the totals still unwritten then) and after a rollback.
   */
  private recoverTotals(): void {
    const s = this.statements;
    this.knownTotals.clear();
    this.unwritten.clear();
    this.db.transaction(() => {
      const rows = s.acceptedAfter.all(s.checkpoint.get()?.id ?? 0);
      for (const row of rows) {
        for (const { board, period, value } of this.counter.counted(storedValues(row.points, row.metric_values), row.at)) {
          const key = totalKey(board.id, period, row.user_id);
          let current = this.knownTotals.get(key);
          if (current === undefined) {
            const stored = s.storedTotal.get(board.id, period, row.user_id);
            current = stored && { score: stored.score, reachedAt: stored.reached_at, version: stored.version };
          }
          if (current !== undefined && current.version >= row.id) continue;
          this.knownTotals.set(key, nextTotal(board.aggregate, current, value, row.at, row.id));
          this.unwritten.set(key, { board: board.id, period, userId: row.user_id });
        }
      }
      this.writeUnwritten();
    })();
    this.totalsStale = false;
  }

  private decideHeld(actionId: number, decision: ReviewDecision, now: number): ReviewOutcome {
    const s = this.statements;
    const row = s.reviewRow.get(actionId);
    if (!row) return { status: 'not_found' };
    if (row.status !== 'held') return { status: 'conflict', current: row.status };
    if (decision === 'reject') {
      s.reject.run(actionId);
      return { status: 'rejected', userId: row.user_id, type: row.type };
    }
    const values = storedValues(row.points, row.metric_values);
    const version = this.nextId++;
    const totals = this.addToTotals(this.counter.countedAsOf(values, row.at, now), row.user_id, row.at, version);
    // An approval is no ledger row past the checkpoint: its totals are written now, not recovered.
    this.writeUnwritten();
    s.approve.run(version, JSON.stringify(Object.fromEntries(totals.map((total) => [total.board, total.score]))), actionId);
    const approved = { status: 'approved' as const, userId: row.user_id, type: row.type };
    if (totals.length === 0) return approved;
    const event: ScoreUpdated = { type: 'score.updated', actionId: String(row.id), userId: row.user_id, points: row.points, values, at: row.at, totals };
    const { id: outboxId } = s.insertEvent.get(JSON.stringify(event)) as { id: number };
    return { ...approved, committed: { outboxId, event } };
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

    const id = this.nextId++;
    if (action.held) {
      s.insertAction.run(id, action.userId, action.type, action.points, JSON.stringify(action.values), action.at, action.idempotencyKey, '{}', 'held', action.held.reason);
      if (next) s.saveState.run(action.userId, action.type, next.lastAt, next.day, next.dayCount);
      const receipt = heldReceipt(id, action);
      this.webhooks?.write([{ type: 'action.held', data: { action: { ...receipt.action, status: 'held' }, userId: action.userId } }], action.at);
      return { status: 'held', receipt };
    }
    const totals = this.addToTotals(this.counter.counted(action.values, action.at), action.userId, action.at, id);
    const totalsByBoard = Object.fromEntries(totals.map((total) => [total.board, total.score]));
    s.insertAction.run(id, action.userId, action.type, action.points, JSON.stringify(action.values), action.at, action.idempotencyKey, JSON.stringify(totalsByBoard), 'accepted', null);
    if (next) s.saveState.run(action.userId, action.type, next.lastAt, next.day, next.dayCount);
    if (action.ticketId !== undefined) s.spendTicket.run(action.ticketId, action.at);

    const event: ScoreUpdated = {
      type: 'score.updated',
      actionId: String(id),
      userId: action.userId,
      points: action.points,
      values: action.values,
      at: action.at,
      totals,
    };
    const { id: outboxId } = s.insertEvent.get(JSON.stringify(event)) as { id: number };
    const receipt: ActionReceipt = {
      action: { id: String(id), type: action.type, points: action.points, values: action.values, at: new Date(action.at).toISOString() },
      totals: totalsByBoard,
    };
    return { status: 'accepted', receipt, committed: { outboxId, event } };
  }
}

/** Most totals kept in `knownTotals` (about 15 MB); past it they are written and the map starts afresh. */
const KNOWN_TOTALS_LIMIT = 100_000;
/** How long totals worked out in memory may wait to be written (they wait only while actions arrive). */
const TOTALS_WRITE_INTERVAL_MS = 1000;
/** Unwritten totals that make a write due sooner. */
const UNWRITTEN_LIMIT = 20_000;
/** Totals per INSERT when they are written. */
const TOTALS_PER_WRITE = 64;

function totalKey(board: string, period: string, userId: string): string {
  return `${board}\u0000${period}\u0000${userId}`;
}

function toReceipt(row: ReceiptRow): ActionReceipt {
  const action = { id: String(row.id), type: row.type, points: row.points, values: storedValues(row.points, row.metric_values), at: new Date(row.at).toISOString() };
  // A held action replays as it was answered (held), whatever was decided since.
  if (row.status !== 'accepted') return { action: { ...action, status: 'held' }, totals: {} };
  return { action, totals: JSON.parse(row.totals) as Record<string, number> };
}

function toHeldAction(row: ReviewRow): HeldAction {
  return {
    action: { id: String(row.id), type: row.type, values: storedValues(row.points, row.metric_values), at: row.at },
    userId: row.user_id,
    reason: row.review_reason ?? 'held for review',
  };
}

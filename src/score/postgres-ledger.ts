import { createHash } from 'node:crypto';
import { DEFAULT_BOARDS, type BoardDefinition } from '../platform/boards.js';
import type { BoardTotal, ScoreUpdated } from '../platform/events.js';
import { inTransaction, type PostgresClient, type PostgresPool } from '../platform/postgres.js';
import { checkLimits, isLimited, type ActionState } from './action-limits.js';
import { BoardCounter, definitionSignature, nextTotal, storedValues, totalsFromLedger, type LedgerValuesRow, type Total } from './board-totals.js';
import { heldReceipt, type ActionReceipt, type ActionToRecord, type CommittedEvent, type Ledger, type Outbox, type RecordOutcome } from './ledger.js';
import type { HeldAction, PostgresWebhookWriter, ReviewDecision, ReviewOutcome, ReviewQueue, WebhookEvent } from '../moderation/index.js';

/** Ledger rows per round trip while a board is refilled. */
const REFILL_PAGE_ROWS = 50_000;
/** Totals per INSERT while a board is refilled. */
const REFILL_INSERT_ROWS = 10_000;

interface ReviewRow {
  id: string;
  user_id: string;
  type: string;
  points: string;
  metric_values: string | null;
  at: string;
  status: string;
  review_reason: string | null;
}

const REVIEW_COLUMNS = 'id, user_id, type, points, metric_values, at, status, review_reason';

interface ReceiptRow {
  user_id: string;
  idempotency_key: string;
  id: string;
  type: string;
  points: string;
  metric_values: string | null;
  at: string;
  totals: string;
  status: string;
}

/** What one batch writes, gathered while its actions are decided in order. */
interface BatchWrites {
  ledger: { id: string; action: ActionToRecord; totals: string; status: 'accepted' | 'held'; reason: string | null }[];
  totals: Map<string, { board: string; period: string; userId: string } & Total>;
  states: Map<string, { userId: string; type: string } & ActionState>;
  tickets: { id: string; at: number }[];
  outbox: { id: string; event: string }[];
  /** `action.held` of the batch's held actions. */
  webhooks: WebhookEvent[];
}

export interface PostgresLedgerOptions {
  /** This process's name on the outbox rows it writes (a random id per start). */
  owner: string;
  boards?: readonly BoardDefinition[];
  /** Where `action.held` goes, in the transaction that holds the action. */
  webhooks?: PostgresWebhookWriter;
}

/**
 * `Ledger`, `Outbox` and `ReviewQueue` on PostgreSQL, shared by every score node.
 *
 * A batch is one transaction that first takes an advisory lock per user it touches (in one
 * global order, so two nodes never deadlock), then reads what its checks need in a few set
 * queries, decides every action in order in memory — exactly the rules of the embedded
 * ledger — and writes all rows with one multi-row statement per table. The lock makes a
 * user's cooldowns, caps and totals race-free across nodes; users of different batches
 * never wait for each other.
 */
export class PostgresLedger implements Ledger, Outbox, ReviewQueue {
  private readonly counter: BoardCounter;
  private readonly owner: string;
  private readonly webhooks: PostgresWebhookWriter | undefined;

  constructor(
    private readonly pool: PostgresPool,
    options: PostgresLedgerOptions,
  ) {
    this.counter = new BoardCounter(options.boards ?? DEFAULT_BOARDS);
    this.owner = options.owner;
    this.webhooks = options.webhooks;
  }

  async findReceipt(userId: string, idempotencyKey: string): Promise<ActionReceipt | undefined> {
    const { rows } = await this.pool.query<ReceiptRow>(
      'SELECT user_id, idempotency_key, id, type, points, metric_values, at, totals, status FROM ledger WHERE user_id = $1 AND idempotency_key = $2',
      [userId, idempotencyKey],
    );
    return rows[0] && toReceipt(rows[0]);
  }

  async record(actions: readonly ActionToRecord[]): Promise<RecordOutcome[]> {
    if (actions.length === 0) return [];
    return inTransaction(this.pool, async (client) => {
      await lockUsers(client, actions.map((action) => action.userId));
      const receipts = await this.existingReceipts(client, actions);
      const spentTickets = await this.spentTickets(client, actions);
      const states = await this.actionStates(client, actions);
      const totals = await this.currentTotals(client, actions);
      const ids = await this.allocateIds(client, actions.length);

      const writes: BatchWrites = { ledger: [], totals: new Map(), states: new Map(), tickets: [], outbox: [], webhooks: [] };
      const outcomes = actions.map((action, i) => this.decideAction(action, ids[i] as { ledger: string; outbox: string }, { receipts, spentTickets, states, totals }, writes));
      await this.write(client, writes);
      return outcomes;
    });
  }

  async heldActions(limit: number, offset: number): Promise<{ total: number; held: HeldAction[] }> {
    // `status <> 'accepted'` in both queries: the partial index answers them.
    const [count, page] = await Promise.all([
      this.pool.query<{ n: string }>("SELECT count(*) AS n FROM ledger WHERE status <> 'accepted' AND status = 'held'"),
      this.pool.query<ReviewRow>(`SELECT ${REVIEW_COLUMNS} FROM ledger WHERE status <> 'accepted' AND status = 'held' ORDER BY id LIMIT $1 OFFSET $2`, [limit, offset]),
    ]);
    return { total: Number(count.rows[0]?.n ?? 0), held: page.rows.map(toHeldAction) };
  }

  /**
   * Under the user's advisory lock, as a batch of actions takes it: the approval's totals
   * and the user's new actions never interleave, and two admins deciding at once on two
   * nodes queue behind each other — the second finds the action decided.
   */
  async decide(actionId: string, decision: ReviewDecision, now: number): Promise<ReviewOutcome> {
    return inTransaction(this.pool, async (client) => {
      const owner = await client.query<{ user_id: string }>('SELECT user_id FROM ledger WHERE id = $1', [actionId]);
      const userId = owner.rows[0]?.user_id;
      if (userId === undefined) return { status: 'not_found' };
      await lockUsers(client, [userId]);
      const row = (await client.query<ReviewRow>(`SELECT ${REVIEW_COLUMNS} FROM ledger WHERE id = $1`, [actionId])).rows[0] as ReviewRow;
      if (row.status !== 'held') return { status: 'conflict', current: row.status };
      if (decision === 'reject') {
        await client.query("UPDATE ledger SET status = 'rejected' WHERE id = $1", [actionId]);
        return { status: 'rejected', userId, type: row.type };
      }
      const at = Number(row.at);
      const values = storedValues(Number(row.points), row.metric_values);
      const counted = this.counter.countedAsOf(values, at, now);
      const [ids] = await this.allocateIds(client, 1);
      const version = Number(ids?.ledger);
      const current = await readTotals(client, counted.map(({ board, period }) => [board.id, period, userId]));
      const totals: BoardTotal[] = [];
      const writes: ({ board: string; period: string; userId: string } & Total)[] = [];
      for (const { board, period, value } of counted) {
        const total = nextTotal(board.aggregate, current.get(totalKey(board.id, period, userId)), value, at, version);
        writes.push({ board: board.id, period, userId, ...total });
        totals.push({ board: board.id, period, score: total.score, reachedAt: total.reachedAt, version });
      }
      if (writes.length > 0) await insertTotals(client, writes, 'overwrite');
      const totalsByBoard = JSON.stringify(Object.fromEntries(totals.map((total) => [total.board, total.score])));
      await client.query("UPDATE ledger SET status = 'approved', approved_version = $2, totals = $3 WHERE id = $1", [actionId, version, totalsByBoard]);
      const approved = { status: 'approved' as const, userId, type: row.type };
      if (totals.length === 0) return approved;
      const event: ScoreUpdated = { type: 'score.updated', actionId: row.id, userId, points: Number(row.points), values, at, totals };
      await client.query('INSERT INTO outbox (id, owner, event) VALUES ($1, $2, $3)', [ids?.outbox, this.owner, JSON.stringify(event)]);
      return { ...approved, committed: { outboxId: Number(ids?.outbox), event } };
    });
  }

  async published(outboxId: number): Promise<void> {
    await this.pool.query('DELETE FROM outbox WHERE id = $1', [outboxId]);
  }

  async pending(limit: number): Promise<CommittedEvent[]> {
    const { rows } = await this.pool.query<{ id: string; event: string }>('SELECT id, event FROM outbox WHERE owner = $1 ORDER BY id LIMIT $2', [
      this.owner,
      limit,
    ]);
    return rows.map((row) => ({ outboxId: Number(row.id), event: JSON.parse(row.event) as ScoreUpdated }));
  }

  async acknowledge(upToId: number): Promise<void> {
    await this.pool.query('DELETE FROM outbox WHERE owner = $1 AND id <= $2', [this.owner, upToId]);
  }

  async forgetSpentTickets(usedBefore: number, limit: number): Promise<number> {
    const { rowCount } = await this.pool.query(
      'DELETE FROM used_tickets WHERE ticket_id IN (SELECT ticket_id FROM used_tickets WHERE used_at < $1 LIMIT $2)',
      [usedBefore, limit],
    );
    return rowCount ?? 0;
  }

  /**
   * Publishes and deletes outbox rows other nodes wrote more than `graceMs` ago and never
   * relayed (their process died). Rows are locked while published, so two sweeping nodes
   * never both take one; a crash mid-sweep leaves them for the next sweep.
   * @returns how many rows were swept
   */
  async sweepOrphans(publish: (event: ScoreUpdated) => Promise<void>, graceMs: number, limit = 500): Promise<number> {
    return inTransaction(this.pool, async (client) => {
      const { rows } = await client.query<{ id: string; event: string }>(
        `SELECT id, event FROM outbox
         WHERE owner <> $1 AND created_at < now() - make_interval(secs => $2::double precision / 1000)
         ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED`,
        [this.owner, graceMs, limit],
      );
      for (const row of rows) await publish(JSON.parse(row.event) as ScoreUpdated);
      if (rows.length > 0) await client.query('DELETE FROM outbox WHERE id = ANY($1::bigint[])', [rows.map((row) => row.id)]);
      return rows.length;
    });
  }

  async filledBoards(): Promise<Map<string, string>> {
    const { rows } = await this.pool.query<{ board: string; signature: string }>('SELECT board, signature FROM board_definitions');
    return new Map(rows.map((row) => [row.board, row.signature]));
  }

  /** Reads the rows a page at a time (by id, not OFFSET), then replaces the period's totals in one transaction. */
  async refillBoard(board: BoardDefinition, period: string, range: { from?: number; to?: number }): Promise<number> {
    const from = range.from ?? Number.MIN_SAFE_INTEGER;
    const to = range.to ?? Number.MAX_SAFE_INTEGER;
    const rows: LedgerValuesRow[] = [];
    let after = 0;
    for (;;) {
      const page = await this.pool.query<{ id: string; user_id: string; at: string; points: string; metric_values: string | null }>(
        "SELECT id, user_id, at, points, metric_values FROM ledger WHERE id > $1 AND at >= $2 AND at < $3 AND status IN ('accepted', 'approved') ORDER BY id LIMIT $4",
        [after, from, to, REFILL_PAGE_ROWS],
      );
      for (const row of page.rows) rows.push({ id: Number(row.id), userId: row.user_id, at: Number(row.at), values: storedValues(Number(row.points), row.metric_values) });
      if (page.rows.length < REFILL_PAGE_ROWS) break;
      after = Number((page.rows.at(-1) as { id: string }).id);
    }
    const totals = [...totalsFromLedger(board, rows)].map(([userId, total]) => ({ board: board.id, period, userId, ...total }));
    await inTransaction(this.pool, async (client) => {
      await client.query('DELETE FROM board_totals WHERE board = $1 AND period = $2', [board.id, period]);
      for (let start = 0; start < totals.length; start += REFILL_INSERT_ROWS) await insertTotals(client, totals.slice(start, start + REFILL_INSERT_ROWS), 'insert');
      await client.query(
        `INSERT INTO board_definitions (board, signature, filled_at) VALUES ($1, $2, $3)
         ON CONFLICT (board) DO UPDATE SET signature = excluded.signature, filled_at = excluded.filled_at`,
        [board.id, definitionSignature(board), Date.now()],
      );
    });
    return rows.length;
  }

  /** Decides one action against what storage held plus what this batch already decided. */
  private decideAction(
    action: ActionToRecord,
    ids: { ledger: string; outbox: string },
    seen: {
      receipts: Map<string, ActionReceipt>;
      spentTickets: Set<string>;
      states: Map<string, ActionState>;
      totals: Map<string, Total>;
    },
    writes: BatchWrites,
  ): RecordOutcome {
    const receiptKey = `${action.userId}\u0000${action.idempotencyKey}`;
    // Checked against the batch too: two requests with one key in one batch count once.
    const existing = seen.receipts.get(receiptKey);
    if (existing) return { status: 'replayed', receipt: existing };
    if (action.ticketId !== undefined && seen.spentTickets.has(action.ticketId)) return { status: 'rejected', code: 'ticket_used' };

    const stateKey = `${action.userId}\u0000${action.type}`;
    let next: ActionState | undefined;
    if (isLimited(action)) {
      const verdict = checkLimits(action, seen.states.get(stateKey));
      if ('rejected' in verdict) return verdict.rejected;
      next = verdict.next;
    }

    if (next) {
      seen.states.set(stateKey, next);
      writes.states.set(stateKey, { userId: action.userId, type: action.type, ...next });
    }
    if (action.held) {
      const receipt = heldReceipt(ids.ledger, action);
      seen.receipts.set(receiptKey, receipt);
      writes.ledger.push({ id: ids.ledger, action, totals: '{}', status: 'held', reason: action.held.reason });
      writes.webhooks.push({ type: 'action.held', data: { action: { ...receipt.action, status: 'held' }, userId: action.userId } });
      return { status: 'held', receipt };
    }
    const version = Number(ids.ledger);
    const totals: BoardTotal[] = this.counter.counted(action.values, action.at).map(({ board, period, value }) => {
      const key = totalKey(board.id, period, action.userId);
      const total = nextTotal(board.aggregate, seen.totals.get(key), value, action.at, version);
      seen.totals.set(key, total);
      writes.totals.set(key, { board: board.id, period, userId: action.userId, ...total });
      return { board: board.id, period, score: total.score, reachedAt: total.reachedAt, version };
    });
    const totalsByBoard = Object.fromEntries(totals.map((total) => [total.board, total.score]));
    if (action.ticketId !== undefined) {
      seen.spentTickets.add(action.ticketId);
      writes.tickets.push({ id: action.ticketId, at: action.at });
    }
    const receipt: ActionReceipt = {
      action: { id: ids.ledger, type: action.type, points: action.points, values: action.values, at: new Date(action.at).toISOString() },
      totals: totalsByBoard,
    };
    seen.receipts.set(receiptKey, receipt);
    writes.ledger.push({ id: ids.ledger, action, totals: JSON.stringify(totalsByBoard), status: 'accepted', reason: null });
    const event: ScoreUpdated = {
      type: 'score.updated',
      actionId: ids.ledger,
      userId: action.userId,
      points: action.points,
      values: action.values,
      at: action.at,
      totals,
    };
    writes.outbox.push({ id: ids.outbox, event: JSON.stringify(event) });
    return { status: 'accepted', receipt, committed: { outboxId: Number(ids.outbox), event } };
  }

  private async existingReceipts(client: PostgresClient, actions: readonly ActionToRecord[]): Promise<Map<string, ActionReceipt>> {
    const { rows } = await client.query<ReceiptRow>(
      `SELECT l.user_id, l.idempotency_key, l.id, l.type, l.points, l.metric_values, l.at, l.totals, l.status
       FROM ledger l JOIN unnest($1::text[], $2::text[]) AS k(user_id, idempotency_key)
         ON l.user_id = k.user_id AND l.idempotency_key = k.idempotency_key`,
      [actions.map((a) => a.userId), actions.map((a) => a.idempotencyKey)],
    );
    return new Map(rows.map((row) => [`${row.user_id}\u0000${row.idempotency_key}`, toReceipt(row)]));
  }

  private async spentTickets(client: PostgresClient, actions: readonly ActionToRecord[]): Promise<Set<string>> {
    const tickets = actions.flatMap((a) => (a.ticketId === undefined ? [] : [a.ticketId]));
    if (tickets.length === 0) return new Set();
    const { rows } = await client.query<{ ticket_id: string }>('SELECT ticket_id FROM used_tickets WHERE ticket_id = ANY($1::text[])', [tickets]);
    return new Set(rows.map((row) => row.ticket_id));
  }

  private async actionStates(client: PostgresClient, actions: readonly ActionToRecord[]): Promise<Map<string, ActionState>> {
    // Only actions with a cooldown or a cap keep state: the hot path (a click) reads none.
    const limited = actions.filter(isLimited);
    if (limited.length === 0) return new Map();
    const { rows } = await client.query<{ user_id: string; type: string; last_at: string; day: string; day_count: number }>(
      `SELECT s.user_id, s.type, s.last_at, s.day, s.day_count
       FROM action_state s JOIN unnest($1::text[], $2::text[]) AS k(user_id, type) ON s.user_id = k.user_id AND s.type = k.type`,
      [limited.map((a) => a.userId), limited.map((a) => a.type)],
    );
    return new Map(rows.map((row) => [`${row.user_id}\u0000${row.type}`, { lastAt: Number(row.last_at), day: row.day, dayCount: row.day_count }]));
  }

  private async currentTotals(client: PostgresClient, actions: readonly ActionToRecord[]): Promise<Map<string, Total>> {
    const keys = new Map<string, [string, string, string]>();
    for (const action of actions) {
      for (const { board, period } of this.counter.counted(action.values, action.at)) {
        keys.set(totalKey(board.id, period, action.userId), [board.id, period, action.userId]);
      }
    }
    return readTotals(client, [...keys.values()]);
  }

  /** Ledger and outbox ids for every action of the batch in one round trip (a rejected action wastes its pair). */
  private async allocateIds(client: PostgresClient, count: number): Promise<{ ledger: string; outbox: string }[]> {
    const { rows } = await client.query<{ ledger: string; outbox: string }>(
      "SELECT nextval('ledger_id_seq') AS ledger, nextval('outbox_id_seq') AS outbox FROM generate_series(1, $1)",
      [count],
    );
    return rows;
  }

  private async write(client: PostgresClient, writes: BatchWrites): Promise<void> {
    if (writes.ledger.length > 0) {
      await client.query(
        `INSERT INTO ledger (id, user_id, type, points, metric_values, at, idempotency_key, totals, status, review_reason)
         SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::bigint[], $7::text[], $8::text[], $9::text[], $10::text[])`,
        [
          writes.ledger.map((row) => row.id),
          writes.ledger.map((row) => row.action.userId),
          writes.ledger.map((row) => row.action.type),
          writes.ledger.map((row) => row.action.points),
          writes.ledger.map((row) => JSON.stringify(row.action.values)),
          writes.ledger.map((row) => row.action.at),
          writes.ledger.map((row) => row.action.idempotencyKey),
          writes.ledger.map((row) => row.totals),
          writes.ledger.map((row) => row.status),
          writes.ledger.map((row) => row.reason),
        ],
      );
    }
    const totals = [...writes.totals.values()];
    if (totals.length > 0) await insertTotals(client, totals, 'overwrite');
    const states = [...writes.states.values()];
    if (states.length > 0) {
      await client.query(
        `INSERT INTO action_state (user_id, type, last_at, day, day_count)
         SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::integer[])
         ON CONFLICT (user_id, type) DO UPDATE SET last_at = excluded.last_at, day = excluded.day, day_count = excluded.day_count`,
        [states.map((s) => s.userId), states.map((s) => s.type), states.map((s) => s.lastAt), states.map((s) => s.day), states.map((s) => s.dayCount)],
      );
    }
    if (writes.tickets.length > 0) {
      await client.query('INSERT INTO used_tickets (ticket_id, used_at) SELECT * FROM unnest($1::text[], $2::bigint[])', [
        writes.tickets.map((t) => t.id),
        writes.tickets.map((t) => t.at),
      ]);
    }
    if (writes.webhooks.length > 0) await this.webhooks?.writeWith(client, writes.webhooks, Date.now());
    if (writes.outbox.length > 0) {
      await client.query('INSERT INTO outbox (id, owner, event) SELECT id, $2, event FROM unnest($1::bigint[], $3::text[]) AS o(id, event)', [
        writes.outbox.map((o) => o.id),
        this.owner,
        writes.outbox.map((o) => o.event),
      ]);
    }
  }
}

/**
 * One advisory lock per user of the batch, taken in the order of their 64-bit keys: every
 * node takes them in the same order, so two batches sharing users wait, never deadlock.
 */
/** The stored totals of `(board, period, userId)` keys, in one query. */
async function readTotals(client: PostgresClient, wanted: readonly (readonly [string, string, string])[]): Promise<Map<string, Total>> {
  if (wanted.length === 0) return new Map();
  const { rows } = await client.query<{ board: string; period: string; user_id: string; score: number; reached_at: string; version: string }>(
    `SELECT t.board, t.period, t.user_id, t.score, t.reached_at, t.version
     FROM board_totals t JOIN unnest($1::text[], $2::text[], $3::text[]) AS k(board, period, user_id)
       ON t.board = k.board AND t.period = k.period AND t.user_id = k.user_id`,
    [wanted.map((k) => k[0]), wanted.map((k) => k[1]), wanted.map((k) => k[2])],
  );
  return new Map(rows.map((row) => [totalKey(row.board, row.period, row.user_id), { score: row.score, reachedAt: Number(row.reached_at), version: Number(row.version) }]));
}

async function lockUsers(client: PostgresClient, userIds: readonly string[]): Promise<void> {
  const keys = [...new Set(userIds.map(lockKey))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  await client.query('SELECT count(pg_advisory_xact_lock(k)) FROM unnest($1::bigint[]) AS k', [keys.map(String)]);
}

function lockKey(userId: string): bigint {
  return createHash('sha1').update(`user:${userId}`).digest().readBigInt64BE(0);
}

/**
 * Writes totals with one statement. `overwrite`: values decided under the users' locks
 * replace what is stored; `insert`: the period was just emptied.
 */
async function insertTotals(client: PostgresClient, totals: readonly ({ board: string; period: string; userId: string } & Total)[], mode: 'overwrite' | 'insert'): Promise<void> {
  await client.query(
    `INSERT INTO board_totals (board, period, user_id, score, reached_at, version)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::float8[], $5::bigint[], $6::bigint[])
     ${mode === 'overwrite' ? 'ON CONFLICT (board, period, user_id) DO UPDATE SET score = excluded.score, reached_at = excluded.reached_at, version = excluded.version' : ''}`,
    [
      totals.map((t) => t.board),
      totals.map((t) => t.period),
      totals.map((t) => t.userId),
      totals.map((t) => t.score),
      totals.map((t) => t.reachedAt),
      totals.map((t) => t.version),
    ],
  );
}

function totalKey(board: string, period: string, userId: string): string {
  return `${board}\u0000${period}\u0000${userId}`;
}

function toReceipt(row: ReceiptRow): ActionReceipt {
  const points = Number(row.points);
  const action = { id: row.id, type: row.type, points, values: storedValues(points, row.metric_values), at: new Date(Number(row.at)).toISOString() };
  // A held action replays as it was answered (held), whatever was decided since.
  if (row.status !== 'accepted') return { action: { ...action, status: 'held' }, totals: {} };
  return { action, totals: JSON.parse(row.totals) as Record<string, number> };
}

function toHeldAction(row: ReviewRow): HeldAction {
  return {
    action: { id: row.id, type: row.type, values: storedValues(Number(row.points), row.metric_values), at: Number(row.at) },
    userId: row.user_id,
    reason: row.review_reason ?? 'held for review',
  };
}

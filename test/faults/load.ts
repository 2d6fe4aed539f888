import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { onTestFinished } from 'vitest';
import type { BoardEntry } from '../../src/platform/events.js';
import { withPostgresClient } from '../support/scratch-stores.js';
import { TestClient, type Player, type TestSocket } from '../support/test-client.js';

/**
 * What the fault tests drive: a steady stream of actions, board watchers, and the two views to
 * compare. Players come from the test client (`testClient(url).players(count, prefix)`).
 */

export interface Attempt {
  player: Player;
  key: string;
  /** When the request was sent (Date.now()). */
  sentAt: number;
  /** The HTTP status; `pending` until it comes, `error` when the connection failed without an answer, `timeout` when none came in 15 s. */
  outcome: number | 'pending' | 'error' | 'timeout';
  /** How long the answer (or the failure) took. */
  latencyMs?: number;
  /** The error's message when `outcome` is `error`. */
  error?: string;
}

/**
 * `click` actions from `concurrency` workers, each taking the players in turn, sent to
 * whatever `target()` answers at the time, until `stop()`. Every action gets a fresh
 * idempotency key; every attempt and its outcome is kept.
 */
export class ActionStream {
  readonly attempts: Attempt[] = [];
  /** Idempotency key → the acknowledged action's id (one entry per 201). */
  readonly acknowledged = new Map<string, { player: Player; id: string }>();
  private stopped = false;
  /** Keeps the keys of two streams in one test apart. */
  private readonly id = randomBytes(4).toString('hex');
  private readonly workers: Promise<void>[];
  /** One client per node the stream has sent to (`target()` moves when a node restarts elsewhere). */
  private readonly clients = new Map<string, TestClient>();

  constructor(
    private readonly target: () => string,
    private readonly players: readonly Player[],
    { concurrency = 8, pauseMs = 0 }: { concurrency?: number; pauseMs?: number } = {},
  ) {
    this.workers = Array.from({ length: concurrency }, (_, w) => this.work(w, pauseMs));
  }

  get count(): number {
    return this.attempts.length;
  }

  /** Attempts by outcome, e.g. `{201: 812, 503: 40, error: 3}` (in-flight ones as `pending`). */
  outcomes(from = 0): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const attempt of this.attempts.slice(from)) counts[attempt.outcome] = (counts[attempt.outcome] ?? 0) + 1;
    return counts;
  }

  /** Resolves once `n` more actions were acknowledged. */
  async acknowledgedMore(n: number, timeoutMs = 20_000): Promise<void> {
    const goal = this.acknowledged.size + n;
    const deadline = Date.now() + timeoutMs;
    while (this.acknowledged.size < goal) {
      if (Date.now() > deadline) throw new Error(`only ${this.acknowledged.size} of ${goal} actions acknowledged in ${timeoutMs} ms: ${JSON.stringify(this.outcomes())}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.workers);
  }

  /** The slowest answer of the attempts from index `from` to `to`. */
  slowestMs(from = 0, to = this.attempts.length): number {
    return Math.max(0, ...this.attempts.slice(from, to).map((attempt) => attempt.latencyMs ?? 0));
  }

  private async work(w: number, pauseMs: number): Promise<void> {
    for (let n = 0; !this.stopped; n += 1) {
      const player = this.players[(w + n) % this.players.length] as Player;
      const attempt: Attempt = { player, key: `${this.id}-w${w}-n${n}`, sentAt: Date.now(), outcome: 'pending' };
      this.attempts.push(attempt);
      try {
        const response = await this.client(this.target()).act(player.token, { idempotencyKey: attempt.key });
        attempt.outcome = response.status;
        attempt.latencyMs = Date.now() - attempt.sentAt;
        const body = (await response.json()) as { action?: { id: string } };
        if (response.status === 201 && body.action) this.acknowledged.set(attempt.key, { player, id: body.action.id });
      } catch (error) {
        attempt.outcome = error instanceof DOMException && error.name === 'TimeoutError' ? 'timeout' : 'error';
        attempt.latencyMs = Date.now() - attempt.sentAt;
        const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : '';
        attempt.error = error instanceof Error ? `${error.message}${cause}` : String(error);
        // The node is gone or restarting: do not spin.
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  }

  private client(url: string): TestClient {
    const client = this.clients.get(url) ?? new TestClient(url);
    this.clients.set(url, client);
    return client;
  }
}

/** `userId → score` of the first 100 entries of a board, as `GET /api/v1/leaderboards/{board}` answers. */
export async function boardScores(url: string, board = 'global'): Promise<Map<string, number>> {
  const page = await new TestClient(url).board(board, '?limit=100');
  return new Map(page.entries.map((entry) => [entry.userId, entry.score]));
}

/** `userId → sum of points` in an embedded data dir's ledger (read-only, safe beside a running server: WAL). */
export function sqliteLedgerSums(databaseFile: string): Map<string, number> {
  const db = new Database(databaseFile, { readonly: true });
  try {
    const rows = db.prepare<[], { user_id: string; total: number }>('SELECT user_id, sum(points) AS total FROM ledger GROUP BY user_id').all();
    return new Map(rows.map((row) => [row.user_id, row.total]));
  } finally {
    db.close();
  }
}

/** `userId → sum of points` in a distributed deployment's PostgreSQL ledger. */
export async function postgresLedgerSums(databaseUrl: string): Promise<Map<string, number>> {
  const { rows } = await withPostgresClient(databaseUrl, (client) =>
    client.query<{ user_id: string; total: string }>('SELECT user_id, sum(points) AS total FROM ledger GROUP BY user_id'),
  );
  return new Map(rows.map((row) => [row.user_id, Number(row.total)]));
}

/** The ids of the given idempotency keys' ledger rows in PostgreSQL (`key → id`). */
export async function postgresLedgerIds(databaseUrl: string): Promise<Map<string, string>> {
  const { rows } = await withPostgresClient(databaseUrl, (client) => client.query<{ idempotency_key: string; id: string }>('SELECT idempotency_key, id FROM ledger'));
  return new Map(rows.map((row) => [row.idempotency_key, String(row.id)]));
}

/** Sorted `[userId, score]` pairs: the form two views of a board are compared in. */
export const sorted = (scores: ReadonlyMap<string, number>): [string, number][] => [...scores].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

/**
 * A browser's view of the global board: the latest top it was sent. When its node drops it,
 * it reconnects — like the browser client — to the next node of `nodes()` and subscribes
 * again, which answers a fresh snapshot.
 */
export class BoardWatcher {
  top: BoardEntry[] = [];
  /** Close codes received, in order. */
  readonly closeCodes: number[] = [];
  snapshots = 0;
  connectedTo = '';
  private socket: TestSocket | undefined;
  private finished = false;

  private constructor(
    private readonly nodes: () => readonly string[],
    private readonly reconnect: boolean,
  ) {
    onTestFinished(() => {
      this.finished = true;
      this.socket?.close();
    });
  }

  static async open(nodes: () => readonly string[], { reconnect = true, first = 0 } = {}): Promise<BoardWatcher> {
    const watcher = new BoardWatcher(nodes, reconnect);
    await watcher.connect(first);
    return watcher;
  }

  get open(): boolean {
    return this.socket?.isOpen ?? false;
  }

  private async connect(index: number): Promise<void> {
    const list = this.nodes();
    const url = list[index % list.length] as string;
    const socket = (this.socket = new TestClient(url).socket({ keep: false }));
    socket.onMessage((message) => {
      if (message.type === 'snapshot') this.snapshots += 1;
      if ((message.type === 'snapshot' || message.type === 'update') && message.board === 'global') this.top = message.entries;
    });
    socket.socket.on('close', (code) => {
      this.closeCodes.push(code);
      if (!this.reconnect || this.finished) return;
      // Next node, after a short pause (the browser client backs off the same way).
      setTimeout(() => void this.connect(index + 1).catch(() => {}), 100);
    });
    await socket.open();
    this.connectedTo = url;
    socket.subscribe('global', 100);
  }
}

/** The error-level lines (pino level ≥ 50) of a server's log, for an assertion's message. */
export function serverErrors(output: string): string {
  return output
    .split('\n')
    .filter((line) => /"level":(50|60)/.test(line))
    .slice(0, 5)
    .join('\n')
    .slice(0, 4_000);
}

import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { TokenVerifier } from '../auth/index.js';
import { AppError } from '../platform/errors.js';
import type { BoardChanged, BoardEntry, RanksMoved, UserRank } from '../platform/events.js';
import type { Logger } from '../platform/logger.js';
import { AroundMeWindows, type WindowReader, type WindowSubscriber } from './around-me.js';
import { BoardFeed, diffTops } from './board-feed.js';
import { parseClientMessage, type ServerMessage } from './protocol.js';
import type { RealtimeMetrics } from './realtime-metrics.js';

export const WS_PATH = '/ws';

export interface RealtimeOptions {
  /** At most one update per board per window. @default 50 */
  windowMs?: number;
  /** @default 10 */
  maxSubscriptions?: number;
  /** Bad frames tolerated within `badFrameWindowMs` before closing with 1008. @default 20 */
  maxBadFrames?: number;
  /** @default 60000 */
  badFrameWindowMs?: number;
  /** Protocol pings; a connection that misses one is terminated. @default 30000 */
  pingIntervalMs?: number;
  /** A connection whose send buffer holds more than this is skipped… @default 1048576 */
  maxBufferedBytes?: number;
  /** …and closed once it has stayed over it this long. @default 5000 */
  slowConsumerGraceMs?: number;
  /** When set, only these `Origin`s may connect (and pages of this server's own origin). */
  allowedOrigins?: readonly string[];
  /** Reads around-me windows; without it around-me subscriptions are refused. */
  readWindow?: WindowReader;
  /** @default Date.now */
  now?: () => number;
}

interface Subscription {
  feed: BoardFeed;
  limit: number;
  /** Changes as `delta`s chained from `sentSeq`, rather than whole `update`s. */
  delta: boolean;
  /** The board state this connection was last sent (snapshot, update or delta). */
  sentSeq: number;
}

interface Connection {
  socket: WebSocket;
  /** The TCP socket under `socket`, where update frames are written directly. */
  tcp: Duplex | undefined;
  userId: string | undefined;
  /** board → top-N subscription */
  subscriptions: Map<string, Subscription>;
  /** board → around-me subscription (of `userId`) */
  around: Map<string, WindowSubscriber>;
  /** When this connection was last sent updates (`performance.now()`), for the window. */
  updatedAt: number;
  badFrames: number[];
  alive: boolean;
  slowSince: number | undefined;
}

const WS_MAX_FRAME_BYTES = 4 * 1024;
/** How long one slice of the update sweep may write before it yields to the event loop. */
const SWEEP_SLICE_MS = 5;
/** The heartbeat pings a share of the connections this often (at most every ping interval). */
const HEARTBEAT_TICK_MS = 1_000;
/**
 * After a slice the sweep rests this fraction of it, so fan-out takes at most ≈80% of the
 * event loop. (At 5,000 subscribers, two runs each: resting 0.25 gave delivery p99 110–121 ms
 * and actions p99 16–23 ms; 0.5 gave 131–165 ms and 20–24 ms: sending less often costs more
 * than the rest buys.)
 */
const SWEEP_REST_RATIO = 0.25;

/**
 * The WebSocket side of the realtime service: connections, subscriptions, coalesced board
 * updates, personal ranks, heartbeats, and the limits that keep one client from hurting
 * the others. Each update payload is serialized once per board state and limit and the
 * same bytes go to every subscriber that gets it (see `BoardFeed`); updates go out in a
 * paced sweep over the connections (see `sweep`).
 */
export class RealtimeHub {
  private readonly wss: WebSocketServer;
  private readonly connections = new Set<Connection>();
  private readonly byUser = new Map<string, Set<Connection>>();
  private readonly feeds = new Map<string, BoardFeed>();
  private readonly options: Required<Omit<RealtimeOptions, 'allowedOrigins' | 'readWindow'>> & { allowedOrigins?: readonly string[] };
  private readonly windows: AroundMeWindows | undefined;
  /** The sweep's place: connections still to visit in this pass; undefined when idle. */
  private cursor: Iterator<Connection> | undefined;
  /** A connection the sweep stopped at because its window had not passed yet. */
  private waitingAt: Connection | undefined;
  private sweepTimer: NodeJS.Timeout | undefined;
  /** Counts board changes, so a pass knows whether one arrived while it ran. */
  private changes = 0;
  private changesAtPassStart = 0;
  /** When the current pass began (`performance.now()`), for `realtime_sweep_pass_seconds`. */
  private passStartedAt = 0;
  private readonly heartbeat: NodeJS.Timeout;
  /** The heartbeat's place: connections still to ping in this interval. */
  private heartbeatCursor: Iterator<Connection> = this.connections.values();
  private closing = false;

  constructor(
    boards: readonly string[],
    private readonly verifier: TokenVerifier,
    private readonly metrics: RealtimeMetrics,
    private readonly logger: Pick<Logger, 'warn'>,
    options: RealtimeOptions = {},
  ) {
    this.options = {
      windowMs: options.windowMs ?? 50,
      maxSubscriptions: options.maxSubscriptions ?? 10,
      maxBadFrames: options.maxBadFrames ?? 20,
      badFrameWindowMs: options.badFrameWindowMs ?? 60_000,
      pingIntervalMs: options.pingIntervalMs ?? 30_000,
      maxBufferedBytes: options.maxBufferedBytes ?? 1024 * 1024,
      slowConsumerGraceMs: options.slowConsumerGraceMs ?? 5_000,
      now: options.now ?? Date.now,
      allowedOrigins: options.allowedOrigins,
    };
    for (const board of boards) this.feeds.set(board, new BoardFeed(board));
    const { readWindow } = options;
    this.windows =
      readWindow &&
      new AroundMeWindows(readWindow, (board) => this.feeds.get(board)?.seq ?? 0, this.options.windowMs, (error) =>
        this.logger.warn({ err: error }, 'reading an around-me window failed; read again next round'),
      );
    // maxPayload: ws itself closes a connection with 1009 on a frame over 4 KiB.
    // perMessageDeflate stays off: compression would cost more CPU than it saves on small
    // frames, and writeFrame relies on ws writing every frame whole.
    this.wss = new WebSocketServer({ noServer: true, maxPayload: WS_MAX_FRAME_BYTES, clientTracking: false, perMessageDeflate: false });
    this.heartbeat = setInterval(() => this.ping(), Math.min(HEARTBEAT_TICK_MS, this.options.pingIntervalMs));
    this.heartbeat.unref();
  }

  /** Takes over `GET /ws` upgrades on the HTTP server (the same port as the API). */
  attach(server: Server): void {
    server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      const path = (request.url ?? '').split('?')[0];
      if (path !== WS_PATH) return; // not ours: left for other handlers (none today), then closed by Node
      const origin = request.headers.origin;
      if (this.closing || (this.options.allowedOrigins && !this.options.allowedOrigins.includes(origin ?? '') && !sameOrigin(origin, request.headers.host))) {
        socket.end(`HTTP/1.1 ${this.closing ? '503 Service Unavailable' : '403 Forbidden'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
        return;
      }
      this.wss.handleUpgrade(request, socket, head, (ws) => this.accept(ws));
    });
  }

  /** The state a board starts from (embedded: the leaderboard's current top). */
  seed(board: string, seq: number, top: BoardEntry[]): void {
    this.feeds.get(board)?.seed(seq, top);
  }

  onBoardChanged(event: BoardChanged): void {
    const feed = this.feeds.get(event.board);
    // seq only grows: a late event never goes back
    if (!feed?.advance(event.seq, event.top, performance.now())) return;
    this.changes += 1;
    // A change after a quiet spell starts a sweep at once; during one, the sweep picks it up.
    if (!this.cursor && !this.sweepTimer && !this.closing) this.sweepTimer = setTimeout(() => this.sweep(), 0);
  }

  onRanksMoved(event: RanksMoved): void {
    this.windows?.onRanksMoved(event);
  }

  onUserRank(event: UserRank): void {
    this.windows?.onOwnChange(event.board, event.userId);
    const connections = this.byUser.get(event.userId);
    if (!connections) return;
    const payload = JSON.stringify({ type: 'rank', board: event.board, rank: event.rank, score: event.score } satisfies ServerMessage);
    for (const connection of connections) if (connection.subscriptions.has(event.board)) this.send(connection, payload);
  }

  /** Closes every connection with 1001 so clients reconnect elsewhere. */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    clearInterval(this.heartbeat);
    clearTimeout(this.sweepTimer);
    this.windows?.close();
    const closed = [...this.connections].map(
      (connection) =>
        new Promise<void>((resolve) => {
          connection.socket.once('close', () => resolve());
          connection.socket.close(1001, 'server shutting down');
          setTimeout(() => {
            connection.socket.terminate();
            resolve();
          }, 1_000).unref();
        }),
    );
    await Promise.all(closed);
    this.wss.close();
  }

  /** Takes an upgraded socket in (the upgrade handler calls this; tests hand in their own). */
  accept(socket: WebSocket): void {
    const tcp = (socket as unknown as { _socket?: Duplex })._socket;
    const connection: Connection = {
      socket,
      tcp,
      userId: undefined,
      subscriptions: new Map(),
      around: new Map(),
      updatedAt: Number.NEGATIVE_INFINITY,
      badFrames: [],
      alive: true,
      slowSince: undefined,
    };
    this.connections.add(connection);
    this.metrics.connections.inc();
    socket.on('pong', () => (connection.alive = true));
    socket.on('message', (data: RawData, isBinary: boolean) => void this.receive(connection, data, isBinary));
    socket.on('error', () => socket.terminate());
    socket.on('close', () => this.forget(connection));
  }

  private forget(connection: Connection): void {
    if (!this.connections.delete(connection)) return;
    this.metrics.connections.dec();
    if (connection.userId) this.byUser.get(connection.userId)?.delete(connection);
    this.dropAround(connection);
  }

  private dropAround(connection: Connection): void {
    for (const board of [...connection.around.keys()]) this.unsubscribeAround(connection, board);
  }

  private unsubscribeAround(connection: Connection, board: string): void {
    const subscriber = connection.around.get(board);
    if (!subscriber) return;
    connection.around.delete(board);
    if (connection.userId) this.windows?.unsubscribe(board, connection.userId, subscriber);
  }

  private async receive(connection: Connection, data: RawData, isBinary: boolean): Promise<void> {
    connection.alive = true;
    const parsed = isBinary ? { ok: false as const, message: 'Frames must be text.' } : parseClientMessage(rawToString(data));
    if (!parsed.ok) return this.badFrame(connection, 'invalid_request', parsed.message);
    const message = parsed.message;
    switch (message.op) {
      case 'ping':
        return this.sendMessage(connection, { type: 'pong' });
      case 'subscribe': {
        const feed = this.feeds.get(message.board);
        if (!feed) return this.badFrame(connection, 'not_found', `There is no board "${message.board}".`);
        const held = 'around' in message ? connection.around : connection.subscriptions;
        if (!held.has(message.board) && connection.subscriptions.size + connection.around.size >= this.options.maxSubscriptions) {
          return this.badFrame(connection, 'invalid_request', `At most ${this.options.maxSubscriptions} subscriptions per connection (top-N and around-me together).`);
        }
        if ('around' in message) return this.subscribeAround(connection, message.board, message.radius);
        const { limit, since } = message;
        const delta = message.delta ?? false;
        // The first frame carries the current state, updates follow from the next change: a
        // snapshot, or — resuming a delta chain from a `since` this feed still holds — a delta
        // from it (no changes at all when nothing was missed).
        connection.subscriptions.set(message.board, { feed, limit, delta, sentSeq: feed.seq });
        const from = delta && since !== undefined && since <= feed.seq ? feed.topAt(since) : undefined;
        if (from && since !== undefined) return this.sendMessage(connection, { type: 'delta', board: message.board, seq: feed.seq, from: since, ...diffTops(from, feed.top, limit) });
        return this.sendMessage(connection, { type: 'snapshot', board: message.board, seq: feed.seq, entries: feed.top.slice(0, limit) });
      }
      case 'unsubscribe':
        if (message.around === undefined) connection.subscriptions.delete(message.board);
        else this.unsubscribeAround(connection, message.board);
        return;
      case 'auth':
        try {
          const { userId } = await this.verifier.verify(message.token);
          // Another player on this connection: windows of the one before are theirs, not this one's.
          if (connection.userId !== userId) this.dropAround(connection);
          if (connection.userId) this.byUser.get(connection.userId)?.delete(connection);
          connection.userId = userId;
          let set = this.byUser.get(userId);
          if (!set) this.byUser.set(userId, (set = new Set()));
          set.add(connection);
          return this.sendMessage(connection, { type: 'authenticated', userId });
        } catch (error) {
          const code = error instanceof AppError ? error.code : 'unauthorized';
          return this.badFrame(connection, code, error instanceof AppError ? error.detail : 'The token is invalid.');
        }
    }
  }

  private async subscribeAround(connection: Connection, board: string, radius: number): Promise<void> {
    const { userId } = connection;
    if (!userId) return this.badFrame(connection, 'unauthorized', 'An around-me subscription needs "auth" first.');
    if (!this.windows) return this.badFrame(connection, 'invalid_request', 'Around-me windows are not served by this node.');
    this.unsubscribeAround(connection, board);
    const subscriber: WindowSubscriber = { radius, sent: undefined, send: (payload) => this.send(connection, payload) };
    connection.around.set(board, subscriber);
    try {
      await this.windows.subscribe(board, userId, subscriber);
    } catch (error) {
      this.logger.warn({ err: error }, 'reading an around-me window failed');
      this.sendMessage(connection, { type: 'error', code: 'unavailable', message: 'The board cannot be read right now; subscribe again shortly.' });
    }
  }

  /** Answers a bad frame with an error; too many within the window close the connection (1008). */
  private badFrame(connection: Connection, code: string, message: string): void {
    const now = this.options.now();
    connection.badFrames = connection.badFrames.filter((at) => now - at < this.options.badFrameWindowMs);
    connection.badFrames.push(now);
    if (connection.badFrames.length > this.options.maxBadFrames) {
      connection.socket.close(1008, 'too many bad frames');
      return;
    }
    this.sendMessage(connection, { type: 'error', code, message });
  }

  /**
   * Sends pending board updates in a sweep over the connections, a slice at a time, each
   * connection getting the latest state of its boards when the sweep reaches it. Why a
   * sweep and not one broadcast round per window: a socket write costs ≈10 µs, so a round to
   * 5,000 sockets holds the event loop for ≈50 ms, and a change that just missed a round
   * waited for the next one and then for its place in it (≈ gap + round, 170–230 ms p99).
   * In a sweep it waits only until the sweep comes round to each connection again.
   *
   * - At most one update per connection per window: the sweep stops at a connection whose
   *   window has not passed and resumes when it has (so a pass takes at least a window).
   * - After each slice (≤ 5 ms) the sweep rests a quarter as long: requests (the actions
   *   themselves) are served between slices and fan-out takes at most ≈80% of the event
   *   loop. With many subscribers a pass therefore stretches past the window rather than
   *   queueing rounds.
   * - A pass that saw no new change since it began ends the sweep.
   */
  private sweep(): void {
    this.sweepTimer = undefined;
    if (!this.cursor) this.startPass();
    const started = performance.now();
    const now = this.options.now();
    let messages = 0;
    let bytes = 0;
    for (;;) {
      let connection = this.waitingAt;
      this.waitingAt = undefined;
      connection ??= this.cursor?.next().value;
      if (!connection) {
        this.metrics.sweepPass.observe((performance.now() - this.passStartedAt) / 1000);
        if (this.changes === this.changesAtPassStart) {
          this.cursor = undefined; // up to date: idle until the next change
          for (const feed of this.feeds.values()) feed.settle();
          break;
        }
        this.startPass();
        continue;
      }
      if (!this.connections.has(connection) || !hasPending(connection)) continue;
      const clock = performance.now();
      if (clock - started >= SWEEP_SLICE_MS) {
        this.waitingAt = connection; // the next slice starts here
        break;
      }
      if (connection.updatedAt + this.options.windowMs > clock) {
        this.waitingAt = connection;
        break;
      }
      if (this.backedUp(connection, now)) continue;
      for (const subscription of connection.subscriptions.values()) {
        const { feed, limit, sentSeq } = subscription;
        if (feed.seq <= sentSeq) continue;
        // A delta from what this connection was last sent (one frame per board, limit and
        // `from`, shared by every connection at that point of the chain), or a snapshot when
        // the feed no longer holds it.
        const { frame, lagMs } = subscription.delta ? feed.deltaFrame(limit, sentSeq, clock) : feed.frame(limit, clock);
        if (lagMs !== undefined) this.metrics.broadcastLag.observe(lagMs / 1000);
        subscription.sentSeq = feed.seq;
        if (this.writeFrame(connection, frame)) {
          messages += 1;
          bytes += frame.length;
        }
      }
      // Stamped after the writes, not before: were the process paused between the two, a
      // stamp taken before would let the next update follow the real write by less than a window.
      connection.updatedAt = performance.now();
    }
    // Counted once per slice, not per socket: at thousands of sockets it adds up.
    this.metrics.messagesSent.inc(messages);
    this.metrics.bytesSent.inc(bytes);
    const finished = performance.now();
    this.metrics.sweepSlice.observe((finished - started) / 1000);
    if (!this.cursor) return;
    const windowOpensIn = this.waitingAt ? this.waitingAt.updatedAt + this.options.windowMs - performance.now() : 0;
    this.sweepTimer = setTimeout(() => this.sweep(), Math.max(Math.min(finished - started, SWEEP_SLICE_MS) * SWEEP_REST_RATIO, windowOpensIn));
  }

  private startPass(): void {
    this.cursor = this.connections.values();
    this.changesAtPassStart = this.changes;
    this.passStartedAt = performance.now();
  }

  /** True when the connection's buffer is over the limit; closes it once it has stayed so too long. */
  private backedUp(connection: Connection, now: number): boolean {
    if (connection.socket.bufferedAmount <= this.options.maxBufferedBytes) {
      connection.slowSince = undefined;
      return false;
    }
    connection.slowSince ??= now;
    if (now - connection.slowSince >= this.options.slowConsumerGraceMs) {
      this.metrics.slowConsumersDropped.inc();
      this.logger.warn({ bufferedAmount: connection.socket.bufferedAmount }, 'dropping a slow WebSocket consumer');
      connection.socket.terminate();
    }
    return true;
  }

  /**
   * Pings a share of the connections each tick, so that each is pinged once per interval
   * and one that did not answer the previous ping is terminated. Spread over the interval
   * rather than all at once: a ping is a socket write like an update, and 5,000 of them in
   * one go would hold the event loop as long as a whole broadcast round.
   */
  private ping(): void {
    const tickMs = Math.min(HEARTBEAT_TICK_MS, this.options.pingIntervalMs);
    let share = Math.ceil((this.connections.size * tickMs) / this.options.pingIntervalMs);
    const now = this.options.now();
    while (share > 0) {
      const next = this.heartbeatCursor.next();
      if (next.done) {
        this.heartbeatCursor = this.connections.values(); // the next interval starts with the next tick
        break;
      }
      share -= 1;
      const connection = next.value;
      if (!connection.alive) {
        connection.socket.terminate();
        continue;
      }
      connection.alive = false;
      connection.socket.ping();
      this.backedUp(connection, now);
    }
  }

  private sendMessage(connection: Connection, message: ServerMessage): void {
    this.send(connection, JSON.stringify(message));
  }

  /**
   * Writes a ready-made frame straight to the connection's TCP socket: the per-socket work of
   * an update becomes one `write`. Safe because permessage-deflate is off (ws then writes
   * every frame whole and queues nothing), and the write counts in `bufferedAmount`. False when
   * the connection is no longer open.
   */
  private writeFrame(connection: Connection, frame: Buffer): boolean {
    if (connection.socket.readyState !== connection.socket.OPEN || !connection.tcp) return false;
    connection.tcp.write(frame);
    return true;
  }

  private send(connection: Connection, payload: string | Buffer): void {
    if (connection.socket.readyState !== connection.socket.OPEN) return;
    connection.socket.send(payload, { binary: false });
    this.metrics.messagesSent.inc();
    this.metrics.bytesSent.inc(payload.length);
  }
}

/** True when one of the connection's boards has a state it has not been sent. */
function hasPending(connection: Connection): boolean {
  for (const { feed, sentSeq } of connection.subscriptions.values()) if (feed.seq > sentSeq) return true;
  return false;
}

/** Whether `origin` is this server's own (the page it serves itself), by host and port. */
function sameOrigin(origin: string | undefined, host: string | undefined): boolean {
  if (!origin || !host) return false;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

function rawToString(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

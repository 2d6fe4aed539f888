import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { createRequire } from 'node:module';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { TokenVerifier } from '../auth/token-verifier.js';
import { AppError } from '../platform/errors.js';
import type { BoardChanged, BoardEntry, UserRank } from '../platform/events.js';
import type { Logger } from '../platform/logger.js';
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
  /** When set, only these `Origin`s may connect. */
  allowedOrigins?: readonly string[];
  /** @default Date.now */
  now?: () => number;
}

/** The latest top of a board as this node knows it. */
interface BoardFeed {
  seq: number;
  top: BoardEntry[];
  /** When the last change happened, for the broadcast-lag metric. */
  changedAt: number;
  dirty: boolean;
  /** The connections subscribed to this board, so a flush visits only them. */
  subscribers: Set<Connection>;
}

interface Connection {
  socket: WebSocket;
  /** The TCP socket under `socket`, where broadcast frames are written directly. */
  tcp: Duplex | undefined;
  userId: string | undefined;
  /** board → limit */
  subscriptions: Map<string, number>;
  badFrames: number[];
  alive: boolean;
  slowSince: number | undefined;
}

const WS_MAX_FRAME_BYTES = 4 * 1024;

/**
 * The WebSocket side of the realtime service: connections, subscriptions, coalesced board
 * updates, personal ranks, heartbeats, and the limits that keep one client from hurting
 * the others. Each update payload is serialized once per (board, limit) and window and
 * the same buffer goes to every subscriber of it.
 */
export class RealtimeHub {
  private readonly wss: WebSocketServer;
  private readonly connections = new Set<Connection>();
  private readonly byUser = new Map<string, Set<Connection>>();
  private readonly feeds = new Map<string, BoardFeed>();
  private readonly options: Required<Omit<RealtimeOptions, 'allowedOrigins'>> & { allowedOrigins?: readonly string[] };
  private flushTimer: NodeJS.Timeout | undefined;
  private lastFlushAt = Number.NEGATIVE_INFINITY;
  private lastFlushDuration = 0;
  private readonly heartbeat: NodeJS.Timeout;
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
    for (const board of boards) this.feeds.set(board, { seq: 0, top: [], changedAt: 0, dirty: false, subscribers: new Set() });
    // maxPayload: ws itself closes a connection with 1009 on a frame over 4 KiB.
    // perMessageDeflate stays off: compression would cost more CPU than it saves on small
    // frames, and writeFrame relies on ws writing every frame whole.
    this.wss = new WebSocketServer({ noServer: true, maxPayload: WS_MAX_FRAME_BYTES, clientTracking: false, perMessageDeflate: false });
    this.heartbeat = setInterval(() => this.ping(), this.options.pingIntervalMs);
    this.heartbeat.unref();
  }

  /** Takes over `GET /ws` upgrades on the HTTP server (the same port as the API). */
  attach(server: Server): void {
    server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      const path = (request.url ?? '').split('?')[0];
      if (path !== WS_PATH) return; // not ours: left for other handlers (none today), then closed by Node
      const origin = request.headers.origin;
      if (this.closing || (this.options.allowedOrigins && (!origin || !this.options.allowedOrigins.includes(origin)))) {
        socket.end(`HTTP/1.1 ${this.closing ? '503 Service Unavailable' : '403 Forbidden'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
        return;
      }
      this.wss.handleUpgrade(request, socket, head, (ws) => this.accept(ws));
    });
  }

  /** The state a board starts from (embedded: the leaderboard's current top). */
  seed(board: string, seq: number, top: BoardEntry[]): void {
    const feed = this.feeds.get(board);
    if (feed && seq >= feed.seq) Object.assign(feed, { seq, top });
  }

  onBoardChanged(event: BoardChanged): void {
    const feed = this.feeds.get(event.board);
    if (!feed || event.seq <= feed.seq) return; // seq only grows: a late event never goes back
    feed.seq = event.seq;
    feed.top = event.top;
    if (!feed.dirty) feed.changedAt = this.options.now();
    feed.dirty = true;
    this.scheduleFlush();
  }

  onUserRank(event: UserRank): void {
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
    clearTimeout(this.flushTimer);
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
    const connection: Connection = { socket, tcp, userId: undefined, subscriptions: new Map(), badFrames: [], alive: true, slowSince: undefined };
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
    for (const board of connection.subscriptions.keys()) this.feeds.get(board)?.subscribers.delete(connection);
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
        if (!connection.subscriptions.has(message.board) && connection.subscriptions.size >= this.options.maxSubscriptions) {
          return this.badFrame(connection, 'invalid_request', `At most ${this.options.maxSubscriptions} subscriptions per connection.`);
        }
        connection.subscriptions.set(message.board, message.limit);
        feed.subscribers.add(connection);
        return this.sendMessage(connection, { type: 'snapshot', board: message.board, seq: feed.seq, entries: feed.top.slice(0, message.limit) });
      }
      case 'unsubscribe':
        connection.subscriptions.delete(message.board);
        this.feeds.get(message.board)?.subscribers.delete(connection);
        return;
      case 'auth':
        try {
          const { userId } = await this.verifier.verify(message.token);
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
   * At most one update per board per window, the window counted from the previous flush's
   * start: a change after a quiet spell goes out at once, and under a steady stream flushes
   * follow each other every window instead of waiting a full window after each. When a
   * flush to many sockets takes longer than two thirds of a window, the gap grows to 1.5×
   * its duration, so socket writes take at most two thirds of the event loop and requests
   * (the actions themselves) keep being served. (Measured at 5,000 subscribers: 1× starves
   * the rest and raises p99; 2× sends too few updates; 1.5× had the lowest p99.)
   */
  private scheduleFlush(): void {
    if (this.flushTimer) return;
    const gap = Math.max(this.options.windowMs, 1.5 * this.lastFlushDuration);
    const wait = Math.max(0, this.lastFlushAt + gap - performance.now());
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      this.flush();
    }, wait);
  }

  /** One update per changed board: each distinct (board, limit) payload built once, sent to all. */
  private flush(): void {
    this.lastFlushAt = performance.now();
    const now = this.options.now();
    let messages = 0;
    let bytes = 0;
    for (const [board, feed] of this.feeds) {
      if (!feed.dirty) continue;
      feed.dirty = false;
      const frames = new Map<number, Buffer>();
      for (const connection of feed.subscribers) {
        const limit = connection.subscriptions.get(board);
        if (limit === undefined || this.backedUp(connection, now)) continue;
        let frame = frames.get(limit);
        if (frame === undefined) {
          // Serialized and framed once: every subscriber of this (board, limit) gets the very same bytes.
          frame = textFrame(JSON.stringify({ type: 'update', board, seq: feed.seq, entries: feed.top.slice(0, limit) } satisfies ServerMessage));
          frames.set(limit, frame);
        }
        if (this.writeFrame(connection, frame)) {
          messages += 1;
          bytes += frame.length;
        }
      }
      this.metrics.broadcastLag.observe((now - feed.changedAt) / 1000);
    }
    // Counted once per round, not per socket: at thousands of sockets per round it adds up.
    this.metrics.messagesSent.inc(messages);
    this.metrics.bytesSent.inc(bytes);
    this.lastFlushDuration = performance.now() - this.lastFlushAt;
    this.metrics.broadcastRound.observe(this.lastFlushDuration / 1000);
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

  private ping(): void {
    for (const connection of this.connections) {
      if (!connection.alive) {
        connection.socket.terminate();
        continue;
      }
      connection.alive = false;
      connection.socket.ping();
      this.backedUp(connection, this.options.now());
    }
  }

  private sendMessage(connection: Connection, message: ServerMessage): void {
    this.send(connection, JSON.stringify(message));
  }

  /**
   * Writes a ready-made frame straight to the connection's TCP socket: the per-socket work of
   * a broadcast becomes one `write`. Safe because permessage-deflate is off (ws then writes
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

interface FrameOptions {
  fin: boolean;
  opcode: number;
  mask: boolean;
  readOnly: boolean;
  rsv1: boolean;
}
// ws's frame builder is public API (`WebSocket.Sender.frame`) but missing from @types/ws.
const { Sender } = createRequire(import.meta.url)('ws') as { Sender: { frame(data: Buffer, options: FrameOptions): Buffer[] } };

/** A final, unmasked text frame (server → client) holding `text`. */
function textFrame(text: string): Buffer {
  return Buffer.concat(Sender.frame(Buffer.from(text), { fin: true, opcode: 0x01, mask: false, readOnly: true, rsv1: false }));
}

function rawToString(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

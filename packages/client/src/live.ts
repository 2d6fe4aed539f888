import { applyDelta } from './board-list.js';
import { LeaderboardError } from './errors.js';
import type { Session } from './session.js';
import { backoffDelay } from './timers.js';
import type { BoardEntry, ClientMessage, ServerMessage } from './types.js';

/** What the library needs of a WebSocket: the browser's, or e.g. the `ws` package's on Node 20. */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: never) => void) | null;
  onmessage: ((event: never) => void) | null;
  onclose: ((event: never) => void) | null;
  onerror: ((event: never) => void) | null;
}
/** A WebSocket constructor: `globalThis.WebSocket` in browsers, `WebSocket` from `ws` on Node 20. */
export type WebSocketConstructor = new (url: string) => unknown;

export type ConnectionStatus = 'live' | 'connecting' | 'offline';

/** A top-N list as the server last described it. */
export interface TopList {
  board: string;
  /** The board's change counter at this list (-1 before the first snapshot). */
  seq: number;
  entries: BoardEntry[];
}

/** The player's neighbourhood: their own entry (null while unranked) and `radius` entries above and below. */
export interface AroundWindow {
  board: string;
  seq: number;
  me: BoardEntry | null;
  entries: BoardEntry[];
}

export interface TopSubscribeOptions {
  board: string;
  /** 1–100, default 10. */
  limit?: number;
  around?: undefined;
  onChange: (list: TopList) => void;
}

export interface AroundSubscribeOptions {
  board: string;
  around: 'me';
  /** 0–25, default 5. Needs a logged-in session: sent once the connection is authenticated. */
  radius?: number;
  onChange: (window: AroundWindow) => void;
}

export interface Subscription {
  readonly board: string;
  /** Stops the updates; the server subscription ends when its last listener closes. */
  close(): void;
}

export interface RankChange {
  board: string;
  rank: number;
  score: number;
}

const OPEN = 1;
const CONNECTING = 0;
/** First retry after about this long; each failed attempt doubles it, up to the cap. */
const BACKOFF_BASE_MS = 500;
const BACKOFF_CAP_MS = 10_000;
/** The server pings at the WebSocket level, which a browser page cannot see: this catches a half-open socket. */
const HEARTBEAT_MS = 20_000;

/** One server subscription shared by every listener on the same board and kind. */
interface TopChannel {
  kind: 'top';
  board: string;
  list: TopList;
  listeners: Set<TopSubscribeOptions>;
  /** The limit sent to the server: the largest any listener asked for. */
  limit: number;
}
interface AroundChannel {
  kind: 'around';
  board: string;
  window: AroundWindow | undefined;
  listeners: Set<AroundSubscribeOptions>;
  radius: number;
}

/**
 * The realtime connection (docs/API.md "Realtime"): one WebSocket, opened on the first
 * subscription, reconnected by itself with backoff and jitter. After each reconnect it sends
 * `auth` again and every subscription; top lists ask for deltas and resume from the `seq` they
 * hold (`since`), so a short drop in which nothing was missed costs an empty delta, not the list.
 */
export class LiveConnection {
  #socket: WebSocketLike | undefined;
  #status: ConnectionStatus = 'offline';
  #attempt = 0;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #heartbeat: ReturnType<typeof setInterval> | undefined;
  #awaitingPong = false;
  #authenticated = false;
  #closed = false;
  readonly #tops = new Map<string, TopChannel>();
  readonly #arounds = new Map<string, AroundChannel>();
  readonly #statusListeners = new Set<(status: ConnectionStatus) => void>();
  readonly #rankListeners = new Set<(rank: RankChange) => void>();
  readonly #errorListeners = new Set<(error: LeaderboardError) => void>();
  readonly #stopWatchingSession: () => void;
  readonly #stopWatchingNetwork: () => void;

  constructor(
    private readonly url: string,
    private readonly WebSocketImpl: WebSocketConstructor | undefined,
    private readonly session: Session,
  ) {
    // A new access token identifies this connection again; a logout needs a fresh, anonymous one.
    this.#stopWatchingSession = session.onChange((_user, change) => {
      if (change === 'logout' || change === 'expired') this.reconnectNow();
      else this.#sendAuth();
    });
    const retryWhenOnline = () => this.reconnectNow();
    const target = globalThis as { addEventListener?: (type: string, listener: () => void) => void; removeEventListener?: (type: string, listener: () => void) => void };
    target.addEventListener?.('online', retryWhenOnline);
    this.#stopWatchingNetwork = () => target.removeEventListener?.('online', retryWhenOnline);
  }

  get status(): ConnectionStatus {
    return this.#status;
  }

  /** Whether the server confirmed this connection's player (`authenticated`). */
  get authenticated(): boolean {
    return this.#authenticated;
  }

  /** Calls `listener` with `connecting`, `live` and `offline` as the connection changes. Returns a function that stops it. */
  onStatus(listener: (status: ConnectionStatus) => void): () => void {
    this.#statusListeners.add(listener);
    return () => this.#statusListeners.delete(listener);
  }

  /** The logged-in player's own rank and score, whenever it changes on a subscribed board. */
  onRank(listener: (rank: RankChange) => void): () => void {
    this.#rankListeners.add(listener);
    return () => this.#rankListeners.delete(listener);
  }

  /** Errors the server reports on the socket (e.g. an unknown board). */
  onError(listener: (error: LeaderboardError) => void): () => void {
    this.#errorListeners.add(listener);
    return () => this.#errorListeners.delete(listener);
  }

  /**
   * Keeps a local copy of a board's top list (`limit`) or of the player's window (`around: 'me'`)
   * current, calling `onChange` with each new state.
   */
  subscribe(options: TopSubscribeOptions | AroundSubscribeOptions): Subscription {
    if (this.#closed) throw new Error('This client was closed.');
    const subscription = options.around === 'me' ? this.#subscribeAround(options) : this.#subscribeTop(options);
    this.#connectIfIdle();
    return subscription;
  }

  /** Drops any pending wait and connects at once (the network came back, or the identity changed). */
  reconnectNow(): void {
    if (this.#closed || (!this.#socket && this.#retryTimer === undefined)) return;
    this.#attempt = 0;
    this.#teardown();
    this.#connect();
  }

  close(): void {
    this.#closed = true;
    this.#stopWatchingSession();
    this.#stopWatchingNetwork();
    this.#teardown();
    this.#setStatus('offline');
  }

  #subscribeTop(options: TopSubscribeOptions): Subscription {
    const limit = options.limit ?? 10;
    let channel = this.#tops.get(options.board);
    if (!channel) {
      channel = { kind: 'top', board: options.board, list: { board: options.board, seq: -1, entries: [] }, listeners: new Set(), limit };
      this.#tops.set(options.board, channel);
      this.#sendTop(channel);
    } else if (limit > channel.limit) {
      // A longer list than the one held: ask again from a snapshot of the new length.
      channel.limit = limit;
      channel.list = { ...channel.list, seq: -1 };
      this.#sendTop(channel);
    } else if (channel.list.seq >= 0) {
      options.onChange(slice(channel.list, limit));
    }
    channel.listeners.add(options);
    const top = channel;
    return {
      board: options.board,
      close: () => {
        top.listeners.delete(options);
        if (top.listeners.size > 0 || this.#tops.get(top.board) !== top) return;
        this.#tops.delete(top.board);
        this.#send({ op: 'unsubscribe', board: top.board });
      },
    };
  }

  #subscribeAround(options: AroundSubscribeOptions): Subscription {
    const radius = options.radius ?? 5;
    let channel = this.#arounds.get(options.board);
    if (!channel) {
      channel = { kind: 'around', board: options.board, window: undefined, listeners: new Set(), radius };
      this.#arounds.set(options.board, channel);
      this.#sendAround(channel);
    } else if (radius > channel.radius) {
      channel.radius = radius;
      this.#sendAround(channel);
    } else if (channel.window) {
      options.onChange(narrow(channel.window, radius));
    }
    channel.listeners.add(options);
    const around = channel;
    return {
      board: options.board,
      close: () => {
        around.listeners.delete(options);
        if (around.listeners.size > 0 || this.#arounds.get(around.board) !== around) return;
        this.#arounds.delete(around.board);
        this.#send({ op: 'unsubscribe', board: around.board, around: 'me' });
      },
    };
  }

  #connectIfIdle(): void {
    if (!this.#socket && this.#retryTimer === undefined) this.#connect();
  }

  #connect(): void {
    this.#retryTimer = undefined;
    const Implementation = this.WebSocketImpl ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
    if (!Implementation) {
      throw new Error('No WebSocket implementation here: pass one to createClient({ WebSocket }) (on Node 20, e.g. `import WebSocket from "ws"`).');
    }
    this.#setStatus('connecting');
    const socket = new Implementation(this.url) as WebSocketLike;
    this.#socket = socket;
    socket.onopen = () => this.#opened();
    socket.onmessage = (event: { data: unknown }) => this.#received(event.data);
    socket.onclose = () => this.#scheduleRetry();
    // An error is always followed by a close, which schedules the retry.
    socket.onerror = () => undefined;
  }

  #opened(): void {
    this.#setStatus('live');
    this.#awaitingPong = false;
    this.#heartbeat = setInterval(() => this.#beat(), HEARTBEAT_MS);
    this.#sendAuth();
    for (const channel of this.#tops.values()) this.#sendTop(channel);
    // Around-me subscriptions wait for `authenticated`.
  }

  #received(data: unknown): void {
    // Any frame proves the connection works: the next outage starts backing off from scratch.
    this.#attempt = 0;
    let message: ServerMessage;
    try {
      // Frames come from the server of the contract; their type is its promise.
      message = JSON.parse(String(data)) as ServerMessage;
    } catch {
      return;
    }
    switch (message.type) {
      case 'snapshot':
      case 'update':
        this.#replaceTop(message.board, message.seq, message.entries);
        break;
      case 'delta':
        this.#applyDelta(message);
        break;
      case 'window':
        this.#replaceWindow(message);
        break;
      case 'rank':
        for (const listener of this.#rankListeners) listener({ board: message.board, rank: message.rank, score: message.score });
        break;
      case 'authenticated':
        this.#authenticated = true;
        for (const channel of this.#arounds.values()) this.#sendAround(channel);
        break;
      case 'pong':
        this.#awaitingPong = false;
        break;
      case 'error': {
        // The token sent with `auth` had expired: refreshing sends `auth` again with the new one.
        if (message.code === 'token_expired') void this.session.refresh().catch(() => undefined);
        const error = new LeaderboardError(message.code as LeaderboardError['code'], 0, message.message);
        for (const listener of this.#errorListeners) listener(error);
        break;
      }
    }
  }

  #replaceTop(board: string, seq: number, entries: BoardEntry[]): void {
    const channel = this.#tops.get(board);
    if (!channel) return;
    channel.list = { board, seq, entries };
    this.#emitTop(channel);
  }

  #applyDelta(delta: Extract<ServerMessage, { type: 'delta' }>): void {
    const channel = this.#tops.get(delta.board);
    if (!channel) return;
    if (delta.from !== channel.list.seq) {
      // Not chained to the list held (a frame was lost, or the limit just changed): start over.
      channel.list = { ...channel.list, seq: -1 };
      this.#sendTop(channel);
      return;
    }
    const changed = delta.seq !== channel.list.seq || delta.changes.length > 0 || delta.size !== channel.list.entries.length;
    channel.list = { board: delta.board, seq: delta.seq, entries: applyDelta(channel.list.entries, delta) };
    if (changed) this.#emitTop(channel);
  }

  #replaceWindow(message: Extract<ServerMessage, { type: 'window' }>): void {
    const channel = this.#arounds.get(message.board);
    if (!channel) return;
    channel.window = { board: message.board, seq: message.seq, me: message.me, entries: message.entries };
    for (const listener of channel.listeners) listener.onChange(narrow(channel.window, listener.radius ?? 5));
  }

  #emitTop(channel: TopChannel): void {
    for (const listener of channel.listeners) listener.onChange(slice(channel.list, listener.limit ?? 10));
  }

  #sendTop(channel: TopChannel): void {
    const since = channel.list.seq;
    this.#send({ op: 'subscribe', board: channel.board, limit: channel.limit, delta: true, ...(since >= 0 && { since }) });
  }

  #sendAround(channel: AroundChannel): void {
    if (this.#authenticated) this.#send({ op: 'subscribe', board: channel.board, around: 'me', radius: channel.radius });
  }

  #sendAuth(): void {
    const token = this.session.accessToken;
    if (token) this.#send({ op: 'auth', token });
  }

  #beat(): void {
    if (this.#awaitingPong) {
      this.#scheduleRetry();
      return;
    }
    this.#awaitingPong = true;
    this.#send({ op: 'ping' });
  }

  #scheduleRetry(): void {
    this.#teardown();
    this.#setStatus('offline');
    if (this.#closed) return;
    const delay = backoffDelay(this.#attempt, BACKOFF_BASE_MS, BACKOFF_CAP_MS);
    this.#attempt += 1;
    this.#retryTimer = setTimeout(() => this.#connect(), delay);
  }

  /** Forgets the current socket without letting its late events act on the next one. */
  #teardown(): void {
    this.#authenticated = false;
    clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    clearInterval(this.#heartbeat);
    const socket = this.#socket;
    this.#socket = undefined;
    if (!socket) return;
    socket.onopen = socket.onmessage = socket.onclose = null;
    if (socket.readyState === OPEN || socket.readyState === CONNECTING) socket.close();
  }

  #send(message: ClientMessage): void {
    if (this.#socket?.readyState === OPEN) this.#socket.send(JSON.stringify(message));
  }

  #setStatus(status: ConnectionStatus): void {
    if (status === this.#status) return;
    this.#status = status;
    for (const listener of this.#statusListeners) listener(status);
  }
}

function slice(list: TopList, limit: number): TopList {
  return list.entries.length <= limit ? list : { ...list, entries: list.entries.slice(0, limit) };
}

/** A window of a smaller radius, cut out of a larger one around the same player. */
function narrow(window: AroundWindow, radius: number): AroundWindow {
  if (!window.me) return window;
  const myRank = window.me.rank;
  return { ...window, entries: window.entries.filter((entry) => Math.abs(entry.rank - myRank) <= radius) };
}

import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import WebSocket from 'ws';
import type { BoardEntry } from '../../src/platform/events.js';
import type { ServerMessage } from '../../src/realtime/protocol.js';

/**
 * One client for everything that plays against the server: the tests, the fault suite, the
 * soak and the benchmarks. It registers and logs in players, acts (with an idempotency key;
 * a timed action is `start`, then `act` with its ticket), reads boards and, over the network,
 * subscribes to them over WebSockets. Two transports with the same methods: `TestClient`
 * sends real requests to a URL with `fetch`; `injectClient` injects them into an app in this
 * process (`app.inject`), answering Fastify's own responses.
 *
 * Nothing here imports vitest (the soak and the benchmarks run outside it): a refused step
 * throws an Error, and whatever a test asserts, it asserts on the responses.
 */

/** Every player's password: the tests are about other things. */
export const PASSWORD = 'password-123';

export interface Player {
  username: string;
  userId: string;
  token: string;
  refreshToken: string;
}

export interface BoardPage {
  board: string;
  seq: number;
  total: number;
  entries: BoardEntry[];
}

export interface ApiRequest {
  method: 'GET' | 'POST' | 'DELETE';
  /** e.g. `/api/v1/actions` */
  path: string;
  /** Sent as JSON; none when undefined. */
  body?: unknown;
  /** An access token, sent as `Authorization: Bearer …`. */
  token?: string;
  headers?: Record<string, string>;
  /** In process only: the address the request comes from. */
  remoteAddress?: string;
}

/** How requests reach the server, and how their answers are read. */
export interface Transport<R> {
  send(request: ApiRequest): Promise<R>;
  read(response: R): Promise<{ status: number; text: string }>;
}

export interface ActionRequest {
  /** @default 'click' */
  type?: string;
  /** @default a fresh key (`client.key()`) */
  idempotencyKey?: string;
  /** A timed action's ticket, from `start`. */
  ticket?: string;
}

/** The player's side of the API over some transport; `R` is the transport's response. */
export class ApiClient<R> {
  /** Keeps the idempotency keys of two clients, or of two runs on one server, apart. */
  private readonly keyPrefix = randomBytes(4).toString('hex');
  private keys = 0;

  constructor(private readonly transport: Transport<R>) {}

  request(request: ApiRequest): Promise<R> {
    return this.transport.send(request);
  }

  get(path: string, token?: string): Promise<R> {
    return this.request({ method: 'GET', path, token });
  }

  post(path: string, body?: unknown, token?: string, options: Pick<ApiRequest, 'headers' | 'remoteAddress'> = {}): Promise<R> {
    return this.request({ method: 'POST', path, body, token, ...options });
  }

  delete(path: string, token?: string): Promise<R> {
    return this.request({ method: 'DELETE', path, token });
  }

  register(username: string, password = PASSWORD): Promise<R> {
    return this.post('/api/v1/auth/register', { username, password });
  }

  login(username: string, password = PASSWORD): Promise<R> {
    return this.post('/api/v1/auth/login', { username, password });
  }

  /** Registers `username` unless it exists, and logs in: each call is a fresh session. */
  player(username: string, password = PASSWORD): Promise<Player> {
    return this.session(username, password, [201, 409]);
  }

  /** Registers `username`, which must be new, and logs in. */
  newPlayer(username: string, password = PASSWORD): Promise<Player> {
    return this.session(username, password, [201]);
  }

  /** A fresh idempotency key, valid for the API (8 to 64 of `[A-Za-z0-9_-]`). */
  key(): string {
    return `${this.keyPrefix}-${(this.keys += 1)}`;
  }

  /** `POST /api/v1/actions` as `token`: a click with a fresh idempotency key unless `action` says otherwise. */
  act(token: string, action: ActionRequest = {}, options: Pick<ApiRequest, 'remoteAddress'> = {}): Promise<R> {
    const { type = 'click', idempotencyKey = this.key(), ticket } = action;
    return this.post('/api/v1/actions', { type, idempotencyKey, ...(ticket === undefined ? {} : { ticket }) }, token, options);
  }

  /** A game server's action (`POST /api/v1/server/actions`) with a server credential's secret. */
  serverAct(secret: string, body: { userId: string; type: string; idempotencyKey?: string; values?: Record<string, number> }): Promise<R> {
    const { idempotencyKey = this.key(), ...rest } = body;
    return this.post('/api/v1/server/actions', { ...rest, idempotencyKey }, undefined, { headers: { authorization: `Bearer ${secret}` } });
  }

  /** Starts a timed action; its `201` carries the ticket the completion (`act` with `ticket`) must carry. */
  start(token: string, type: string, options: Pick<ApiRequest, 'remoteAddress'> = {}): Promise<R> {
    return this.post(`/api/v1/actions/${type}/start`, undefined, token, options);
  }

  /** A board's page (`query` such as `?limit=100`); throws unless it answers 200. */
  async board(board = 'global', query = ''): Promise<BoardPage> {
    return this.expectJson<BoardPage>(await this.get(`/api/v1/leaderboards/${board}${query}`), [200], `GET board ${board}`);
  }

  private async session(username: string, password: string, registered: readonly number[]): Promise<Player> {
    await this.expectJson(await this.register(username, password), registered, `register ${username}`);
    const { accessToken, refreshToken } = await this.expectJson<{ accessToken: string; refreshToken: string }>(await this.login(username, password), [200], `login ${username}`);
    const { id } = await this.expectJson<{ id: string }>(await this.get('/api/v1/me', accessToken), [200], `GET /me of ${username}`);
    return { username, userId: id, token: accessToken, refreshToken };
  }

  private async expectJson<T>(response: R, statuses: readonly number[], what: string): Promise<T> {
    const { status, text } = await this.transport.read(response);
    if (!statuses.includes(status)) throw new Error(`${what} answered ${status}: ${text.slice(0, 500)}`);
    return (text === '' ? undefined : JSON.parse(text)) as T;
  }
}

/** The client of an app in this process: `app.inject`, Fastify's responses. */
export function injectClient(app: Pick<FastifyInstance, 'inject'>): ApiClient<LightMyRequestResponse> {
  return new ApiClient<LightMyRequestResponse>({
    send: ({ method, path, body, token, headers, remoteAddress }) =>
      app.inject({
        method,
        url: path,
        headers: { ...(token === undefined ? {} : { authorization: `Bearer ${token}` }), ...headers },
        ...(body === undefined ? {} : { payload: body as object }),
        ...(remoteAddress === undefined ? {} : { remoteAddress }),
      }),
    read: async (response) => ({ status: response.statusCode, text: response.body }),
  });
}

export interface TestClientOptions {
  /** A request that takes longer fails: a hung request is a failure to see, not to wait for. @default 15_000 */
  timeoutMs?: number;
}

/** The client of a listening server, over real sockets: `fetch`, and WebSockets from `ws`. */
export class TestClient extends ApiClient<Response> {
  private readonly sockets = new Set<TestSocket>();

  constructor(
    /** e.g. `http://127.0.0.1:40123` */
    readonly url: string,
    { timeoutMs = 15_000 }: TestClientOptions = {},
  ) {
    super({
      send: ({ method, path, body, token, headers }) =>
        fetch(`${url}${path}`, {
          method,
          headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token === undefined ? {} : { authorization: `Bearer ${token}` }), ...headers },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(timeoutMs),
        }),
      read: async (response) => ({ status: response.status, text: await response.text() }),
    });
  }

  /**
   * `count` new players named `<prefix>-<i>`, `concurrency` registering at a time: a server
   * started as shipped hashes passwords at production cost.
   */
  async players(count: number, prefix: string, concurrency = 5): Promise<Player[]> {
    const players: Player[] = [];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < count) {
        const i = next++;
        players[i] = await this.newPlayer(`${prefix}-${i}`);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
    return players;
  }

  /** A WebSocket to the server's `/ws`, not open yet (`await socket.open()`); `close()` ends it. */
  socket(options: TestSocketOptions = {}): TestSocket {
    const socket = new TestSocket(`${this.url.replace(/^http/, 'ws')}/ws`, options);
    this.sockets.add(socket);
    socket.socket.once('close', () => this.sockets.delete(socket));
    return socket;
  }

  /** An open WebSocket subscribed to `board` (the server's default limit unless `limit` is given). */
  async subscribe(board = 'global', limit?: number, options: TestSocketOptions = {}): Promise<TestSocket> {
    const socket = await this.socket(options).open();
    socket.subscribe(board, limit);
    return socket;
  }

  /** A browser's view of `board`: an open subscription that keeps the latest top it was sent. */
  async watch(board = 'global', limit = 10): Promise<BoardView> {
    const view = new BoardView(this.socket({ keep: false }), board);
    await view.socket.open();
    view.socket.subscribe(board, limit);
    return view;
  }

  /** Ends every WebSocket this client opened. */
  close(): void {
    for (const socket of this.sockets) socket.close();
    this.sockets.clear();
  }
}

export interface TestSocketOptions extends WebSocket.ClientOptions {
  /**
   * Keep every message for `next`, `count`, `received` and `messages`. Off for sockets that
   * only count or listen (`onMessage`) through a long run. @default true
   */
  keep?: boolean;
}

/** One WebSocket connection that queues what it receives, so a test can await the next message of a type. */
export class TestSocket {
  readonly socket: WebSocket;
  /** Every message received, as the raw text (when kept). */
  readonly received: string[] = [];
  /** How many messages arrived, kept or not. */
  messageCount = 0;
  /** Parsed messages not yet taken by `next`. */
  private readonly inbox: ServerMessage[] = [];
  private readonly listeners: ((message: ServerMessage) => void)[] = [];
  private readonly wakers = new Set<() => void>();

  constructor(url: string, { keep = true, ...options }: TestSocketOptions = {}) {
    this.socket = new WebSocket(url, options);
    this.socket.on('message', (data) => {
      this.messageCount += 1;
      if (keep || this.listeners.length > 0) {
        const text = (data as Buffer).toString('utf8');
        const message = parsed(text);
        if (keep) {
          this.received.push(text);
          if (message) this.inbox.push(message);
        }
        if (message) for (const listener of this.listeners) listener(message);
      }
      this.wake();
    });
    this.socket.on('close', () => this.wake());
    // A failed connection also closes it, which is what callers watch for; `open()` still rejects.
    this.socket.on('error', () => undefined);
  }

  get isOpen(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  /** Resolves with this socket once it is open; rejects if it fails to connect. */
  async open(): Promise<this> {
    if (!this.isOpen) await once(this.socket, 'open');
    return this;
  }

  send(frame: unknown): void {
    this.socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  subscribe(board: string, limit?: number): void {
    this.send({ op: 'subscribe', board, limit });
  }

  /** Calls `listener` with every message from now on (parsed; kept or not). */
  onMessage(listener: (message: ServerMessage) => void): this {
    this.listeners.push(listener);
    return this;
  }

  /** The next received message of `type`; earlier ones of other types stay queued. */
  async next<T extends ServerMessage['type']>(type: T, timeoutMs = 5_000): Promise<Extract<ServerMessage, { type: T }>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.inbox.findIndex((message) => message.type === type);
      if (index >= 0) return this.inbox.splice(index, 1)[0] as Extract<ServerMessage, { type: T }>;
      if (Date.now() >= deadline) throw new Error(`no ${type} within ${timeoutMs} ms`);
      await this.somethingHappens(deadline - Date.now());
    }
  }

  /** Queued messages of `type` (those `next` has not taken). */
  count(type: ServerMessage['type']): number {
    return this.inbox.filter((message) => message.type === type).length;
  }

  /** Every kept message, parsed (throws on one that is not JSON). */
  messages(): ServerMessage[] {
    return this.received.map((text) => JSON.parse(text) as ServerMessage);
  }

  /** Resolves once `count` messages have arrived, or the socket closed, or `timeoutMs` passed. */
  async receivedAtLeast(count: number, timeoutMs = 5_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.messageCount < count && this.isOpen && Date.now() < deadline) await this.somethingHappens(deadline - Date.now());
  }

  close(): void {
    this.socket.terminate();
  }

  private wake(): void {
    for (const wake of [...this.wakers]) wake();
  }

  /** Resolves on the next message or close, or after `ms`. */
  private somethingHappens(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakers.add(done);
    });
  }
}

/** The latest top of one board as a subscribed page would show it. */
export class BoardView {
  top: BoardEntry[] = [];
  /** Snapshots received: one per (re)subscription. */
  snapshots = 0;

  constructor(
    readonly socket: TestSocket,
    readonly board: string,
  ) {
    socket.onMessage((message) => {
      if ((message.type === 'snapshot' || message.type === 'update') && message.board === board) {
        if (message.type === 'snapshot') this.snapshots += 1;
        this.top = message.entries;
      }
    });
  }
}

function parsed(text: string): ServerMessage | undefined {
  try {
    return JSON.parse(text) as ServerMessage;
  } catch {
    return undefined;
  }
}

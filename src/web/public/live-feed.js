// @ts-check
/** @typedef {import('../../realtime/protocol.js').ServerMessage} ServerMessage */
/** @typedef {import('../../realtime/protocol.js').ClientMessage} ClientMessage */
/** @typedef {'live' | 'connecting' | 'offline'} ConnectionState */

/** First retry after about this long; each failed attempt doubles it, up to the cap. */
const BACKOFF_BASE_MS = 500;
const BACKOFF_CAP_MS = 10_000;
/** The server pings every 30 s at the WebSocket level, which a page cannot see: this catches a half-open socket. */
const HEARTBEAT_MS = 20_000;
/** Entries shown above and below the player in the around-me panel. */
const AROUND_RADIUS = 2;

/**
 * The realtime connection (docs/API.md "Realtime"): one WebSocket that reconnects by itself with
 * exponential backoff and jitter, and after each reconnect re-sends `auth` and `subscribe`. The
 * subscription asks for deltas, and a resubscription resumes from the `seq` the page holds
 * (`since`): after a short drop in which nothing was missed the server answers with an empty
 * delta, not the whole list again; otherwise with what changed, or a snapshot.
 */
export class LiveFeed {
  /** @type {WebSocket | undefined} */
  #socket;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  #retryTimer;
  /** @type {ReturnType<typeof setInterval> | undefined} */
  #heartbeat;
  #attempt = 0;
  #awaitingPong = false;
  /** @type {string | undefined} */
  #token;
  /** @type {{ board: string, limit: number } | undefined} */
  #subscription;
  /** The board of the around-me subscription, sent each time the connection is authenticated. @type {string | undefined} */
  #aroundBoard;
  /** @type {ConnectionState} */
  state = 'offline';
  /** Whether the server confirmed this connection's player (`authenticated`). */
  isAuthenticated = false;

  /**
   * @param {{
   *   url: string,
   *   onMessage: (message: ServerMessage) => void,
   *   onState: (state: ConnectionState) => void,
   *   heldSeq: () => number,
   * }} options
   */
  constructor(options) {
    this.options = options;
    window.addEventListener('online', () => this.reconnectNow());
  }

  start() {
    if (!this.#socket) this.#connect();
  }

  /**
   * Identifies the connection as this player (for `rank` messages); undefined logs it out,
   * which takes a fresh connection since the protocol has no "unauth".
   * @param {string | undefined} token
   */
  setToken(token) {
    const hadToken = this.#token !== undefined;
    this.#token = token;
    if (token) this.#send({ op: 'auth', token });
    else if (hadToken) this.reconnectNow();
  }

  /**
   * Shows `board` from now on (the previous board is dropped).
   * @param {string} board
   * @param {number} limit
   */
  subscribe(board, limit) {
    const previous = this.#subscription;
    this.#subscription = { board, limit };
    if (previous && previous.board !== board) this.#send({ op: 'unsubscribe', board: previous.board });
    this.#send({ op: 'subscribe', board, limit, delta: true });
  }

  /**
   * Follows the player's own neighbourhood on `board` (undefined: none). Sent now if the
   * connection is authenticated, else by `authenticated()` once it is.
   * @param {string | undefined} board
   * @param {boolean} authenticated
   */
  subscribeAround(board, authenticated) {
    const previous = this.#aroundBoard;
    this.#aroundBoard = board;
    if (previous && previous !== board) this.#send({ op: 'unsubscribe', board: previous, around: 'me' });
    if (board && authenticated) this.#send({ op: 'subscribe', board, around: 'me', radius: AROUND_RADIUS });
  }

  /** The server confirmed the player (after each connect): around-me can be subscribed now. */
  authenticated() {
    if (this.#aroundBoard) this.#send({ op: 'subscribe', board: this.#aroundBoard, around: 'me', radius: AROUND_RADIUS });
  }

  /** Asks again for the current board from scratch (a delta did not chain: start over from a snapshot). */
  resubscribe() {
    if (this.#subscription) this.#send({ op: 'subscribe', ...this.#subscription, delta: true });
  }

  /** Drops any pending wait and tries at once (the browser came back online, or identity changed). */
  reconnectNow() {
    this.#attempt = 0;
    this.#teardown();
    this.#connect();
  }

  #connect() {
    clearTimeout(this.#retryTimer);
    this.#setState('connecting');
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const socket = new WebSocket(`${scheme}//${location.host}/ws`);
    this.#socket = socket;
    socket.onopen = () => {
      this.#setState('live');
      if (this.#token) this.#send({ op: 'auth', token: this.#token });
      if (this.#subscription) {
        const since = this.options.heldSeq();
        this.#send({ op: 'subscribe', ...this.#subscription, delta: true, ...(since >= 0 && { since }) });
      }
      this.#awaitingPong = false;
      this.#heartbeat = setInterval(() => this.#beat(), HEARTBEAT_MS);
    };
    socket.onmessage = (event) => {
      // A message proves the connection works: the next outage starts backing off from scratch.
      this.#attempt = 0;
      /** @type {unknown} */
      let parsed;
      try {
        parsed = JSON.parse(String(event.data));
      } catch {
        return;
      }
      // Frames come from our own server (protocol.ts); the type is its promise, not re-validated here.
      const message = /** @type {ServerMessage} */ (parsed);
      if (message.type === 'authenticated') this.isAuthenticated = true;
      if (message.type === 'pong') this.#awaitingPong = false;
      else this.options.onMessage(message);
    };
    socket.onclose = () => this.#scheduleRetry();
  }

  #beat() {
    if (this.#awaitingPong) {
      this.#scheduleRetry();
      return;
    }
    this.#awaitingPong = true;
    this.#send({ op: 'ping' });
  }

  #scheduleRetry() {
    this.#teardown();
    this.#setState('offline');
    // Exponential backoff with "equal jitter": half the delay fixed, half random, so a restarted
    // server is not hit by every client in the same instant.
    const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** this.#attempt);
    this.#attempt += 1;
    this.#retryTimer = setTimeout(() => this.#connect(), ceiling / 2 + Math.random() * (ceiling / 2));
  }

  /** Forgets the current socket without letting its late events act on the new one. */
  #teardown() {
    this.isAuthenticated = false;
    clearTimeout(this.#retryTimer);
    clearInterval(this.#heartbeat);
    const socket = this.#socket;
    this.#socket = undefined;
    if (!socket) return;
    socket.onopen = socket.onmessage = socket.onclose = null;
    if (socket.readyState === WebSocket.OPEN || socket.readyState === WebSocket.CONNECTING) socket.close();
  }

  /** @param {ClientMessage} message */
  #send(message) {
    if (this.#socket?.readyState === WebSocket.OPEN) this.#socket.send(JSON.stringify(message));
  }

  /** @param {ConnectionState} state */
  #setState(state) {
    if (state === this.state) return;
    this.state = state;
    this.options.onState(state);
  }
}

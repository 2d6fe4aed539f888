// @ts-check
/** @typedef {import('../../realtime/protocol.js').BoardEntry} BoardEntry */
/** @typedef {import('../../score/catalog.js').ActionType} ActionType */
/** @typedef {{ accessToken: string, tokenType: 'Bearer', expiresIn: number, refreshToken: string }} TokenPair */
/** @typedef {{ id: string, username: string, roles: string[] }} Me */
/** @typedef {{ id: string, metric: string, aggregate: string, order: 'desc' | 'asc', period: string, periodKey: string, state: 'upcoming' | 'live' | 'closed', startsAt?: string, endsAt?: string, resetsAt?: string }} Board */
/** @typedef {{ ticket: string, type: string, expiresAt: string }} Ticket */
/** @typedef {{ action: { id: string, type: string, points: number, values: Record<string, number>, at: string }, totals: Record<string, number> }} Receipt */

/** sessionStorage: survives a reload of this tab, dies with it, and is never shared with other tabs. */
const REFRESH_TOKEN_KEY = 'live-leaderboard.refresh-token';
/** Refresh this long before the access token expires (or a fifth of its lifetime, if shorter). */
const REFRESH_AHEAD_MS = 60_000;
/** A refresh that failed because the server was unreachable is retried after this long. */
const REFRESH_RETRY_MS = 5_000;

/** A failed call: the problem+json `code`, or `network` when the server could not be reached. */
export class ApiError extends Error {
  /**
   * @param {string} code
   * @param {number} status
   * @param {string} detail
   * @param {number} [retryAfterSeconds]
   */
  constructor(code, status, detail, retryAfterSeconds) {
    super(detail);
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/**
 * The HTTP API and the player's session. The access token lives only in memory; the refresh
 * token in sessionStorage so a reload keeps the player logged in. Tokens are refreshed before
 * they expire and, once, on a `401 token_expired`.
 */
export class ApiClient {
  /** @type {string | undefined} */
  accessToken;
  /** @type {Me | undefined} */
  user;
  /** @type {Promise<void> | undefined} */
  #refreshing;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  #refreshTimer;
  /** @type {Set<(user: Me | undefined, reason: 'login' | 'logout' | 'expired') => void>} */
  #listeners = new Set();

  /** @param {(user: Me | undefined, reason: 'login' | 'logout' | 'expired') => void} listener */
  onSessionChange(listener) {
    this.#listeners.add(listener);
  }

  /** @returns {Promise<ActionType[]>} */
  async actions() {
    return (/** @type {{ actions: ActionType[] }} */ (await this.#request('GET', '/api/v1/actions'))).actions;
  }

  /** @returns {Promise<Board[]>} */
  async boards() {
    return (/** @type {{ boards: Board[] }} */ (await this.#request('GET', '/api/v1/leaderboards'))).boards;
  }

  /**
   * The player's rank and score on a board, or undefined while unranked. Read from
   * `/api/v1/me/ranks`, where unranked is an answer, not the 404 of `…/{board}/me` that
   * the browser would log as an error.
   * @param {string} board
   * @returns {Promise<{ rank: number, score: number } | undefined>}
   */
  async myRank(board) {
    const { ranks } = /** @type {{ ranks: { board: string, rank: number, score: number }[] }} */ (await this.#request('GET', '/api/v1/me/ranks', { auth: true }));
    return ranks.find((rank) => rank.board === board);
  }

  /**
   * @param {string} type
   * @returns {Promise<Ticket>}
   */
  async startAction(type) {
    return /** @type {Ticket} */ (await this.#request('POST', `/api/v1/actions/${encodeURIComponent(type)}/start`, { auth: true }));
  }

  /**
   * @param {{ type: string, idempotencyKey: string, ticket?: string }} body
   * @returns {Promise<Receipt>}
   */
  async submitAction(body) {
    return /** @type {Receipt} */ (await this.#request('POST', '/api/v1/actions', { auth: true, body }));
  }

  /**
   * @param {string} username
   * @param {string} password
   */
  async register(username, password) {
    await this.#request('POST', '/api/v1/auth/register', { body: { username, password } });
    await this.login(username, password);
  }

  /**
   * @param {string} username
   * @param {string} password
   */
  async login(username, password) {
    this.#adopt(/** @type {TokenPair} */ (await this.#request('POST', '/api/v1/auth/login', { body: { username, password } })));
    await this.#loadUser();
  }

  /** Picks up the session this tab had before a reload, if its refresh token is still good. */
  async restore() {
    if (!sessionStorage.getItem(REFRESH_TOKEN_KEY)) return;
    await this.refresh();
    await this.#loadUser();
  }

  async logout() {
    const refreshToken = sessionStorage.getItem(REFRESH_TOKEN_KEY);
    this.#end('logout');
    // Revoke on the server too; if it is unreachable the token simply ages out.
    if (refreshToken) await this.#request('POST', '/api/v1/auth/logout', { body: { refreshToken } }).catch(() => undefined);
  }

  /**
   * Trades the refresh token for a new pair. Single-flight: refresh tokens are single-use, and
   * presenting a spent one revokes the whole session, so concurrent callers share one request.
   * @returns {Promise<void>}
   */
  refresh() {
    this.#refreshing ??= this.#doRefresh().finally(() => {
      this.#refreshing = undefined;
    });
    return this.#refreshing;
  }

  async #doRefresh() {
    const refreshToken = sessionStorage.getItem(REFRESH_TOKEN_KEY);
    if (!refreshToken) {
      this.#end('expired');
      throw new ApiError('token_expired', 401, 'No session to refresh.');
    }
    try {
      this.#adopt(/** @type {TokenPair} */ (await this.#request('POST', '/api/v1/auth/refresh', { body: { refreshToken } })));
    } catch (error) {
      if (error instanceof ApiError && (error.code === 'network' || error.code === 'unavailable' || error.code === 'rate_limited')) {
        // The server is restarting or busy: the session is fine, try again shortly.
        this.#schedule(REFRESH_RETRY_MS);
      } else if (this.user || this.accessToken) {
        this.#end('expired');
      } else {
        sessionStorage.removeItem(REFRESH_TOKEN_KEY);
      }
      throw error;
    }
  }

  /** @param {TokenPair} pair */
  #adopt(pair) {
    this.accessToken = pair.accessToken;
    sessionStorage.setItem(REFRESH_TOKEN_KEY, pair.refreshToken);
    const lifetimeMs = pair.expiresIn * 1000;
    this.#schedule(lifetimeMs - Math.min(REFRESH_AHEAD_MS, lifetimeMs / 5));
  }

  /** @param {number} delayMs */
  #schedule(delayMs) {
    clearTimeout(this.#refreshTimer);
    this.#refreshTimer = setTimeout(() => {
      // Failures are handled inside (retry or end the session); nothing to report here.
      this.refresh().catch(() => undefined);
    }, Math.max(1_000, delayMs));
  }

  async #loadUser() {
    this.user = /** @type {Me} */ (await this.#request('GET', '/api/v1/me', { auth: true }));
    for (const listener of this.#listeners) listener(this.user, 'login');
  }

  /** @param {'logout' | 'expired'} reason */
  #end(reason) {
    clearTimeout(this.#refreshTimer);
    sessionStorage.removeItem(REFRESH_TOKEN_KEY);
    const wasLoggedIn = this.user !== undefined;
    this.accessToken = undefined;
    this.user = undefined;
    if (wasLoggedIn) for (const listener of this.#listeners) listener(undefined, reason);
  }

  /**
   * @param {'GET' | 'POST'} method
   * @param {string} path
   * @param {{ body?: unknown, auth?: boolean }} [options]
   * @returns {Promise<unknown>}
   */
  async #request(method, path, { body, auth = false } = {}) {
    const send = async () => {
      /** @type {Record<string, string>} */
      const headers = { accept: 'application/json' };
      if (body !== undefined) headers['content-type'] = 'application/json';
      if (auth) {
        if (!this.accessToken) throw new ApiError('unauthorized', 401, 'Not logged in.');
        headers.authorization = `Bearer ${this.accessToken}`;
      }
      try {
        return await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      } catch {
        throw new ApiError('network', 0, 'The server could not be reached.');
      }
    };
    let response = await send();
    if (auth && response.status === 401) {
      const problem = await readProblem(response);
      if (problem.code !== 'token_expired') throw problem;
      await this.refresh();
      response = await send();
    }
    if (!response.ok) throw await readProblem(response);
    return response.status === 204 ? undefined : response.json();
  }
}

/**
 * @param {Response} response
 * @returns {Promise<ApiError>}
 */
async function readProblem(response) {
  const retryAfter = Number.parseInt(response.headers.get('retry-after') ?? '', 10);
  /** @type {{ code?: unknown, detail?: unknown }} */
  let problem = {};
  try {
    /** @type {unknown} */
    const body = await response.json();
    if (typeof body === 'object' && body !== null) problem = body;
  } catch {
    // Not problem+json (e.g. a proxy's error page): fall back on the status.
  }
  const code = typeof problem.code === 'string' ? problem.code : response.status >= 500 ? 'unavailable' : 'invalid_request';
  return new ApiError(code, response.status, typeof problem.detail === 'string' ? problem.detail : response.statusText, Number.isFinite(retryAfter) ? retryAfter : undefined);
}

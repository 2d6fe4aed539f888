import { LeaderboardError } from './errors.js';
import type { Http } from './http.js';
import { backgroundTimeout } from './timers.js';
import type { Credentials, Me, TokenPair } from './types.js';

/** Where the refresh token is kept between page loads (or not at all: the default). */
export interface RefreshTokenStore {
  load(): string | null | undefined;
  save(refreshToken: string): void;
  clear(): void;
}

/** Keeps the refresh token in memory only: the session ends with the process or page. */
export function memoryTokenStore(): RefreshTokenStore {
  let token: string | undefined;
  return {
    load: () => token,
    save: (value) => void (token = value),
    clear: () => void (token = undefined),
  };
}

/**
 * Keeps the refresh token in a Web Storage area under `key`, e.g. `sessionStorage`: a reload
 * of the tab keeps the player logged in, and the token dies with the tab.
 */
export function webStorageTokenStore(storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>, key = 'live-leaderboard.refresh-token'): RefreshTokenStore {
  return {
    load: () => storage.getItem(key),
    save: (value) => storage.setItem(key, value),
    clear: () => storage.removeItem(key),
  };
}

export type SessionChange = 'login' | 'refresh' | 'logout' | 'expired';
export type SessionListener = (user: Me | undefined, change: SessionChange) => void;

/** Refresh this long before the access token expires (or at four fifths of its life, if shorter). */
const REFRESH_AHEAD_MS = 60_000;
/** A refresh that failed because the server was unreachable or busy is tried again after this long. */
const REFRESH_RETRY_MS = 5_000;

/**
 * The player's session (docs/API.md "Authentication service"). The access token lives in
 * memory and is refreshed before it expires; the refresh token is single-use, so refreshing is
 * single-flight: concurrent callers share one request, since presenting a spent refresh token
 * revokes the whole session.
 */
export class Session {
  #accessToken: string | undefined;
  #user: Me | undefined;
  #refreshing: Promise<string> | undefined;
  #refreshTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #listeners = new Set<SessionListener>();

  constructor(
    private readonly http: Http,
    private readonly store: RefreshTokenStore,
  ) {}

  /** The logged-in player, or undefined. */
  get user(): Me | undefined {
    return this.#user;
  }

  /** The current access token, for a caller that sends it itself (undefined when logged out). */
  get accessToken(): string | undefined {
    return this.#accessToken;
  }

  /** Calls `listener` on login, on each token refresh, on logout and when the session expires. Returns a function that stops it. */
  onChange(listener: SessionListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Creates the account, then logs in as it. */
  async register(credentials: Credentials): Promise<Me> {
    await this.http.json('POST', '/api/v1/auth/register', { body: credentials });
    return this.login(credentials);
  }

  async login(credentials: Credentials): Promise<Me> {
    this.#adopt(await this.http.json<TokenPair>('POST', '/api/v1/auth/login', { body: credentials }));
    return this.#loadUser();
  }

  /** Picks up a session kept in the token store (a reloaded page); undefined when there is none, or it ended. */
  async restore(): Promise<Me | undefined> {
    if (!this.store.load()) return undefined;
    try {
      await this.refresh();
    } catch (error) {
      if (error instanceof LeaderboardError && error.status === 401) return undefined;
      throw error;
    }
    return this.#loadUser();
  }

  /** Ends the session here at once, and revokes it on the server (if unreachable, the token ages out). */
  async logout(): Promise<void> {
    const refreshToken = this.store.load();
    this.#end('logout');
    if (refreshToken) await this.http.json('POST', '/api/v1/auth/logout', { body: { refreshToken } }).catch(() => undefined);
  }

  /** Trades the refresh token for a new pair (single-flight) and returns the new access token. */
  refresh(): Promise<string> {
    this.#refreshing ??= this.#doRefresh().finally(() => {
      this.#refreshing = undefined;
    });
    return this.#refreshing;
  }

  /**
   * Runs `call` with the access token; when the server answers `token_expired`, once more with
   * a renewed one. Every authenticated call of the library goes through here.
   */
  async withToken<T>(call: (bearer: string) => Promise<T>): Promise<T> {
    const bearer = await this.token();
    try {
      return await call(bearer);
    } catch (error) {
      if (!(error instanceof LeaderboardError) || error.code !== 'token_expired') throw error;
      return call(await this.renew(bearer));
    }
  }

  /**
   * A token to send instead of `expired`, which the server answered `token_expired`: the current
   * one when another call refreshed meanwhile (a second refresh would spend a refresh token for
   * nothing), else a fresh one from `refresh`.
   */
  renew(expired: string): Promise<string> {
    if (!this.#refreshing && this.#accessToken !== undefined && this.#accessToken !== expired) return Promise.resolve(this.#accessToken);
    return this.refresh();
  }

  /** An access token to send, or `unauthorized` when logged out. */
  async token(): Promise<string> {
    if (this.#refreshing) return this.#refreshing;
    if (this.#accessToken) return this.#accessToken;
    throw new LeaderboardError('unauthorized', 401, 'Not logged in.');
  }

  /** Stops the refresh timer (the client is being closed); the session itself is kept. */
  stop(): void {
    clearTimeout(this.#refreshTimer);
  }

  async #doRefresh(): Promise<string> {
    const refreshToken = this.store.load();
    if (!refreshToken) {
      this.#end('expired');
      throw new LeaderboardError('token_expired', 401, 'The session has ended: log in again.');
    }
    try {
      this.#adopt(await this.http.json<TokenPair>('POST', '/api/v1/auth/refresh', { body: { refreshToken } }));
    } catch (error) {
      const transient = error instanceof LeaderboardError && (error.code === 'network' || error.status === 429 || error.status >= 500);
      if (transient) this.#schedule(REFRESH_RETRY_MS);
      else this.#end('expired');
      throw error;
    }
    if (this.#user) this.#emit('refresh');
    return this.#accessToken as string;
  }

  #adopt(pair: TokenPair): void {
    this.#accessToken = pair.accessToken;
    this.store.save(pair.refreshToken);
    const lifetimeMs = pair.expiresIn * 1000;
    this.#schedule(lifetimeMs - Math.min(REFRESH_AHEAD_MS, lifetimeMs / 5));
  }

  #schedule(delayMs: number): void {
    clearTimeout(this.#refreshTimer);
    // Failures are handled inside (retry later, or end the session): nothing to report here.
    this.#refreshTimer = backgroundTimeout(() => void this.refresh().catch(() => undefined), Math.max(1_000, delayMs));
  }

  async #loadUser(): Promise<Me> {
    const token = await this.token();
    this.#user = await this.http.json<Me>('GET', '/api/v1/me', { bearer: token });
    this.#emit('login');
    return this.#user;
  }

  #end(change: 'logout' | 'expired'): void {
    clearTimeout(this.#refreshTimer);
    this.store.clear();
    const wasLoggedIn = this.#user !== undefined || this.#accessToken !== undefined;
    this.#accessToken = undefined;
    this.#user = undefined;
    if (wasLoggedIn) this.#emit(change);
  }

  #emit(change: SessionChange): void {
    for (const listener of this.#listeners) listener(this.#user, change);
  }
}

import { AdminApi } from './admin.js';
import { Http, type FetchFunction, type RequestOptions } from './http.js';
import { LiveConnection, type WebSocketConstructor } from './live.js';
import { Session, memoryTokenStore, type RefreshTokenStore } from './session.js';
import { newIdempotencyKey } from './idempotency-key.js';
import type { ActionType, Board, BoardEntry, BoardPage, MyRank, Receipt, Standing, Ticket, UsersPage } from './types.js';

export interface ClientOptions {
  /** The server, e.g. `https://scores.example.com`; in a browser, default: the page's own origin. */
  baseUrl?: string;
  /** A WebSocket constructor where the platform has none (Node 20: `WebSocket` from `ws`). */
  WebSocket?: WebSocketConstructor;
  /** A fetch implementation; default: the global one. */
  fetch?: FetchFunction;
  /** Where the refresh token is kept; default: memory only. In a page, e.g. `webStorageTokenStore(sessionStorage)`. */
  tokenStore?: RefreshTokenStore;
}

/** A player's client: their session, their actions, the boards, and live lists. */
export type LeaderboardClient = ReturnType<typeof createClient>;

/**
 * Creates a player client (docs/API.md; the library's README has the walk-through).
 *
 * @example
 * const client = createClient({ baseUrl: 'http://localhost:3000', WebSocket });
 * await client.auth.login({ username: 'ada', password: 'correct horse' });
 * await client.actions.submit('click');
 * client.live.subscribe({ board: 'global', limit: 10, onChange: (list) => console.table(list.entries) });
 */
export function createClient(options: ClientOptions = {}) {
  const baseUrl = options.baseUrl ?? (globalThis as { location?: { origin: string } }).location?.origin;
  if (baseUrl === undefined) throw new Error('createClient needs a baseUrl outside a browser page, e.g. "http://localhost:3000".');
  const fetchFunction = options.fetch ?? ((input: string, init?: RequestInit) => fetch(input, init));
  const http = new Http(baseUrl, fetchFunction);
  const session = new Session(http, options.tokenStore ?? memoryTokenStore());
  const live = new LiveConnection(`${http.baseUrl.replace(/^http/, 'ws')}/ws`, options.WebSocket, session);

  /** A request as the logged-in player; an expired access token is refreshed once and the request sent again. */
  function authed<T>(method: 'GET' | 'POST' | 'DELETE', path: string, request: RequestOptions = {}): Promise<T> {
    return session.withToken((bearer) => http.json<T>(method, path, { ...request, bearer }));
  }
  /** The same, answering with the response itself (a streamed export). */
  function authedResponse(method: 'GET' | 'POST' | 'DELETE', path: string, request: RequestOptions = {}): Promise<Response> {
    return session.withToken((bearer) => http.send(method, path, { ...request, bearer }));
  }

  const path = (template: string, ...parts: string[]) => template.replace(/\{\}/g, () => encodeURIComponent(parts.shift() ?? ''));

  return {
    /** Register, log in and out; the session refreshes its token by itself. */
    auth: session,

    actions: {
      /** The catalog: every action type, its points, mode and limits. */
      list: async (): Promise<ActionType[]> => (await http.json<{ actions: ActionType[] }>('GET', '/api/v1/actions')).actions,
      /**
       * Performs an instant action. The idempotency key (random unless given) makes a retry after
       * a lost answer safe: the server answers it with the original receipt.
       */
      submit: (type: string, action: { idempotencyKey?: string; ticket?: string } = {}): Promise<Receipt> =>
        authed<Receipt>('POST', '/api/v1/actions', {
          body: { type, idempotencyKey: action.idempotencyKey ?? newIdempotencyKey(), ...(action.ticket !== undefined && { ticket: action.ticket }) },
          idempotent: true,
        }),
      /** Starts a timed action: the ticket its completion must carry. */
      start: (type: string): Promise<Ticket> => authed<Ticket>('POST', path('/api/v1/actions/{}/start', type)),
      /** Completes a timed action started with `start`. */
      complete: (ticket: Ticket, action: { idempotencyKey?: string } = {}): Promise<Receipt> =>
        authed<Receipt>('POST', '/api/v1/actions', {
          body: { type: ticket.type, ticket: ticket.ticket, idempotencyKey: action.idempotencyKey ?? newIdempotencyKey() },
          idempotent: true,
        }),
    },

    boards: {
      list: async (): Promise<Board[]> => (await http.json<{ boards: Board[] }>('GET', '/api/v1/leaderboards')).boards,
      /** A page of a board (`limit` 1–100, `offset`), of its current period or of a kept earlier one. */
      top: (board: string, page: { limit?: number; offset?: number; period?: string } = {}): Promise<BoardPage> =>
        http.json<BoardPage>('GET', path('/api/v1/leaderboards/{}', board), { query: page }),
      /** One player's entry; `not_found` while unranked. */
      user: (board: string, userId: string, page: { period?: string } = {}): Promise<BoardEntry> =>
        http.json<BoardEntry>('GET', path('/api/v1/leaderboards/{}/users/{}', board, userId), { query: page }),
      /** The entries of up to 100 players (unranked ones are left out). */
      users: (board: string, userIds: readonly string[], page: { period?: string } = {}): Promise<UsersPage> =>
        http.json<UsersPage>('GET', path('/api/v1/leaderboards/{}/users', board), { query: { ids: userIds.join(','), ...page } }),
      /** The logged-in player's entry and `radius` neighbours above and below; `not_found` while unranked. */
      me: (board: string, options: { radius?: number } = {}): Promise<Standing> =>
        authed<Standing>('GET', path('/api/v1/leaderboards/{}/me', board), { query: options }),
      /** The logged-in player's rank on every board where they are ranked. */
      myRanks: async (): Promise<MyRank[]> => (await authed<{ ranks: MyRank[] }>('GET', '/api/v1/me/ranks')).ranks,
    },

    /** Live lists over one WebSocket, reconnecting by itself. */
    live,

    /** The operator's routes; every call needs an admin's session. */
    admin: new AdminApi(authed, authedResponse),

    /** Closes the live connection and stops refreshing; the server session stays (see `auth.logout`). */
    close(): void {
      live.close();
      session.stop();
    },
  };
}

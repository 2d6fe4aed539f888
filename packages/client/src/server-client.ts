import { Http, type FetchFunction } from './http.js';
import { newIdempotencyKey } from './idempotency-key.js';
import type { HeldReceipt, ServerAction, ServerReceipt } from './types.js';

export interface ServerClientOptions {
  /** The leaderboard server, e.g. `http://leaderboard.internal:3000`. */
  baseUrl: string;
  /** A server credential's secret (`llb_sk_…`), from the console or `npm run credentials -- create NAME`. */
  secret: string;
  fetch?: FetchFunction;
}

/** What `submit` answers: counted now (`201`), or held for an operator's review (`202`, `action.status` is `held`). */
export type ServerSubmitResult = ServerReceipt | HeldReceipt;

/**
 * A game server's client (docs/API.md "Trusted game servers"): it reports actions for any
 * player, with values it measured. Keep the secret on the server; never ship it to a browser.
 */
export function createServerClient(options: ServerClientOptions) {
  const http = new Http(options.baseUrl, options.fetch ?? ((input: string, init?: RequestInit) => fetch(input, init)));
  return {
    /**
     * Reports one action. Pass your own `idempotencyKey` (e.g. the match id and the player) so
     * that a retry after a crash counts once; without one, a random key still makes this call's
     * own retries safe.
     */
    submit(action: Omit<ServerAction, 'idempotencyKey'> & { idempotencyKey?: string }): Promise<ServerSubmitResult> {
      const body: ServerAction = { ...action, idempotencyKey: action.idempotencyKey ?? newIdempotencyKey() };
      return http.json<ServerSubmitResult>('POST', '/api/v1/server/actions', { body, bearer: options.secret, idempotent: true });
    },
  };
}

export function isHeld(result: ServerSubmitResult): result is HeldReceipt {
  return 'status' in result.action && result.action.status === 'held';
}

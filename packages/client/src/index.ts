/**
 * @live-leaderboard/client: the typed client of a live-leaderboard server.
 *
 * - `createClient` for players (browsers and Node 20): session, actions, boards, live lists.
 * - `createServerClient` for game servers: report actions with a server credential.
 */
export { createClient, type ClientOptions, type LeaderboardClient } from './player-client.js';
export { createServerClient, isHeld, type ServerClientOptions, type ServerSubmitResult } from './server-client.js';
export { LeaderboardError } from './errors.js';
export { memoryTokenStore, webStorageTokenStore, type RefreshTokenStore, type SessionChange, type SessionListener, type Session } from './session.js';
export type {
  AroundSubscribeOptions,
  AroundWindow,
  ConnectionStatus,
  LiveConnection,
  RankChange,
  Subscription,
  TopList,
  TopSubscribeOptions,
  WebSocketConstructor,
} from './live.js';
export type { AdminApi } from './admin.js';
export { applyDelta } from './board-list.js';
export { newIdempotencyKey } from './idempotency-key.js';
export type * from './types.js';

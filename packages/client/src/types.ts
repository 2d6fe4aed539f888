/**
 * Named types for the shapes the API exchanges, picked out of the generated contract
 * (contract.generated.ts), so they follow the server's schemas exactly.
 */
import type { components, paths } from './contract.generated.js';

type Method = 'get' | 'post' | 'delete';
type JsonOf<R> = R extends { content: { 'application/json': infer T } } ? T : never;
/** The JSON body of the `status` response of `method path`. */
type Reply<P extends keyof paths, M extends Method, S extends number> = paths[P][M] extends { responses: infer R }
  ? S extends keyof R
    ? JsonOf<R[S]>
    : never
  : never;
/** The JSON request body of `method path`. */
type RequestBody<P extends keyof paths, M extends Method> = paths[P][M] extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;

// The WebSocket protocol.
export type ClientMessage = components['schemas']['ClientMessage'];
export type ServerMessage = components['schemas']['ServerMessage'];
/** One ranked player: `{ rank, userId, username, score }`. */
export type BoardEntry = Extract<ServerMessage, { type: 'snapshot' }>['entries'][number];

// Errors.
/** Every `code` a problem+json body can carry. */
export type ProblemCode = Reply<'/api/v1/actions', 'post', 400>['code'];

// Authentication.
export type Credentials = RequestBody<'/api/v1/auth/login', 'post'>;
export type TokenPair = Reply<'/api/v1/auth/login', 'post', 200>;
export type Me = Reply<'/api/v1/me', 'get', 200>;

// Actions.
export type ActionType = Reply<'/api/v1/actions', 'get', 200>['actions'][number];
export type Ticket = Reply<'/api/v1/actions/{type}/start', 'post', 201>;
/** The answer to an accepted action: what was counted, and the player's totals per board. */
export type Receipt = Reply<'/api/v1/actions', 'post', 201>;

// Boards.
export type Board = Reply<'/api/v1/leaderboards', 'get', 200>['boards'][number];
export type BoardPage = Reply<'/api/v1/leaderboards/{board}', 'get', 200>;
export type Standing = Reply<'/api/v1/leaderboards/{board}/me', 'get', 200>;
export type MyRank = Reply<'/api/v1/me/ranks', 'get', 200>['ranks'][number];
export type UsersPage = Reply<'/api/v1/leaderboards/{board}/users', 'get', 200>;

// Game servers.
export type ServerAction = RequestBody<'/api/v1/server/actions', 'post'>;
export type ServerReceipt = Reply<'/api/v1/server/actions', 'post', 201>;
/** A server action held for review (`202`): counted only once an operator approves it. */
export type HeldReceipt = Reply<'/api/v1/server/actions', 'post', 202>;

// Administration.
export type AdminUser = Reply<'/api/v1/admin/users', 'get', 200>['users'][number];
export type AuditPage = Reply<'/api/v1/admin/audit', 'get', 200>;
export type ReviewPage = Reply<'/api/v1/admin/review', 'get', 200>;
export type CreatedCredential = Reply<'/api/v1/admin/credentials', 'post', 201>;
export type Credential = Reply<'/api/v1/admin/credentials', 'get', 200>['credentials'][number];
export type DeliveryPage = Reply<'/api/v1/admin/webhooks/deliveries', 'get', 200>;

/**
 * The WebSocket protocol (docs/API.md "Realtime"), shared by the server and its clients.
 * Every frame is one JSON object: clients send `op`s, the server sends `type`s.
 *
 * The frames are declared once, as schemas: the server's types are derived from them here, and
 * the same schemas are published in `/openapi.json` (components `ClientMessage`,
 * `ServerMessage`), from which the client library's types are generated.
 */
import { Type, type Static } from 'typebox';

/** @default 10 */
export const DEFAULT_SUBSCRIBE_LIMIT = 10;
export const MAX_SUBSCRIBE_LIMIT = 100;
/** @default 5 */
export const DEFAULT_RADIUS = 5;
export const MAX_RADIUS = 25;

const BoardName = Type.String({ minLength: 1, maxLength: 64 });
const Seq = Type.Integer({ minimum: 0, description: 'The board\'s change counter: each change to its top list increments it.' });

export const BoardEntrySchema = Type.Object({
  rank: Type.Integer({ minimum: 1 }),
  userId: Type.String(),
  username: Type.String(),
  score: Type.Number(),
});
export type BoardEntry = Static<typeof BoardEntrySchema>;

export const ClientMessageSchema = Type.Union([
  Type.Object(
    {
      op: Type.Literal('subscribe'),
      board: BoardName,
      limit: Type.Integer({ minimum: 1, maximum: MAX_SUBSCRIBE_LIMIT }),
      delta: Type.Optional(Type.Boolean()),
      since: Type.Optional(Seq),
    },
    { description: 'A top-N subscription: `update`s of the whole list, or with `delta` chained `delta`s (resumed from `since`).' },
  ),
  Type.Object(
    { op: Type.Literal('subscribe'), board: BoardName, around: Type.Literal('me'), radius: Type.Integer({ minimum: 0, maximum: MAX_RADIUS }) },
    { description: 'An around-me subscription: `window`s of the player\'s own entry and `radius` entries above and below.' },
  ),
  Type.Object({ op: Type.Literal('unsubscribe'), board: BoardName, around: Type.Optional(Type.Literal('me')) }),
  Type.Object({ op: Type.Literal('auth'), token: Type.String({ minLength: 1, maxLength: 4096 }) }),
  Type.Object({ op: Type.Literal('ping') }),
]);
export type ClientMessage = Static<typeof ClientMessageSchema>;

export const ServerMessageSchema = Type.Union([
  Type.Object({ type: Type.Literal('snapshot'), board: Type.String(), seq: Seq, entries: Type.Array(BoardEntrySchema) }),
  Type.Object({ type: Type.Literal('update'), board: Type.String(), seq: Seq, entries: Type.Array(BoardEntrySchema) }),
  Type.Object(
    { type: Type.Literal('delta'), board: Type.String(), seq: Seq, from: Type.Integer({ minimum: 0, description: 'The seq of the list this delta applies to.' }), size: Type.Integer({ minimum: 0 }), changes: Type.Array(BoardEntrySchema) },
    { description: 'Applied to the list at `from`: truncate it to `size`, then put each change at its rank.' },
  ),
  Type.Object({ type: Type.Literal('window'), board: Type.String(), seq: Seq, me: Type.Union([BoardEntrySchema, Type.Null()]), entries: Type.Array(BoardEntrySchema) }),
  Type.Object({ type: Type.Literal('rank'), board: Type.String(), rank: Type.Integer({ minimum: 1 }), score: Type.Number() }),
  Type.Object({ type: Type.Literal('authenticated'), userId: Type.String() }),
  Type.Object({ type: Type.Literal('pong') }),
  Type.Object({ type: Type.Literal('error'), code: Type.String(), message: Type.String() }),
]);
export type ServerMessage = Static<typeof ServerMessageSchema>;


export type ParseResult = { ok: true; message: ClientMessage } | { ok: false; message: string };

/** Validates one text frame. Never throws: anything malformed is a reason, not an exception. */
export function parseClientMessage(text: string): ParseResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, message: 'Frames must be JSON objects.' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, message: 'Frames must be JSON objects.' };
  const frame = value as Record<string, unknown>;
  switch (frame.op) {
    case 'subscribe': {
      if (!isBoardName(frame.board)) return { ok: false, message: 'subscribe needs a "board" name.' };
      if (frame.around !== undefined) {
        if (frame.around !== 'me') return { ok: false, message: '"around" must be "me".' };
        if (frame.delta !== undefined || frame.since !== undefined || frame.limit !== undefined) {
          return { ok: false, message: 'An around-me subscription takes "radius", not "limit", "delta" or "since".' };
        }
        const radius = frame.radius ?? DEFAULT_RADIUS;
        if (!isIntegerIn(radius, 0, MAX_RADIUS)) return { ok: false, message: `"radius" must be an integer from 0 to ${MAX_RADIUS}.` };
        return { ok: true, message: { op: 'subscribe', board: frame.board, around: 'me', radius } };
      }
      if (frame.radius !== undefined) return { ok: false, message: '"radius" goes with "around": "me".' };
      const limit = frame.limit ?? DEFAULT_SUBSCRIBE_LIMIT;
      if (!isIntegerIn(limit, 1, MAX_SUBSCRIBE_LIMIT)) return { ok: false, message: `"limit" must be an integer from 1 to ${MAX_SUBSCRIBE_LIMIT}.` };
      const delta = frame.delta ?? false;
      if (typeof delta !== 'boolean') return { ok: false, message: '"delta" must be true or false.' };
      if (frame.since === undefined) return { ok: true, message: { op: 'subscribe', board: frame.board, limit, delta } };
      if (!delta) return { ok: false, message: '"since" resumes a delta subscription: send "delta": true with it.' };
      if (!isIntegerIn(frame.since, 0, Number.MAX_SAFE_INTEGER)) return { ok: false, message: '"since" must be a seq: a whole number from 0.' };
      return { ok: true, message: { op: 'subscribe', board: frame.board, limit, delta, since: frame.since } };
    }
    case 'unsubscribe':
      if (!isBoardName(frame.board)) return { ok: false, message: 'unsubscribe needs a "board" name.' };
      if (frame.around !== undefined && frame.around !== 'me') return { ok: false, message: '"around" must be "me".' };
      return { ok: true, message: { op: 'unsubscribe', board: frame.board, ...(frame.around === 'me' && { around: 'me' as const }) } };
    case 'auth':
      if (typeof frame.token !== 'string' || frame.token === '' || frame.token.length > 4096) return { ok: false, message: 'auth needs a "token".' };
      return { ok: true, message: { op: 'auth', token: frame.token } };
    case 'ping':
      return { ok: true, message: { op: 'ping' } };
    default:
      return { ok: false, message: 'Unknown "op"; expected subscribe, unsubscribe, auth or ping.' };
  }
}

function isIntegerIn(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

function isBoardName(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= 64;
}

/**
 * The WebSocket protocol (docs/API.md "Realtime"), shared by the server and the browser client.
 * Every frame is one JSON object: clients send `op`s, the server sends `type`s.
 */
import type { BoardEntry } from '../platform/events.js';

export type { BoardEntry };

export type ClientMessage =
  | { op: 'subscribe'; board: string; limit: number }
  | { op: 'unsubscribe'; board: string }
  | { op: 'auth'; token: string }
  | { op: 'ping' };

export type ServerMessage =
  | { type: 'snapshot'; board: string; seq: number; entries: BoardEntry[] }
  | { type: 'update'; board: string; seq: number; entries: BoardEntry[] }
  | { type: 'rank'; board: string; rank: number; score: number }
  | { type: 'authenticated'; userId: string }
  | { type: 'pong' }
  | { type: 'error'; code: string; message: string };

/** @default 10 */
export const DEFAULT_SUBSCRIBE_LIMIT = 10;
export const MAX_SUBSCRIBE_LIMIT = 100;

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
      const limit = frame.limit ?? DEFAULT_SUBSCRIBE_LIMIT;
      if (!isBoardName(frame.board)) return { ok: false, message: 'subscribe needs a "board" name.' };
      if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > MAX_SUBSCRIBE_LIMIT) {
        return { ok: false, message: `"limit" must be an integer from 1 to ${MAX_SUBSCRIBE_LIMIT}.` };
      }
      return { ok: true, message: { op: 'subscribe', board: frame.board, limit } };
    }
    case 'unsubscribe':
      if (!isBoardName(frame.board)) return { ok: false, message: 'unsubscribe needs a "board" name.' };
      return { ok: true, message: { op: 'unsubscribe', board: frame.board } };
    case 'auth':
      if (typeof frame.token !== 'string' || frame.token === '' || frame.token.length > 4096) return { ok: false, message: 'auth needs a "token".' };
      return { ok: true, message: { op: 'auth', token: frame.token } };
    case 'ping':
      return { ok: true, message: { op: 'ping' } };
    default:
      return { ok: false, message: 'Unknown "op"; expected subscribe, unsubscribe, auth or ping.' };
  }
}

function isBoardName(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= 64;
}

import { randomUUID } from 'node:crypto';
import type { BoardEntry } from '../platform/events.js';

/** The action of an `action.held` event: as the game server was answered (`202`). */
export interface HeldActionData {
  id: string;
  type: string;
  points: number;
  values: Record<string, number>;
  /** ISO time */
  at: string;
  status: 'held';
}

/** docs/API.md "Webhooks": every event a receiver may get, keyed by `type`. */
export type WebhookEvent =
  /** A daily, weekly or monthly period ended, or a season closed: the final top 100. */
  | { type: 'period.closed'; data: { board: string; period: string; entries: BoardEntry[] } }
  | { type: 'action.held'; data: { action: HeldActionData; userId: string } }
  | { type: 'user.banned'; data: { userId: string } }
  | { type: 'user.unbanned'; data: { userId: string } };

export type WebhookEventType = WebhookEvent['type'];

/**
 * An event as stored and sent: its `id` (the `webhook-id` header) is the same on every
 * attempt and for every receiver, so a receiver drops duplicates by it; the body is fixed
 * when the event happens, so a retry sends the very same bytes.
 */
export interface WebhookMessage {
  id: string;
  type: WebhookEventType;
  body: string;
}

/** The Standard Webhooks message of `event`, which happened at `at` (ms). */
export function webhookMessage(event: WebhookEvent, at: number): WebhookMessage {
  const id = `msg_${randomUUID().replaceAll('-', '')}`;
  return { id, type: event.type, body: JSON.stringify({ type: event.type, timestamp: new Date(at).toISOString(), data: event.data }) };
}

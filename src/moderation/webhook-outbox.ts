import type { PostgresClient } from '../platform/postgres.js';
import type { WebhookEvent, WebhookEventType } from './webhook-events.js';

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

/** One event to one receiver, as the delivery log shows it. */
export interface WebhookDelivery {
  /** The message id (`webhook-id`), shared by every receiver of the event. */
  id: string;
  type: WebhookEventType;
  url: string;
  status: DeliveryStatus;
  attempts: number;
  lastError?: string;
  /** ms */
  createdAt: number;
  /** ms */
  deliveredAt?: number;
}

/** A delivery waiting to be sent (or sent again). */
export interface PendingDelivery {
  /** The row's key: the order of deliveries to one receiver. */
  key: string;
  messageId: string;
  body: string;
  attempts: number;
  /** ms */
  createdAt: number;
  /** ms: not sent again before this */
  nextAttemptAt: number;
}

/**
 * Port: the durable outbox of outgoing webhooks, one row per event and receiver. Rows are
 * written in the transaction of the change that causes them (a held action by the ledger,
 * a ban by the ban list, through the writers of each adapter) or, for a period's end, once
 * by `closePeriod`; the sender works them off in order per receiver.
 */
export interface WebhookOutbox {
  /** The receivers' deliveries of `events`, in a transaction of their own. */
  enqueue(events: readonly WebhookEvent[], now: number): Promise<void>;
  /**
   * The receiver's oldest undelivered rows, in order, whether due or not: the first one not
   * yet due holds the later ones back (in order per receiver).
   */
  pendingFor(url: string, limit: number): Promise<PendingDelivery[]>;
  markDelivered(key: string, at: number): Promise<void>;
  /** A failed attempt: retried at `nextAttemptAt`, or given up (`failed`) when `giveUp`. */
  markAttemptFailed(key: string, failure: { error: string; nextAttemptAt: number; giveUp: boolean }): Promise<void>;
  /** The delivery log, newest first. */
  deliveries(limit: number, offset: number): Promise<WebhookDelivery[]>;
  /** Deletes up to `limit` delivered or failed rows of events before `before` (ms); answers how many. Pending rows stay. */
  forgetSettled(before: number, limit: number): Promise<number>;
  /**
   * Since when period ends of `board` are watched: recorded at the first call (`now`), kept
   * across restarts. A period that ended before it is never announced, so turning the system
   * on does not announce yesterday.
   */
  watchedSince(board: string, now: number): Promise<number>;
  isClosed(board: string, period: string): Promise<boolean>;
  /**
   * Records that `period` of `board` closed and, in the same transaction, `event` to every
   * receiver — once: false when the period was closed before (by this node or another).
   */
  closePeriod(board: string, period: string, event: WebhookEvent, now: number): Promise<boolean>;
  /** Runs `work` unless another node is delivering to `url` at this moment (then it does nothing). */
  exclusively(url: string, work: () => Promise<void>): Promise<void>;
}

/** Writes webhook events inside a transaction of the embedded database the caller has open. */
export interface SqliteWebhookWriter {
  write(events: readonly WebhookEvent[], now: number): void;
}

/** Writes webhook events inside a transaction the caller has open on `client`. */
export interface PostgresWebhookWriter {
  writeWith(client: PostgresClient, events: readonly WebhookEvent[], now: number): Promise<void>;
}

import type { Logger } from '../platform/logger.js';
import type { PendingDelivery, WebhookOutbox } from './webhook-outbox.js';
import { signWebhook } from './webhook-signature.js';

export interface WebhookSenderOptions {
  /** An attempt that has no answer by then failed. @default 5000 */
  timeoutMs?: number;
  /** The wait before the first retry; each failure doubles it. @default 5000 */
  firstRetryMs?: number;
  /** The longest wait between two attempts. @default 600000 (10 min) */
  maxRetryMs?: number;
  /** How long a delivery is retried (the sum of its waits); then it is `failed`. @default 86400000 (24 h) */
  retryForMs?: number;
  /** Rows read per round trip. @default 20 */
  batchSize?: number;
  /** The wall clock of timeouts, retries and signatures (never a game's clock). @default Date.now */
  now?: () => number;
  /** Told of every attempt's outcome (the metrics count them). */
  onAttempt?: (outcome: 'delivered' | 'retrying' | 'given_up') => void;
}

/**
 * Delivers the outbox's webhooks: per receiver, oldest first, one at a time. A failure
 * (a non-2xx answer, a redirect, no answer within the timeout, no connection) stops that
 * receiver's round and schedules a retry with exponential backoff — the later deliveries
 * wait behind it, so a receiver gets events in the order they happened. Every attempt
 * carries the same `webhook-id` and body, with a fresh timestamp and signature.
 */
export class WebhookSender {
  private readonly timeoutMs: number;
  private readonly firstRetryMs: number;
  private readonly maxRetryMs: number;
  private readonly retryForMs: number;
  private readonly batchSize: number;
  private readonly now: () => number;
  private readonly onAttempt: (outcome: 'delivered' | 'retrying' | 'given_up') => void;
  /** Aborted by `stop`: the round in flight ends after the current attempt, which is not counted. */
  private readonly stopping = new AbortController();

  constructor(
    private readonly outbox: WebhookOutbox,
    private readonly urls: readonly string[],
    private readonly key: Buffer,
    private readonly logger: Pick<Logger, 'warn'>,
    options: WebhookSenderOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 5_000;
    this.firstRetryMs = options.firstRetryMs ?? 5_000;
    this.maxRetryMs = options.maxRetryMs ?? 600_000;
    this.retryForMs = options.retryForMs ?? 86_400_000;
    this.batchSize = options.batchSize ?? 20;
    this.now = options.now ?? Date.now;
    this.onAttempt = options.onAttempt ?? (() => {});
  }

  /** Ends the round in flight soon (shutdown): an attempt cut short is not counted and is sent again later. */
  stop(): void {
    this.stopping.abort();
  }

  /** One round: every receiver's due deliveries, receivers side by side (a slow one holds up no other). */
  async deliverDue(): Promise<void> {
    await Promise.all(this.urls.map((url) => this.outbox.exclusively(url, () => this.deliverTo(url))));
  }

  private async deliverTo(url: string): Promise<void> {
    for (;;) {
      const batch = await this.outbox.pendingFor(url, this.batchSize);
      for (const delivery of batch) {
        if (this.stopping.signal.aborted || delivery.nextAttemptAt > this.now()) return;
        const error = await this.attempt(url, delivery);
        if (this.stopping.signal.aborted && error !== undefined) return;
        if (error === undefined) {
          await this.outbox.markDelivered(delivery.key, this.now());
          this.onAttempt('delivered');
          continue;
        }
        await this.scheduleRetry(url, delivery, error);
        // A given-up delivery no longer holds the queue; a pending one does.
        return;
      }
      if (batch.length < this.batchSize) return;
    }
  }

  /** Sends one delivery; answers why it failed, or undefined. */
  private async attempt(url: string, delivery: PendingDelivery): Promise<string | undefined> {
    const timestamp = Math.floor(this.now() / 1000);
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'webhook-id': delivery.messageId,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': signWebhook(this.key, delivery.messageId, timestamp, delivery.body),
          'user-agent': 'live-leaderboard-webhooks',
        },
        body: delivery.body,
        // A redirect is an answer of its own: never followed (it could point anywhere), it fails.
        redirect: 'manual',
        signal: AbortSignal.any([AbortSignal.timeout(this.timeoutMs), this.stopping.signal]),
      });
      // The body is not read: only the status counts, and a huge or endless body costs nothing.
      await response.body?.cancel().catch(() => {});
      if (response.status >= 200 && response.status < 300) return undefined;
      if (response.status >= 300 && response.status < 400) return `HTTP ${response.status} (redirects are not followed)`;
      return `HTTP ${response.status}`;
    } catch (error) {
      if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return `no answer within ${this.timeoutMs} ms`;
      const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : undefined;
      return (cause ?? (error instanceof Error ? error.message : String(error))).slice(0, 500);
    }
  }

  /** The wait after the `attempt`-th failure (0-based): doubling from the first, up to the longest. */
  private waitAfter(attempt: number): number {
    return Math.min(this.firstRetryMs * 2 ** Math.min(attempt, 40), this.maxRetryMs);
  }

  private async scheduleRetry(url: string, delivery: PendingDelivery, error: string): Promise<void> {
    const wait = this.waitAfter(delivery.attempts);
    const nextAttemptAt = this.now() + wait;
    // Retried until the waits add up to the horizon: counted in attempts, not clock times.
    let waited = 0;
    for (let attempt = 0; attempt <= delivery.attempts && waited <= this.retryForMs; attempt += 1) waited += this.waitAfter(attempt);
    const giveUp = waited > this.retryForMs;
    await this.outbox.markAttemptFailed(delivery.key, { error, nextAttemptAt, giveUp });
    this.onAttempt(giveUp ? 'given_up' : 'retrying');
    this.logger.warn({ url, webhookId: delivery.messageId, attempts: delivery.attempts + 1, error, ...(giveUp ? { gaveUp: true } : { retryInMs: wait }) }, 'webhook delivery failed');
  }
}

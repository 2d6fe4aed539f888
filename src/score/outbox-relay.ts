import type { EventBus } from '../platform/event-bus.js';
import type { Logger } from '../platform/logger.js';
import type { CommittedEvent, Outbox } from './ledger.js';

export interface OutboxRelayOptions {
  /** @default 500 */
  batchSize?: number;
  /**
   * How often published events are deleted from the outbox, and the table drained if it
   * may hold unpublished ones. One DELETE of a range every interval costs far less than one
   * per commit; a crash republishes at most this much (delivery is at least once anyway).
   * @default 100
   */
  intervalMs?: number;
}

/**
 * Publishes committed events to the bus in commit order, then deletes them from the outbox.
 *
 * Normally the events of a commit are handed over in memory (`publishCommitted`), so the
 * hot path never reads the outbox back. Whenever the table may hold events that were not
 * published — at start (a crash between commit and publish) or after a failed publish —
 * the relay switches to draining the table until it is empty, and hands-over wait for it.
 * Delivery is at least once; the leaderboard applies totals idempotently.
 */
export class OutboxRelay {
  /** The table may hold unpublished events: true until the first drain empties it. */
  private backlog = true;
  private chain: Promise<void> = Promise.resolve();
  /** The newest published outbox id not yet deleted. */
  private publishedUpTo: number | undefined;
  /** The newest outbox id published at all: a hand-over queued behind a drain that already
   * published its events must not publish them again (late duplicates would carry old totals). */
  private publishedThrough = Number.NEGATIVE_INFINITY;
  private readonly timer: NodeJS.Timeout;
  private readonly batchSize: number;

  constructor(
    private readonly outbox: Outbox,
    private readonly bus: EventBus,
    private readonly logger: Pick<Logger, 'error'>,
    options: OutboxRelayOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 500;
    this.timer = setInterval(() => {
      void this.enqueue(() => (this.backlog ? this.drainTable() : this.acknowledgePublished()));
    }, options.intervalMs ?? 100);
    this.timer.unref();
  }

  /** Publishes the events of one commit, after everything committed before them. */
  publishCommitted(events: readonly CommittedEvent[]): void {
    if (events.length === 0) return;
    void this.enqueue(async () => {
      // While a backlog exists these events are in the table too: the drain publishes them in order.
      if (this.backlog) return this.drainTable();
      await this.publishAll(events);
      this.publishedUpTo = this.publishedThrough;
    });
  }

  /** Publishes whatever the table holds; resolves once it is empty. */
  drain(): Promise<void> {
    this.backlog = true;
    return this.enqueue(() => this.drainTable());
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.chain;
    if (this.backlog) await this.drain();
    await this.enqueue(() => this.acknowledgePublished());
  }

  /** Publishes a commit's (or a page's) events as one unit: one round trip on a network bus. */
  private async publishAll(events: readonly CommittedEvent[]): Promise<void> {
    const fresh = events.filter((committed) => committed.outboxId > this.publishedThrough);
    if (fresh.length === 0) return;
    await this.bus.publishAll(fresh.map((committed) => committed.event));
    this.publishedThrough = (fresh.at(-1) as CommittedEvent).outboxId;
  }

  private async acknowledgePublished(): Promise<void> {
    if (this.publishedUpTo === undefined) return;
    const upTo = this.publishedUpTo;
    this.publishedUpTo = undefined;
    await this.outbox.acknowledge(upTo);
  }

  /** Runs `step` after every earlier step: one relay, one order. A failure leaves a backlog. */
  private enqueue(step: () => Promise<void>): Promise<void> {
    this.chain = this.chain.then(step).catch((error: unknown) => {
      this.backlog = true;
      this.logger.error({ err: error }, 'outbox relay failed; the table will be drained again');
    });
    return this.chain;
  }

  private async drainTable(): Promise<void> {
    await this.acknowledgePublished();
    for (;;) {
      const rows = await this.outbox.pending(this.batchSize);
      if (rows.length === 0) break;
      await this.publishAll(rows);
      await this.outbox.acknowledge((rows.at(-1) as CommittedEvent).outboxId);
    }
    this.backlog = false;
  }
}

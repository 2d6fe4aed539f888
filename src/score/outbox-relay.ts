import type { EventBus } from '../platform/event-bus.js';
import type { Logger } from '../platform/logger.js';
import type { Outbox } from './ledger.js';

export interface OutboxRelayOptions {
  /** @default 500 */
  batchSize?: number;
  /** A safety net: drain this often even if nobody pokes (e.g. after a publish failure). @default 1000 */
  intervalMs?: number;
}

/**
 * Publishes committed events from the outbox to the bus, oldest first, then deletes them.
 * A crash between publish and delete republishes on restart: delivery is at least once,
 * and the leaderboard applies totals idempotently.
 */
export class OutboxRelay {
  private draining: Promise<void> | undefined;
  private again = false;
  private readonly timer: NodeJS.Timeout;
  private readonly batchSize: number;

  constructor(
    private readonly outbox: Outbox,
    private readonly bus: EventBus,
    private readonly logger: Pick<Logger, 'error'>,
    options: OutboxRelayOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 500;
    this.timer = setInterval(() => this.poke(), options.intervalMs ?? 1_000);
    this.timer.unref();
  }

  /** Asks for a drain soon; many pokes while draining cost one more pass. */
  poke(): void {
    if (this.draining) {
      this.again = true;
      return;
    }
    this.draining = this.drain()
      .catch((error: unknown) => this.logger.error({ err: error }, 'outbox relay failed; retrying on the next poke'))
      .finally(() => {
        this.draining = undefined;
        if (this.again) {
          this.again = false;
          this.poke();
        }
      });
  }

  /** Publishes everything pending now; resolves when the outbox is empty. */
  async drain(): Promise<void> {
    for (;;) {
      const rows = await this.outbox.pending(this.batchSize);
      if (rows.length === 0) return;
      for (const { event } of rows) await this.bus.publish(event);
      await this.outbox.acknowledge((rows.at(-1) as { id: number }).id);
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.draining;
    await this.drain();
  }
}

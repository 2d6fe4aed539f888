import type { ActionCatalog } from './catalog.js';
import type { Ledger } from './ledger.js';

/** How often the storage set runs the janitor: records are small, and a sweep is many of them. */
export const SPENT_TICKET_SWEEP_INTERVAL_MS = 10 * 60 * 1000;

export interface SpentTicketJanitorOptions {
  /**
   * Records deleted per statement: an embedded delete runs on the event loop, and 1,000
   * take ≈5 ms here (5,000 took 30 ms, a stall players would feel). @default 1000
   */
  batchSize?: number;
  /** Kept beyond a ticket's longest life, for clocks that differ between nodes. @default 60000 */
  marginMs?: number;
  /** @default Date.now */
  now?: () => number;
}

/**
 * Forgets the records of spent tickets that can no longer pass the checks. A ticket older
 * than its type's `maxDurationMs` is refused as `too_slow` before its record is looked up
 * (and a ticket carries its own signed expiry, so raising `maxDurationMs` later revives
 * none), so records older than the catalog's longest `maxDurationMs` only take space — one
 * row per timed action played, for ever, before this. A catalog with an unbounded timed
 * type keeps every record.
 */
export class SpentTicketJanitor {
  private readonly options: Required<SpentTicketJanitorOptions>;

  constructor(
    private readonly ledger: Pick<Ledger, 'forgetSpentTickets'>,
    private readonly catalog: ActionCatalog,
    options: SpentTicketJanitorOptions = {},
  ) {
    this.options = { batchSize: 1_000, marginMs: 60_000, now: Date.now, ...options };
  }

  /** Deletes every record older than the longest ticket life, a batch at a time; answers how many. */
  async sweep(): Promise<number> {
    const timed = this.catalog.actions.filter((action) => action.mode === 'timed');
    if (timed.length === 0 || timed.some((action) => action.maxDurationMs === undefined)) return 0;
    const longest = Math.max(...timed.map((action) => action.maxDurationMs as number));
    const usedBefore = this.options.now() - longest - this.options.marginMs;
    let forgotten = 0;
    for (;;) {
      const deleted = await this.ledger.forgetSpentTickets(usedBefore, this.options.batchSize);
      forgotten += deleted;
      if (deleted < this.options.batchSize) return forgotten;
      // Between batches, let requests in: an embedded delete runs on the event loop.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}

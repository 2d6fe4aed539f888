import type { ActionToRecord, Ledger, RecordOutcome } from './ledger.js';

export interface GroupCommitOptions {
  /**
   * Off: every action commits in its own transaction (for comparison in the benchmark).
   * @default true
   */
  enabled?: boolean;
  /** Most actions one transaction takes; the rest wait for the next. @default 1000 */
  maxBatch?: number;
  /** Called after every commit, e.g. to wake the outbox relay. */
  onCommitted?: (outcomes: readonly RecordOutcome[]) => void;
}

interface Waiting {
  action: ActionToRecord;
  resolve: (outcome: RecordOutcome) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: every action that arrives while the event loop handles one round of I/O
 * joins a single ledger transaction, flushed on `setImmediate` (right after that round).
 * Each caller still learns its own outcome only after the commit, so a `201` is never
 * sent for an action that is not durable.
 */
export class GroupCommitter {
  private queue: Waiting[] = [];
  private scheduled = false;
  /** The running commit loop, if any. */
  private draining: Promise<void> | undefined;
  private readonly enabled: boolean;
  private readonly maxBatch: number;

  constructor(
    private readonly ledger: Pick<Ledger, 'record'>,
    private readonly options: GroupCommitOptions = {},
  ) {
    this.enabled = options.enabled ?? true;
    this.maxBatch = options.maxBatch ?? 1000;
  }

  record(action: ActionToRecord): Promise<RecordOutcome> {
    if (!this.enabled) return this.commit([action]).then((outcomes) => outcomes[0] as RecordOutcome);
    return new Promise((resolve, reject) => {
      this.queue.push({ action, resolve, reject });
      this.schedule();
    });
  }

  /** Commits whatever is queued and waits for it: used on shutdown. */
  async flush(): Promise<void> {
    this.scheduled = false;
    await this.drain();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      if (!this.scheduled) return;
      this.scheduled = false;
      void this.drain();
    });
  }

  /**
   * Commits batches one after another, in arrival order, until the queue is empty. A batch
   * is taken when the previous commit has finished, so everything that arrived meanwhile
   * shares the next transaction: the slower the ledger (a network database), the larger
   * the batches, instead of a line of tiny transactions waiting for each other.
   */
  private drain(): Promise<void> {
    // Reset in a callback, not inside the loop: with an empty queue the loop ends before this
    // assignment, and a reset inside it would leave a settled promise here for good.
    this.draining ??= this.commitQueued().finally(() => {
      this.draining = undefined;
    });
    return this.draining;
  }

  private async commitQueued(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      try {
        const outcomes = await this.commit(batch.map((waiting) => waiting.action));
        batch.forEach((waiting, index) => waiting.resolve(outcomes[index] as RecordOutcome));
      } catch (error) {
        for (const waiting of batch) waiting.reject(error);
      }
    }
  }

  private async commit(actions: ActionToRecord[]): Promise<RecordOutcome[]> {
    const outcomes = await this.ledger.record(actions);
    this.options.onCommitted?.(outcomes);
    return outcomes;
  }
}

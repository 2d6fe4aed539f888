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
  /**
   * Commit the next batch while earlier ones still wait for the disk. Only for a ledger whose
   * `record` commits before it first awaits and then waits for its flush (the embedded one,
   * see `WalFlush`): commit order is then call order. Callers and `onCommitted` still hear of
   * batches strictly in commit order. @default false
   */
  pipelined?: boolean;
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
  /** Pipelined: the last committed batch's settling; the next settles after it. */
  private settled: Promise<void> = Promise.resolve();

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
    await this.settled;
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
      if (this.options.pipelined) {
        this.settleInOrder(batch, this.ledger.record(batch.map((waiting) => waiting.action)));
        continue;
      }
      try {
        const outcomes = await this.commit(batch.map((waiting) => waiting.action));
        batch.forEach((waiting, index) => waiting.resolve(outcomes[index] as RecordOutcome));
      } catch (error) {
        for (const waiting of batch) waiting.reject(error);
      }
    }
  }

  /** Pipelined: hands a batch's outcomes over once it and every batch before it are durable. */
  private settleInOrder(batch: readonly Waiting[], recording: Promise<RecordOutcome[]>): void {
    // Handled now, not only when its turn comes: a rejection waiting in line is not unhandled.
    const outcome = recording.then(
      (outcomes) => ({ outcomes }),
      (error: unknown) => ({ error }),
    );
    // Never rejects, so one failed batch cannot hold up the ones after it.
    this.settled = this.settled.then(async () => {
      const settled: { outcomes?: RecordOutcome[]; error?: unknown } = await outcome;
      try {
        if (!settled.outcomes) throw settled.error;
        this.options.onCommitted?.(settled.outcomes);
      } catch (error) {
        for (const waiting of batch) waiting.reject(error);
        return;
      }
      const { outcomes } = settled;
      batch.forEach((waiting, index) => waiting.resolve(outcomes[index] as RecordOutcome));
    });
  }

  private async commit(actions: ActionToRecord[]): Promise<RecordOutcome[]> {
    const outcomes = await this.ledger.record(actions);
    this.options.onCommitted?.(outcomes);
    return outcomes;
  }
}

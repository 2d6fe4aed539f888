import { Counter, Histogram, type Registry } from 'prom-client';

/** What the score service counts: accepted actions by type, rejections by reason, batch sizes and commit times. */
export class ScoreMetrics {
  readonly accepted: Counter<'type'>;
  readonly rejected: Counter<'code'>;
  readonly batchSize: Histogram;
  readonly commitDuration: Histogram;

  constructor(registry: Registry) {
    this.accepted = new Counter({
      name: 'score_actions_accepted_total',
      help: 'Actions committed to the ledger, by action type',
      labelNames: ['type'],
      registers: [registry],
    });
    this.rejected = new Counter({
      name: 'score_actions_rejected_total',
      help: 'Actions refused, by error code',
      labelNames: ['code'],
      registers: [registry],
    });
    this.batchSize = new Histogram({
      name: 'score_commit_batch_size',
      help: 'Actions per ledger transaction (group commit)',
      buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000],
      registers: [registry],
    });
    // From the batch's start to when its actions can be answered: the transaction and, with
    // DURABILITY=fsync, the disk flush (embedded, on a thread-pool thread). A slow disk shows here.
    this.commitDuration = new Histogram({
      name: 'score_commit_duration_seconds',
      help: 'Time one group commit takes until its actions can be answered, disk flush included',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers: [registry],
    });
  }
}

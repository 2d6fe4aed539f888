import { Counter, Histogram, type Registry } from 'prom-client';

/** What the score service counts: accepted actions by type, rejections by reason, batch sizes. */
export class ScoreMetrics {
  readonly accepted: Counter<'type'>;
  readonly rejected: Counter<'code'>;
  readonly batchSize: Histogram;

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
  }
}

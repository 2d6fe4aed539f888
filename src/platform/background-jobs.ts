import type { Logger } from './logger.js';

/**
 * Maintenance that runs on a timer beside the requests (forgetting spent tickets, taking
 * over a dead node's outbox rows, checking that Redis still holds the boards). The storage
 * set declares them; `compose` runs them all through one `BackgroundJobs`.
 */
export interface BackgroundJob {
  /** Named in the log line of a failed run. */
  readonly name: string;
  readonly intervalMs: number;
  run(): Promise<unknown>;
  /** Asks a run in flight to end soon (a long one, such as a webhook backlog): called by `stop` before it waits. */
  cancel?(): void;
}

/**
 * Runs each job every `intervalMs`, never two runs of one job at once (a slow run delays
 * the next instead of piling up), logs failures and retries at the next tick. `stop`
 * clears the timers and waits for the runs in flight, so storage closes under no job.
 */
export class BackgroundJobs {
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly running = new Set<Promise<unknown>>();
  private readonly jobs: BackgroundJob[] = [];

  constructor(private readonly logger: Pick<Logger, 'warn'>) {}

  start(jobs: readonly BackgroundJob[]): void {
    this.jobs.push(...jobs);
    for (const job of jobs) {
      let current: Promise<unknown> | undefined;
      const timer = setInterval(() => {
        if (current) return;
        current = job
          .run()
          .catch((error: unknown) => this.logger.warn({ err: error, job: job.name }, 'background job failed; retried at its next run'))
          .finally(() => {
            this.running.delete(current as Promise<unknown>);
            current = undefined;
          });
        this.running.add(current);
      }, job.intervalMs);
      timer.unref();
      this.timers.push(timer);
    }
  }

  async stop(): Promise<void> {
    for (const timer of this.timers.splice(0)) clearInterval(timer);
    for (const job of this.jobs) job.cancel?.();
    await Promise.all(this.running);
  }
}

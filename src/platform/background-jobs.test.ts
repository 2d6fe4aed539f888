import { describe, expect, it, vi } from 'vitest';
import { BackgroundJobs } from './background-jobs.js';

describe('BackgroundJobs', () => {
  it('runs each job on its interval, one run at a time, and logs a failure without stopping the job', async () => {
    vi.useFakeTimers();
    try {
      const warnings: unknown[] = [];
      const jobs = new BackgroundJobs({ warn: (details: unknown) => void warnings.push(details) });
      let release: () => void = () => {};
      let runs = 0;
      let failures = 0;
      jobs.start([
        { name: 'slow', intervalMs: 10, run: () => ((runs += 1), new Promise<void>((resolve) => (release = resolve))) },
        { name: 'failing', intervalMs: 10, run: async () => ((failures += 1), Promise.reject(new Error('down'))) },
      ]);
      await vi.advanceTimersByTimeAsync(35);
      // The slow job's first run is still going: later ticks skip it rather than pile up.
      expect(runs).toBe(1);
      expect(failures).toBe(3);
      expect(warnings).toHaveLength(3);
      expect(warnings[0]).toMatchObject({ job: 'failing' });
      release();
      await vi.advanceTimersByTimeAsync(10);
      expect(runs).toBe(2);

      const stopped = jobs.stop();
      let done = false;
      void stopped.then(() => (done = true));
      await vi.advanceTimersByTimeAsync(0);
      // stop() waits for the run in flight.
      expect(done).toBe(false);
      release();
      await stopped;
      await vi.advanceTimersByTimeAsync(100);
      expect(runs).toBe(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it('asks a long run to end when stopping, then waits for it', async () => {
    vi.useFakeTimers();
    try {
      const jobs = new BackgroundJobs({ warn: () => {} });
      let cancel: () => void = () => {};
      jobs.start([{ name: 'backlog', intervalMs: 10, run: () => new Promise<void>((resolve) => (cancel = resolve)), cancel: () => cancel() }]);
      await vi.advanceTimersByTimeAsync(15);
      // Without the cancel this would wait for ever.
      await jobs.stop();
    } finally {
      vi.useRealTimers();
    }
  });
});

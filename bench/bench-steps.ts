/**
 * The steps of a benchmark run, each with a deadline: a step that fails or overruns is
 * logged and recorded, and the run goes on to the next (a report with one figure missing
 * beats no report). `npm run bench` and `npm run bench:realtime` share it.
 */
export interface StepRunner {
  step: <T>(label: string, limitSeconds: number, run: () => Promise<T>) => Promise<T | undefined>;
  /** The labels of the steps that failed. */
  readonly failures: string[];
}

export function stepRunner(log: (line: string) => void): StepRunner {
  const failures: string[] = [];
  return {
    failures,
    step: async <T>(label: string, limitSeconds: number, run: () => Promise<T>): Promise<T | undefined> => {
      log(label);
      let timer: NodeJS.Timeout | undefined;
      try {
        return await Promise.race([
          run(),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error(`did not finish within ${limitSeconds} s`)), limitSeconds * 1000);
          }),
        ]);
      } catch (error) {
        log(`  FAILED: ${error instanceof Error ? error.message : String(error)}`);
        failures.push(label);
        return undefined;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
